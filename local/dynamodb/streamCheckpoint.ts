import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Where a stream reader is: the last sequence number handled, per shard. */
export interface StreamCheckpoint {
  /** The saved positions, or undefined when the stream has never been read (a first-ever start). */
  load(): Promise<Record<string, string> | undefined>;
  save(shardId: string, sequenceNumber: string): Promise<void>;
}

/**
 * The event source mapping's position, kept in a JSON file so a restarted local stack resumes where
 * it stopped. Loading creates the file: from then on a shard without a position is one that was
 * created while the reader was away, and is read from its start.
 */
export function fileStreamCheckpoint(file: string): StreamCheckpoint {
  let positions: Record<string, string> = {};
  let writing: Promise<void> = Promise.resolve();

  // Write a temporary file and rename it over the old one: a crash never leaves half a JSON document.
  const write = () => {
    const snapshot = JSON.stringify(positions, null, 2);
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        const temporary = `${file}.${randomUUID()}.tmp`;
        await writeFile(temporary, `${snapshot}\n`);
        await rename(temporary, file);
      });
    return writing;
  };

  return {
    async load() {
      const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      if (text === undefined) {
        positions = {};
        await write();
        return undefined;
      }
      positions = parsePositions(text, file);
      return { ...positions };
    },
    async save(shardId, sequenceNumber) {
      positions = { ...positions, [shardId]: sequenceNumber };
      await write();
    },
  };
}

function parsePositions(text: string, file: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${file} is not a stream checkpoint`);
  const entries = Object.entries(parsed);
  if (!entries.every(([, value]) => typeof value === "string")) throw new Error(`${file} is not a stream checkpoint`);
  return Object.fromEntries(entries) as Record<string, string>;
}
