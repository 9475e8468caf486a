import type { HttpResult } from "./response.js";

/**
 * A 200 JSON body the browser saves as a file: `Content-Disposition: attachment` with a file name
 * made only of safe characters (no quote, slash or header break can come from the name's parts),
 * and `Cache-Control: no-store`, since it is a person's data.
 */
export function jsonDownload(body: unknown, fileName: string): HttpResult {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, "_");
  return {
    statusCode: 200,
    body,
    headers: { "Content-Disposition": `attachment; filename="${safe}"`, "Cache-Control": "no-store" },
  };
}
