import { expect } from "vitest";
import { assertMatchesOpenApi } from "../support/openApiContract.js";
import { api } from "./stack.js";

/** One call whose status the test expects and whose whole answer the OpenAPI document must describe. */
export async function exchange<T = Record<string, unknown>>(
  status: number,
  method: string,
  path: string,
  options: Parameters<typeof api>[2] = {},
) {
  const response = await api<T>(method, path, options);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  assertMatchesOpenApi({ method, path, status: response.status, body: response.body, headers: response.headers });
  return response;
}
