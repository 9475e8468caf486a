import { randomBytes } from "node:crypto";
import type { AppConfig } from "../../composition/config.js";
import type { KeyedHasher } from "../../ports/keyedHasher.js";
import { fileSecretKey } from "./fileSecretKey.js";
import { extensionSecretKey } from "./extensionSecretKey.js";
import { createHmacHasher, MIN_SECRET_BYTES } from "./hmacHasher.js";

/**
 * Where the key comes from: SSM, through the Parameters and Secrets Lambda Extension (in AWS, and
 * in the local stack, which serves the same protocol); a file, for a process that names one. In
 * Lambda without a parameter the digest fails (a per-container key would make codes fail on every
 * other container); any other lone process (bench, scripts) gets a key of its own, and its codes
 * die with it.
 */
export function createKeyedHasher(
  config: Pick<AppConfig, "region" | "codeSecretParameter" | "codeSecretFile">,
  env: NodeJS.ProcessEnv = process.env,
): KeyedHasher {
  if (config.codeSecretParameter) {
    return createHmacHasher(extensionSecretKey({ parameterName: config.codeSecretParameter }, env));
  }
  if (config.codeSecretFile) return createHmacHasher(fileSecretKey(config.codeSecretFile));
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    return createHmacHasher(() => Promise.reject(new Error("CODE_SECRET_PARAMETER is not set")));
  }
  return createHmacHasher(() => Promise.resolve(randomBytes(MIN_SECRET_BYTES)));
}
