import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { MAIL_SEND_FAILED } from "../../src/adapters/mailer/mailSendFailed.js";
import { metrics } from "../../src/observability.js";
import { namedBlocks, readHclFiles, type HclFile } from "./support/hclBlocks.js";
import { first, local, readTerraform, resource, TERRAFORM_DIR, type TerraformConfig } from "./support/terraform.js";

const ROOT = resolve(import.meta.dirname, "../..");
let tf: TerraformConfig;
let files: HclFile[];
beforeAll(async () => {
  tf = await readTerraform();
  files = await readHclFiles(TERRAFORM_DIR);
});

describe("the SES identity", () => {
  it("lives in ses.tf, signs a domain with Easy DKIM (2048-bit) and uses the configuration set by default", () => {
    const identity = resource(tf, "aws_sesv2_email_identity", "mail");
    expect(files.find((f) => f.file === "ses.tf")?.text).toContain('resource "aws_sesv2_email_identity" "mail"');
    expect(identity.email_identity).toBe("${var.ses_identity}");
    expect(identity.configuration_set_name).toBe("${aws_sesv2_configuration_set.mail.configuration_set_name}");
    const dkim = first(identity.dynamic as unknown).dkim_signing_attributes as { for_each: string; content: { next_signing_key_length: string }[] }[];
    expect(dkim[0]?.for_each).toBe("${local.ses_identity_is_domain ? [1] : []}");
    expect(dkim[0]?.content[0]).toEqual({ next_signing_key_length: "RSA_2048_BIT" });
    expect(local(tf, "ses_identity_is_domain")).toBe('${!strcontains(var.ses_identity, "@")}');
  });

  it("writes the three DKIM CNAMEs in Route 53 when a zone is given, and outputs them in any case", () => {
    const record = resource(tf, "aws_route53_record", "ses_dkim");
    expect(record).toMatchObject({
      count: '${var.mail_hosted_zone_id != "" && local.ses_identity_is_domain ? 3 : 0}',
      zone_id: "${var.mail_hosted_zone_id}",
      type: "CNAME",
      name: "${aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.ses_identity}",
      records: ["${aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"],
    });
    expect(tf.variable.mail_hosted_zone_id?.[0]).toMatchObject({ default: "" });
    expect(namedBlocks(files, "output").ses_dkim_records?.value).toBe("${local.ses_dkim_records}");
  });

  it("is what the pool sends from, through the same configuration set", () => {
    const email = first(resource(tf, "aws_cognito_user_pool", "main").email_configuration);
    expect(email).toMatchObject({
      email_sending_account: "DEVELOPER",
      source_arn: "${aws_sesv2_email_identity.mail.arn}",
      configuration_set: "${aws_sesv2_configuration_set.mail.configuration_set_name}",
    });
  });

  it("stops an apply of the pool while the identity is unverified, naming the bootstrap step", () => {
    const precondition = first(first(resource(tf, "aws_cognito_user_pool", "main").lifecycle).precondition);
    expect(precondition.condition).toBe("${aws_sesv2_email_identity.mail.verified_for_sending_status}");
    expect(String(precondition.error_message)).toContain("-target=aws_sesv2_email_identity.mail");
  });

  it("has its bootstrap documented: targeted apply, the verification check, then the full apply, and the way out of the sandbox", () => {
    const docs = readFileSync(join(ROOT, "docs/deployment.md"), "utf8");
    expect(docs).toContain("-target=aws_sesv2_email_identity.mail");
    expect(docs).toContain("-target=aws_route53_record.ses_dkim");
    expect(docs).toMatch(/aws sesv2 get-email-identity --email-identity \S+ --query VerifiedForSendingStatus/);
    expect(docs).toMatch(/aws sesv2 put-account-details/);
    expect(docs.indexOf("-target=aws_sesv2_email_identity.mail")).toBeLessThan(docs.indexOf("VerifiedForSendingStatus"));
  });
});

