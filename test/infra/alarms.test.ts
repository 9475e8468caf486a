import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { correlationIdOf } from "../../src/http/request.js";
import { namedBlocks, readHclFiles, type HclFile } from "./support/hclBlocks.js";
import { evaluateMetricMath } from "./support/metricMath.js";
import { readTemplate, resourcesOfType } from "./support/template.js";
import { first, local, readTerraform, resource, TERRAFORM_DIR, type TerraformConfig } from "./support/terraform.js";

const ROOT = resolve(import.meta.dirname, "../..");
type Query = { id: string; expression?: string; metric?: { namespace: string; metric_name: string; dimensions: Record<string, string>; period: number; stat: string }[] };

let tf: TerraformConfig;
let files: HclFile[];
beforeAll(async () => {
  tf = await readTerraform();
  files = await readHclFiles(TERRAFORM_DIR);
});

const alarm = (name: string) => resource(tf, "aws_cloudwatch_metric_alarm", name);
const alarms = () => Object.keys(tf.resource.aws_cloudwatch_metric_alarm ?? {});
const queries = (name: string) => alarm(name).metric_query as Query[];
const metricOf = (name: string, id: string) => first(queries(name).find((q) => q.id === id)?.metric) as NonNullable<Query["metric"]>[number];
const PAGE = "${local.page_actions}";
const WARNING = "${local.warning_actions}";

describe("two topics: pages and warnings", () => {
  it("every alarm notifies exactly one of them, and sends its OK to the same one", () => {
    expect(resource(tf, "aws_sns_topic", "alarms").name).toBe("${local.name_prefix}-alarms");
    expect(resource(tf, "aws_sns_topic", "warnings").name).toBe("${local.name_prefix}-warnings");
    expect(local(tf, "page_actions")).toEqual(["${aws_sns_topic.alarms.arn}"]);
    expect(local(tf, "warning_actions")).toEqual(["${aws_sns_topic.warnings.arn}"]);
    expect(local(tf, "alarm_actions")).toBe(PAGE);
    for (const name of alarms()) {
      const raw = alarm(name).alarm_actions;
      const actions = Array.isArray(raw) && raw.length === 1 ? String(raw[0]) : String(raw);
      const topics = [PAGE, WARNING, "${local.alarm_actions}", "${aws_sns_topic.alarms.arn}", "${aws_sns_topic.warnings.arn}"];
      const chosen = topics.includes(actions) || /^\$\{.+ \? local\.(page|warning)_actions : local\.(page|warning)_actions\}$/.test(actions);
      expect(chosen, `${name}: ${actions}`).toBe(true);
      if (alarm(name).ok_actions !== undefined) expect(alarm(name).ok_actions, name).toEqual(alarm(name).alarm_actions);
    }
  });

  it("4xx, latency and capacity warn; 5xx, crashes, jobs, dead letters, lag, throttling and mail page", () => {
    for (const name of ["api_4xx_warning", "lambda_p99_duration", "dynamodb_consumed_rcu"]) expect(alarm(name).alarm_actions, name).toBe(WARNING);
    for (const name of ["api_5xx", "lambda_error_rate", "scheduled_job_failed", "dlq_messages", "outbox_lag", "dynamodb_throttles", "cognito_throttles", "mail_send_failed", "ses_reputation"]) {
      expect(alarm(name).alarm_actions, name).toBe(PAGE);
    }
  });

  it("subscribes alarm_email and the listed endpoints, and warns at plan time when a topic has nobody", () => {
    expect(resource(tf, "aws_sns_topic_subscription", "page")).toMatchObject({ topic_arn: "${aws_sns_topic.alarms.arn}" });
    expect(resource(tf, "aws_sns_topic_subscription", "warning")).toMatchObject({ topic_arn: "${aws_sns_topic.warnings.arn}" });
    expect(String(resource(tf, "aws_sns_topic_subscription", "page").for_each)).toContain("local.page_subscriptions");
    expect(String(resource(tf, "aws_sns_topic_subscription", "warning").for_each)).toContain("local.warning_subscriptions");
    const check = namedBlocks(files, "check").alarm_topics_have_subscribers;
    const asserts = (check?.assert ?? []) as { condition: string; error_message: string }[];
    expect(asserts.map((a) => a.condition)).toEqual([
      "${length(local.page_subscriptions) > 0 || var.alarm_subscribers_external}",
      "${length(local.warning_subscriptions) > 0 || var.alarm_subscribers_external}",
    ]);
    for (const a of asserts) expect(a.error_message).toMatch(/Nobody is subscribed/);
    expect(tf.variable.alarm_subscribers_external?.[0]).toMatchObject({ type: "${bool}", default: false });
  });
});

