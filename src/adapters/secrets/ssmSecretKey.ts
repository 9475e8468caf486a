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
 * client is loaded only when a digest is first needed: functions that never hash do not pay for
 * it, and the caller (createHmacHasher) reads the value once per container.
 */
export function ssmSecretKey(config: SsmSecretConfig): () => Promise<Uint8Array> {
  return async () => {
    const ssm = await import("@aws-sdk/client-ssm");
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