describe("the configuration set", () => {
  it("turns reputation metrics on and suppresses bounced and complaining addresses", () => {
    const set = resource(tf, "aws_sesv2_configuration_set", "mail");
    expect(set.configuration_set_name).toBe("${local.name_prefix}");
    expect(first(set.reputation_options)).toEqual({ reputation_metrics_enabled: true });
    expect(first(set.suppression_options)).toEqual({ suppressed_reasons: ["BOUNCE", "COMPLAINT"] });
  });

  it("sends bounce and complaint events to an SNS topic SES may publish to", () => {
    const destination = resource(tf, "aws_sesv2_configuration_set_event_destination", "feedback");
    const event = first(destination.event_destination);
    expect(event.enabled).toBe(true);
    expect(event.matching_event_types).toEqual(expect.arrayContaining(["BOUNCE", "COMPLAINT"]));
    expect(first(event.sns_destination)).toEqual({ topic_arn: "${aws_sns_topic.ses_feedback.arn}" });
    const policy = String(resource(tf, "aws_sns_topic_policy", "ses_feedback").policy);
    expect(policy).toContain('Service = "ses.amazonaws.com"');
    expect(policy).toContain('"AWS:SourceAccount" = local.account_id');
  });

  it("is named in SSM for the runbooks", () => {
    expect(local(tf, "ssm_parameters")).toMatchObject({ "ses-configuration-set": "${aws_sesv2_configuration_set.mail.configuration_set_name}" });
  });
});

describe("mail alarms", () => {
  const alarm = (name: string) => resource(tf, "aws_cloudwatch_metric_alarm", name);

  it("page on SES's account bounce and complaint rates below the levels where SES reviews the account", () => {
    const reputation = alarm("ses_reputation");
    expect(reputation.for_each).toEqual({
      "bounce-rate": { metric: "Reputation.BounceRate", threshold: "${var.ses_bounce_rate_alarm}" },
      "complaint-rate": { metric: "Reputation.ComplaintRate", threshold: "${var.ses_complaint_rate_alarm}" },
    });
    expect(reputation).toMatchObject({ namespace: "AWS/SES", comparison_operator: "GreaterThanOrEqualToThreshold", alarm_actions: "${local.page_actions}" });
    expect(reputation.dimensions).toBeUndefined();
    expect(Number(tf.variable.ses_bounce_rate_alarm?.[0]?.default)).toBeLessThan(0.05);
    expect(Number(tf.variable.ses_complaint_rate_alarm?.[0]?.default)).toBeLessThan(0.001);
  });

  it("page on the service's own failed sends: the metric the SES adapter emits, in the service's namespace", () => {
    const failed = alarm("mail_send_failed");
    expect(failed).toMatchObject({
      namespace: "${local.emf_namespace}",
      metric_name: MAIL_SEND_FAILED,
      dimensions: "${local.emf_dimensions}",
      statistic: "Sum",
      evaluation_periods: 1,
      threshold: "${var.mail_failure_alarm_count}",
      alarm_actions: "${local.page_actions}",
    });
    // The alarm's dimensions are exactly those the code puts on every metric, with the stage's values.
    metrics.addMetric(MAIL_SEND_FAILED, MetricUnit.Count, 1);
    const emf = metrics.serializeMetrics() as unknown as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } };
    metrics.clearMetrics();
    expect(Object.keys(local(tf, "emf_dimensions") as object).sort()).toEqual([...(emf._aws.CloudWatchMetrics[0]?.Dimensions[0] ?? [])].sort());
    expect(local(tf, "emf_dimensions")).toEqual({ service: "${local.service}", stage: "${var.stage}" });
    expect(local(tf, "service")).toBe("user-service");
    expect(readFileSync(join(ROOT, "serverless.yml"), "utf8")).toContain("STAGE: ${sls:stage}");
    const serverless = readFileSync(join(ROOT, "serverless.yml"), "utf8");
    expect(serverless).toContain("POWERTOOLS_SERVICE_NAME: user-service");
    expect(serverless).toContain("POWERTOOLS_METRICS_NAMESPACE: UserService");
  });
});