describe("the API's 5xx rate", () => {
  it("is 5XXError over Count from API Gateway, judged only in minutes with the minimum request count", () => {
    const expression = String(queries("api_5xx").find((q) => q.id === "rate")?.expression);
    expect(expression).toBe("IF(requests >= ${var.api_5xx_min_requests}, 100 * errors / requests, 0)");
    expect(metricOf("api_5xx", "errors")).toMatchObject({ namespace: "AWS/ApiGateway", metric_name: "5XXError", stat: "Sum", period: 60, dimensions: { ApiName: "${local.rest_api_name}" } });
    expect(metricOf("api_5xx", "requests")).toMatchObject({ namespace: "AWS/ApiGateway", metric_name: "Count", stat: "Sum", period: 60, dimensions: { ApiName: "${local.rest_api_name}" } });
    expect(alarm("api_5xx")).toMatchObject({ threshold: "${var.api_5xx_rate_percent}", comparison_operator: "GreaterThanThreshold" });
    expect(tf.variable.api_5xx_rate_percent?.[0]).toMatchObject({ default: 1 });
    expect(Number(tf.variable.api_5xx_min_requests?.[0]?.default)).toBeGreaterThanOrEqual(10);
    // An absolute count (the old "10 per minute") is no rate: no 5XXError alarm without Count beside it.
    for (const name of alarms()) {
      const body = JSON.stringify(alarm(name));
      if (body.includes('"5XXError"')) expect(body, name).toContain('"Count"');
    }
  });

  it("pages on a real rate, not on a handful of failures in a quiet minute", () => {
    const minimum = Number(tf.variable.api_5xx_min_requests?.[0]?.default);
    const threshold = Number(tf.variable.api_5xx_rate_percent?.[0]?.default);
    const expression = String(queries("api_5xx").find((q) => q.id === "rate")?.expression).replace("${var.api_5xx_min_requests}", String(minimum));
    const breaches = (errors: number | undefined, requests: number | undefined) => (evaluateMetricMath(expression, { errors, requests }) ?? 0) > threshold;
    expect(breaches(2, 3)).toBe(false); // 67%, but 3 requests: not judged
    expect(breaches(minimum, minimum)).toBe(true);
    expect(breaches(30, 1000)).toBe(true); // 3% of a busy minute
    expect(breaches(5, 1000)).toBe(false); // 0.5%
    expect(breaches(0, 100_000)).toBe(false);
    // The old absolute threshold (more than 10 per minute) stayed quiet at 40% errors of 25 requests.
    expect(breaches(10, 25)).toBe(true);
  });

  it("4xx is a rate too, a warning with the same minimum", () => {
    expect(String(queries("api_4xx_warning").find((q) => q.id === "rate")?.expression)).toBe(
      "IF(requests >= ${var.api_5xx_min_requests}, 100 * errors / requests, 0)",
    );
    expect(metricOf("api_4xx_warning", "errors").metric_name).toBe("4XXError");
  });

  it("and each function's error rate stay production's rollback alarms (outputs)", () => {
    const output = namedBlocks(files, "output").rollback_alarm_names;
    expect(JSON.stringify(output?.value)).toContain("aws_cloudwatch_metric_alarm.api_5xx.alarm_name");
    expect(JSON.stringify(output?.value)).toContain("aws_cloudwatch_metric_alarm.lambda_error_rate");
  });
});

