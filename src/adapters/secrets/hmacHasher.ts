import { createHmac } from "node:crypto";
import type { KeyedHasher } from "../../ports/keyedHasher.js";
import { lazy } from "../lazy.js";

/** HMAC-SHA256 keys shorter than this are refused: a short or empty secret is a setup mistake. */
export const MIN_SECRET_BYTES = 32;

/**
 * HMAC-SHA256 under a key loaded once (per container in Lambda) on the first digest; concurrent
 * first calls share the load, and a failed load is tried again on the next call.
 */
export function createHmacHasher(loadKey: () => Promise<Uint8Array>): KeyedHasher {
  const key = lazy(async () => {
    const bytes = await loadKey();
    if (bytes.length < MIN_SECRET_BYTES) throw new Error(`The code secret must be at least ${MIN_SECRET_BYTES} bytes`);
    return bytes;
  });
  return {
    async digest(value) {
      return createHmac("sha256", await key()).update(value).digest("hex");
    },
  };
}
