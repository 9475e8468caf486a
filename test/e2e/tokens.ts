import { createSign, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

/** Signs RS256 with the given PEM key; the header names cognito-local's key id. */
export function signRs256(payload: Record<string, unknown>, privateKeyPem: string, kid = "CognitoLocal"): string {
  const unsigned = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64(payload)}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(privateKeyPem).toString("base64url");
  return `${unsigned}.${signature}`;
}

/**
 * cognito-local's signing key: it ships in the package (a local-only gap the docs name), which lets
 * a test mint a token with a valid signature and one wrong claim, such as an expiry in the past.
 */
export function cognitoLocalPrivateKey(): string {
  const path = createRequire(import.meta.url).resolve("cognito-local/lib/keys/cognitoLocal.private.json");
  return (JSON.parse(readFileSync(path, "utf8")) as { pem: string }).pem;
}

export function strangerPrivateKey(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

export function unsignedToken(payload: Record<string, unknown>): string {
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
}