describe("Lambda", () => {
  it("keeps an error-rate alarm per function for crashes and timeouts, and says the API's exceptions are 5xx instead", () => {
    expect(alarm("lambda_error_rate").for_each).toBe("${local.lambda_name}");
    expect(String(queries("lambda_error_rate")[0]?.expression)).toContain("100 * errors / invocations");
    expect(String(alarm("lambda_error_rate").alarm_description)).toMatch(/crash.*timeout.*500/);
  });

  it("alarms on throttles of every function: paging for synchronous callers, warning where Lambda retries", () => {
    const throttles = alarm("lambda_throttles");
    expect(throttles).toMatchObject({ for_each: "${local.lambda_name}", namespace: "AWS/Lambda", metric_name: "Throttles", threshold: 0 });
    expect(throttles.alarm_actions).toBe("${contains(local.retried_functions, each.key) ? local.warning_actions : local.page_actions}");
    const state = serverlessState();
    const retried = local(tf, "retried_functions") as string[];
    for (const [name, fn] of Object.entries(state.service.functions)) {
      const synchronous = fn.events.some((e) => "http" in e) || ["preSignUp", "postConfirmation"].includes(name);
      expect(retried.includes(name), name).toBe(!synchronous);
    }
  });
});

describe("the seed's thresholds", () => {
  it("stay where the seed set them", () => {
    expect(alarm("lambda_error_rate")).toMatchObject({ threshold: 1, comparison_operator: "GreaterThanThreshold" });
    expect(alarm("lambda_p99_duration")).toMatchObject({ threshold: 3000, extended_statistic: "p99", metric_name: "Duration" });
    expect(alarm("dynamodb_throttles")).toMatchObject({ threshold: 0, comparison_operator: "GreaterThanThreshold" });
    expect(alarm("dynamodb_consumed_rcu").threshold).toBe("${var.read_capacity_alarm_limit * 0.8}");
    expect(alarm("dlq_messages")).toMatchObject({ threshold: 0, metric_name: "ApproximateNumberOfMessagesVisible", for_each: "${local.dead_letter_queues}" });
    expect(Object.keys(local(tf, "dead_letter_queues") as object).sort()).toEqual(["events", "relay", "signup-retry"]);
    expect(alarm("outbox_lag")).toMatchObject({ metric_name: "IteratorAge", threshold: "${var.outbox_lag_alarm_ms}" });
  });
});

describe("scheduled jobs", () => {
  it("alarm on one failed run (1 of 1), for every function that runs on a schedule", () => {
    const state = serverlessState();
    const scheduled = Object.entries(state.service.functions)
      .filter(([, fn]) => fn.events.some((e) => "schedule" in e))
      .map(([name]) => name)
      .sort();
    expect(Object.keys(local(tf, "scheduled_jobs") as object).sort()).toEqual(scheduled);
    const job = alarm("scheduled_job_failed");
    expect(job).toMatchObject({ for_each: "${local.scheduled_jobs}", evaluation_periods: 1, datapoints_to_alarm: 1, threshold: 0 });
    expect(String(queries("scheduled_job_failed").find((q) => q.id === "failed")?.expression)).toBe("FILL(errors, 0) + FILL(unfinished, 0)");
    expect(metricOf("scheduled_job_failed", "errors")).toMatchObject({ namespace: "AWS/Lambda", metric_name: "Errors" });
    const failed = String(queries("scheduled_job_failed").find((q) => q.id === "failed")?.expression);
    // A run that threw, a run that returned with unfinished items, a clean run, no run in the period.
    expect(evaluateMetricMath(failed, { errors: 1, unfinished: undefined })).toBeGreaterThan(0);
    expect(evaluateMetricMath(failed, { errors: 0, unfinished: 3 })).toBeGreaterThan(0);
    expect(evaluateMetricMath(failed, { errors: 0, unfinished: 0 })).toBe(0);
    expect(evaluateMetricMath(failed, { errors: undefined, unfinished: undefined }) ?? 0).toBe(0);
    expect(job.treat_missing_data).toBe("notBreaching");
  });

  it("count what a run left unfinished with the metric the job's code emits", () => {
    for (const [job, metric] of Object.entries(local(tf, "scheduled_jobs") as Record<string, string>)) {
      const source = readFileSync(join(ROOT, "src/handlers/jobs", `${job}.ts`), "utf8");
      expect(source, job).toContain(`"${metric}"`);
    }
    expect(local(tf, "emf_namespace")).toBe("UserService");
    const observability = readFileSync(join(ROOT, "src/observability.ts"), "utf8");
    expect(observability).toContain('POWERTOOLS_METRICS_NAMESPACE ?? "UserService"');
  });
});

