// A static import: esbuild bundles only the client and commands used here (a dynamic import would
// bundle every command of the service). Functions that never build this adapter do not bundle it.
import * as ssm from "@aws-sdk/client-ssm";
import { traced } from "../../observability.js";
import { localEndpoint } from "../localEndpoint.js";

export interface SsmSecretConfig {
  /** Name of the SecureString parameter, e.g. /user-service/prod/code-secret. */
  parameterName: string;
  region: string;
  /** Only for tests against a stand-in server. */
  endpoint?: string;
}

/**
 * The secret in AWS: an SSM SecureString, decrypted by SSM (GetParameter WithDecryption). The
 * client is created only when a digest is first needed, and the caller (createHmacHasher) reads
 * the value once per container.
 */
export function ssmSecretKey(config: SsmSecretConfig): () => Promise<Uint8Array> {
  return async () => {
    const client = traced(new ssm.SSMClient({ region: config.region, ...localEndpoint(config.endpoint) }));
    try {
      const { Parameter } = await client.send(new ssm.GetParameterCommand({ Name: config.parameterName, WithDecryption: true }));
      if (!Parameter?.Value) throw new Error(`SSM parameter ${config.parameterName} has no value`);
      return Buffer.from(Parameter.Value, "utf8");
    } finally {
      client.destroy();
    }
  };
}
