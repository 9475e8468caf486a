import { execFile } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { unzip } from "../../local/lambda/unzip.js";
import { apiEvent } from "../support/apiEvent.js";

/**
 * The packaged bundles still trace: scripts/esbuildPlugins.cjs bundles aws-xray-sdk-core without
 * the patchers Powertools Tracer never calls and with the local sampler, so this imports getMe's
 * handler file from its zip in a fresh node process set up as Lambda does (LAMBDA_TASK_ROOT, the
 * invocation's trace header, the daemon's address), invokes it once, and reads what reaches a
 * stand-in X-Ray daemon (UDP): the DynamoDB call is a subsegment (captureAWSv3Client) under the
 * handler's own (captureLambdaHandler), in the invocation's trace. DynamoDB is a local HTTP
 * server answering GetItem with no item (the route's 404).
 */
const TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793";
const CLIENT_ID = "app-client";

interface Segment {
  name: string;
  trace_id?: string;
  namespace?: string;
  aws?: { operation?: string; table_name?: string };
}

let dir: string;
let daemon: Socket;
let dynamo: Server;
const segments: Segment[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bundled-tracing-"));
  unzip(join(inject("packageDir"), "getMe.zip"), dir);
  daemon = createSocket("udp4");
  daemon.on("message", (message) => {
    // The SDK sends `{"format":"json","version":1}` and the segment, one per line.
    const body = message.toString("utf8").split("\n")[1];
    if (body) segments.push(JSON.parse(body) as Segment);
  });
  await new Promise<void>((resolve) => daemon.bind(0, "127.0.0.1", resolve));
  dynamo = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": "application/x-amz-json-1.0" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => dynamo.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  daemon.close();
  await new Promise((resolve) => dynamo.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("the packaged getMe, traced", () => {
  it("sends its handler and DynamoDB subsegments to the X-Ray daemon, in the invocation's trace", async () => {
    const event = apiEvent({ method: "GET", path: "/users/me", claims: { sub: "user-1", client_id: CLIENT_ID } });
    const handlerUrl = pathToFileURL(join(dir, "src/handlers/http/getMe.mjs")).href;
    const script = `
      const { handler } = await import(${JSON.stringify(handlerUrl)});
      const context = { functionName: "getMe", awsRequestId: "req-1", getRemainingTimeInMillis: () => 10000 };
      const response = await handler(${JSON.stringify(event)}, context);
      process.stdout.write(JSON.stringify({ statusCode: response.statusCode }) + "\\n");
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        LAMBDA_TASK_ROOT: dir,
        AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
        AWS_LAMBDA_FUNCTION_NAME: "getMe",
        AWS_REGION: "us-east-1",
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
        _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1`,
        TABLE_NAME: "ci-user-service",
        DYNAMODB_ENDPOINT: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
        COGNITO_CLIENT_ID: CLIENT_ID,
        POWERTOOLS_SERVICE_NAME: "user-service",
        POWERTOOLS_METRICS_NAMESPACE: "UserService",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
    });
    expect(stdout).toContain('{"statusCode":404}');
    await expect.poll(() => segments.map((s) => s.name)).toContain("DynamoDB");

    const call = segments.find((s) => s.name === "DynamoDB");
    expect(call).toMatchObject({ namespace: "aws", trace_id: TRACE_ID, aws: { operation: "GetItem", table_name: "ci-user-service" } });
    expect(segments.find((s) => s.name.startsWith("## "))).toMatchObject({ trace_id: TRACE_ID });
  });
});
