import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { OUTBOX_RETENTION_SECONDS } from "../../src/adapters/dynamodb/outboxItems.js";

/**
 * The claims the documents make about the repository, checked against it: cited files exist,
 * `npm run` scripts exist, runbook links land on a heading, and the runbooks' AWS CLI commands
 * and retention figures are the real ones. Docs drifted from the code before; this keeps them honest.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const RUNBOOKS = read("docs/runbooks.md");

/** GitHub's heading anchor: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
const anchors = new Set(
  [...RUNBOOKS.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? "")),
);

/** Top-level folders and files a document may cite by path. */
const CITABLE = /(?<![\w./-])((?:src|test|local|scripts|terraform|docs|web|infra|bench|canary|schemas|\.github)\/[\w./-]*[\w/]|(?:serverless\.yml|package\.json|tsconfig\.json|vitest\.config\.ts|eslint\.config\.js|redocly\.yaml))(?![\w<{*…])/g;

function citedPaths(doc: string): string[] {
  const text = read(doc);
  const linked = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1] ?? "")
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => join(dirname(doc), target));
  const inline = [...text.matchAll(CITABLE)].map((m) => m[1] ?? "");
  return [...new Set([...linked, ...inline])];
}

/** What a document names but the repository does not hold: files made at run time, placeholders. */
const GENERATED = [/\.tfstate$/, /\.\.\./, /…/];

/** A cited path exists as written, or as a handler reference (`src/handlers/http/getMe.handler`). */
function exists(path: string): boolean {
  if (GENERATED.some((pattern) => pattern.test(path))) return true;
  const clean = path.replace(/\/$/, "");
  return existsSync(join(ROOT, clean)) || existsSync(join(ROOT, clean.replace(/\.[a-zA-Z]+$/, ".ts")));
}

describe("documents cite what exists", () => {
  for (const doc of DOCS) {
    it(`${doc}: every repository path it cites exists`, () => {
      const missing = citedPaths(doc).filter((path) => !exists(path));
      expect(missing).toEqual([]);
    });
  }

  it("every `npm run <script>` in the documents is a script of package.json", () => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
    const used = DOCS.flatMap((doc) => [...read(doc).matchAll(/npm run ([\w:-]+)/g)].map((m) => `${doc}: ${m[1] ?? ""}`));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((entry) => !scripts.includes(entry.split(": ")[1] ?? ""))).toEqual([]);
  });
});

