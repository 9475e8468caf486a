import { inflateRawSync } from "node:zlib";

/** One entry of a zip: its name, its uncompressed size, and its bytes, read when asked for. */
export interface ZipEntry {
  name: string;
  size: number;
  data: () => Buffer;
}

const END_OF_DIRECTORY = 0x06054b50;

/**
 * A zip's entries, read from its central directory as Lambda reads a deployment package: what
 * `npm run package` writes (stored or deflated entries, no zip64). The one zip reader of the
 * repository: the local stack unzips the packaged functions with it (./unzip.ts), the infra tests
 * read what the zips ship.
 */
export function zipEntries(zip: Buffer): ZipEntry[] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_DIRECTORY) end -= 1;
  if (end < 0) throw new Error("not a zip file");
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const data = () => {
      if (method !== 0 && method !== 8) throw new Error(`entry ${name} uses compression method ${method}`);
      const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const raw = zip.subarray(start, start + compressedSize);
      return method === 8 ? inflateRawSync(raw) : raw;
    };
    entries.push({ name, size, data });
  }
  return entries;
}