describe("runbooks", () => {
  const AGREED = [
    "api-5xx-rate", "lambda-errors", "lambda-throttles", "scheduled-job-failed", "dead-letters", "outbox-lag", "dynamodb-throttling",
    "eventbridge-outage", "cognito-throttling", "mail-failures-and-ses-reputation", "synthetic-canary-failing", "rollback",
    "point-in-time-restore", "rotating-the-standing-test-users-password",
  ];
  /** GitHub's heading anchors: lower case, punctuation dropped but - and _, spaces to dashes. */
  const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
  const headings = () => readFileSync(join(ROOT, "docs/runbooks.md"), "utf8").split("\n").filter((l) => l.startsWith("## ")).map((l) => slug(l.slice(3)));

  it("every alarm's description links its runbook section", () => {
    const known = new Set([...AGREED, ...headings()]);
    for (const name of alarms()) {
      const description = String(alarm(name).alarm_description);
      const anchor = /Runbook: \$\{local\.runbook\}#([a-z0-9_-]+)$/.exec(description)?.[1];
      expect(anchor, `${name}: ${description}`).toBeDefined();
      expect(known.has(anchor!), `${name}: #${anchor}`).toBe(true);
    }
    expect(slug("Rotating the standing test user's password")).toBe("rotating-the-standing-test-users-password");
  });

  it("links the repository's docs/runbooks.md unless runbook_base_url says otherwise", () => {
    expect(local(tf, "runbook")).toBe(
      '${var.runbook_base_url != "" ? var.runbook_base_url : "https://github.com/${var.github_repository}/blob/main/docs/runbooks.md"}',
    );
  });
});

describe("following one request", () => {
  it("the saved query searches the API's access log, every function's log and the event log", () => {
    const query = resource(tf, "aws_cloudwatch_query_definition", "correlation");
    const groups = String(query.log_group_names);
    for (const part of ["local.api_log_group", "aws_cloudwatch_log_group.events.name", "/aws/lambda/${name}", "values(local.lambda_name)"]) {
      expect(groups).toContain(part);
    }
    const text = String(query.query_string);
    for (const field of ["correlationId", "requestId", "metadata.correlationId", "detail.metadata.correlationId"]) {
      expect(text).toContain(`${field} = "REPLACE-WITH-ID"`);
    }
    expect(local(tf, "functions")).toHaveLength(Object.keys(serverlessState().service.functions).length);
    expect((local(tf, "functions") as string[]).length + 2).toBeLessThanOrEqual(50);
  });

  it("names the access log group the stack creates", () => {
    const [[, group] = ["", undefined]] = resourcesOfType(readTemplate(inject("packageDir")), "AWS::Logs::LogGroup").filter(([id]) => id === "ApiGatewayLogGroup");
    expect(group?.Properties?.LogGroupName).toBe("/aws/api-gateway/user-service-ci");
    expect(local(tf, "api_log_group")).toBe("/aws/api-gateway/${local.service}-${var.stage}");
  });

  it("the gateway logs the id the handler uses when the client sends none: $context.requestId, never a request header", () => {
    const format = JSON.parse(serverlessState().service.provider.logs.restApi.format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: "$context.requestId",
      extendedRequestId: "$context.extendedRequestId",
      correlationId: "$context.requestId",
      route: "$context.resourcePath",
      status: "$context.status",
    });
    expect(JSON.stringify(format)).not.toContain("requestOverride");
    const event = { headers: {}, requestContext: { requestId: "gateway-request-id" } } as unknown as APIGatewayProxyEvent;
    expect(correlationIdOf(event)).toBe("gateway-request-id");
    const chosen = { headers: { "X-Correlation-Id": "client-id-1" }, requestContext: { requestId: "gateway-request-id" } } as unknown as APIGatewayProxyEvent;
    expect(correlationIdOf(chosen)).toBe("client-id-1");
  });
});

