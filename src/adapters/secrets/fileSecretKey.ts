import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

const NEW_SECRET_BYTES = 32;

/**
 * The local stack's secret: a file of random bytes, created on first use with owner-only access
 * and kept between runs (under the git-ignored .local/), so codes mailed before a restart still
 * confirm after it. `wx` makes two processes racing to create it agree on the first one written.
 */
export function fileSecretKey(path: string): () => Promise<Uint8Array> {
  return async () => {
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    try {
      await writeFile(path, randomBytes(NEW_SECRET_BYTES), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    return readFile(path);
  };
}