describe("runbook links land on a heading", () => {
  /** Files that link runbook sections: documents, Terraform (alarm descriptions, comments). */
  const linking = [
    ...DOCS,
    ...readdirSync(join(ROOT, "terraform"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".tf"))
      .map((f) => `terraform/${f}`),
    "serverless.yml",
  ];

  it("the agreed alarm anchors exist as headings", () => {
    const agreed = [
      "api-5xx-rate", "lambda-errors", "lambda-throttles", "scheduled-job-failed", "dead-letters", "outbox-lag",
      "dynamodb-throttling", "eventbridge-outage", "cognito-throttling", "mail-failures-and-ses-reputation",
      "synthetic-canary-failing", "rollback", "point-in-time-restore", "rotating-the-standing-test-users-password",
    ];
    expect(agreed.filter((anchor) => !anchors.has(anchor))).toEqual([]);
    expect(RUNBOOKS).not.toMatch(/^## \d+\. /m);
    // Sections are named by their anchors: a number ("runbook 5", "section 1") goes stale.
    const numbered = DOCS.flatMap((doc) => [...read(doc).matchAll(/\b(runbook|section) \d+\b/gi)].map((m) => `${doc}: ${m[0]}`));
    expect(numbered.filter((ref) => ref.startsWith("docs/runbooks.md") || /runbook/i.test(ref))).toEqual([]);
  });

  it("every runbooks.md#anchor, ${local.runbook}#anchor and in-page #anchor resolves", () => {
    const links = linking.flatMap((file) => {
      const text = read(file);
      const cited = [...text.matchAll(/(?:runbooks\.md|\$\{local\.runbook\}|\$\{var\.runbook_base_url\})#([\w-]+)/g)];
      const inPage = file === "docs/runbooks.md" ? [...text.matchAll(/\]\(#([\w-]+)\)/g)] : [];
      return [...cited, ...inPage].map((m) => ({ file, anchor: m[1] ?? "" }));
    });
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((link) => !anchors.has(link.anchor))).toEqual([]);
  });
});

/**
 * AWS CLI v2 commands the runbooks use, each looked up in the CLI reference
 * (docs.aws.amazon.com/cli/latest/reference/<service>/<command>). A new command in a runbook
 * must be looked up and added here: a misspelt or invented one fails.
 */
const CLI_COMMANDS: Record<string, string[]> = {
  apigateway: ["get-rest-apis", "get-stage", "update-stage"],
  cloudformation: ["describe-stack-events", "describe-stacks"],
  cloudtrail: ["get-trail-status", "lookup-events"],
  cloudwatch: ["describe-insight-rules", "get-insight-rule-report", "get-metric-statistics", "describe-alarms"],
  "cognito-idp": [
    "admin-delete-user", "admin-disable-user", "admin-get-user", "admin-set-user-password", "admin-user-global-sign-out",
    "admin-confirm-sign-up", "admin-add-user-to-group", "list-users", "sign-up",
  ],
  deploy: ["get-deployment", "list-deployments", "stop-deployment"],
  dynamodb: [
    "create-backup", "delete-item", "delete-table", "describe-table", "get-item", "put-item", "query", "scan",
    "restore-table-from-backup", "restore-table-to-point-in-time", "update-continuous-backups", "update-table",
    "update-time-to-live", "wait",
  ],
  dynamodbstreams: ["get-records", "get-shard-iterator"],
  iam: ["get-role", "list-open-id-connect-providers"],
  lambda: [
    "get-account-settings", "get-function-concurrency", "get-function-configuration", "invoke", "list-event-source-mappings",
    "put-function-concurrency", "delete-function-concurrency", "update-function-configuration",
  ],
  logs: ["describe-log-groups", "get-query-results", "start-query", "tail"],
  "service-quotas": ["list-service-quotas", "request-service-quota-increase"],
  sesv2: ["get-account", "get-configuration-set", "list-suppressed-destinations", "put-account-sending-attributes", "put-configuration-set-sending-options", "get-email-identity"],
  sqs: ["delete-message", "get-queue-attributes", "get-queue-url", "list-message-move-tasks", "purge-queue", "receive-message", "start-message-move-task"],
  ssm: ["get-parameter", "put-parameter"],
  synthetics: ["get-canary-runs"],
  wafv2: ["associate-web-acl", "get-sampled-requests"],
};

describe("runbook commands are real ones", () => {
  it("every `aws <service> <command>` is a command of the AWS CLI", () => {
    const used = [...RUNBOOKS.matchAll(/\baws ([a-z0-9-]+) ([a-z0-9-]+)/g)].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`);
    expect(used.length).toBeGreaterThan(40);
    const unknown = [...new Set(used)].filter((command) => {
      const [service = "", name = ""] = command.split(" ");
      return !(CLI_COMMANDS[service] ?? []).includes(name);
    });
    expect(unknown).toEqual([]);
  });

  it("a Logs Insights query is never started without reading its results", () => {
    const starts = [...RUNBOOKS.matchAll(/aws logs start-query/g)].length;
    expect(starts).toBeGreaterThan(0);
    expect([...RUNBOOKS.matchAll(/aws logs get-query-results/g)].length).toBeGreaterThanOrEqual(starts);
  });

  it("no command depends on GNU's or BSD's date flags, and no queue is purged", () => {
    expect(RUNBOOKS).not.toMatch(/\$\(date (-u )?(-d|--date|-v)\b/);
    expect(RUNBOOKS).not.toMatch(/aws sqs purge-queue --/);
  });
});

describe("the runbooks' figures are the code's", () => {
  it("outbox items outlive the relay-failures queue's pointers, in the numbers the runbook gives", () => {
    const days = Number(/`OUTBOX#`\s+items: they stay (\d+) days/.exec(RUNBOOKS)?.[1]);
    expect(days * 86_400).toBe(OUTBOX_RETENTION_SECONDS);
    const queues = read("terraform/queues.tf");
    const retention = [...queues.matchAll(/message_retention_seconds\s*=\s*(\d+)/g)].map((m) => Number(m[1]));
    const queueDays = Number(/longer than this queue keeps the pointer \((\d+) days\)/.exec(RUNBOOKS)?.[1]);
    expect(retention.every((seconds) => seconds === queueDays * 86_400)).toBe(true);
    expect(days).toBeGreaterThan(queueDays);
  });
});