describe("the dashboard", () => {
  it("has one widget per question, the alarm states and the sign-in canary", () => {
    const dashboard = resource(tf, "aws_cloudwatch_dashboard", "user_service");
    expect(dashboard.dashboard_name).toBe("${local.name_prefix}");
    const body = String(dashboard.dashboard_body);
    for (const title of [
      "API requests per minute", "API 4xx / 5xx rate (%)", "API latency (ms)", "Lambda errors", "Lambda throttles",
      "DynamoDB consumed capacity", "DynamoDB throttles", "Cognito: sign-ups, sign-ins, throttles", "SES reputation",
      "Mails not sent (MailSendFailed)", "Sign-in canary success (%)", "Outbox lag", "Outbox events", "DLQ depth", "Alarm status",
    ]) {
      expect(body, title).toMatch(new RegExp(`title +=+ "${title.replace(/[()/]/g, "\\$&")}`));
    }
    expect(body).toContain('type = "alarm"');
    expect(body).toContain("aws_synthetics_canary.signin.name");
    expect(body).toContain('"SuccessPercent"');
    expect(body).toContain('"Reputation.BounceRate"');
    expect(body).toContain('"MailSendFailed"');
  });

  it("reads only EMF metrics the code emits", () => {
    const emitted = new Set<string>();
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.includes(".test.") ? [join(dir, e.name)] : []));
    for (const file of walk(join(ROOT, "src"))) {
      for (const [, name] of readFileSync(file, "utf8").matchAll(/addMetric\("([A-Za-z0-9]+)"/g)) emitted.add(name!);
    }
    emitted.add("MailSendFailed"); // addMetric(MAIL_SEND_FAILED, ...): src/adapters/mailer/mailSendFailed.ts
    const terraform = files.map((f) => f.text).join("\n");
    const read = [...terraform.matchAll(/\[local\.emf_namespace, "([A-Za-z0-9]+)"/g), ...terraform.matchAll(/for metric in \[([^\]]+)\] :\s*\n\s*\[local\.emf_namespace/g)]
      .flatMap((m) => (m[1]!.includes('"') ? [...m[1]!.matchAll(/"([A-Za-z0-9]+)"/g)].map((n) => n[1]!) : [m[1]!]));
    expect(read.length).toBeGreaterThan(3);
    for (const name of read) expect(emitted.has(name), name).toBe(true);
    for (const name of Object.values(local(tf, "scheduled_jobs") as Record<string, string>)) expect(emitted.has(name), name).toBe(true);
  });
});

interface ServerlessState {
  service: {
    provider: { logs: { restApi: { format: string } } };
    functions: Record<string, { events: Record<string, unknown>[] }>;
  };
}
function serverlessState(): ServerlessState {
  return JSON.parse(readFileSync(join(inject("packageDir"), "serverless-state.json"), "utf8")) as ServerlessState;
}
