/**
 * SDK client options for an endpoint override (DynamoDB Local, cognito-local, the local bus and
 * queues). Local engines accept any credentials, and fixed ones keep the SDK from looking for real
 * ones on a developer's machine. Without an override (AWS) the SDK's defaults apply.
 */
export function localEndpoint(endpoint: string | undefined) {
  return endpoint ? { endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {};
}
