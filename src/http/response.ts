/** What a route returns; httpHandler turns it into the proxy result. */
export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => ({
  statusCode: 200,
  body,
  ...(headers ? { headers } : {}),
});

export const created = (body: unknown, headers?: Record<string, string>): HttpResult => ({
  statusCode: 201,
  body,
  ...(headers ? { headers } : {}),
});

export const noContent = (): HttpResult => ({ statusCode: 204 });
