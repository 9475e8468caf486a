import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import { zipEntries } from "./zipEntries.js";

/**
 * Extracts a packaged function's zip into `dir` and returns the names of the files it wrote; an
 * entry that would land outside `dir` is refused.
 */
export function unzip(file: string, dir: string): string[] {
  const names: string[] = [];
  let entries;
  try {
    entries = zipEntries(readFileSync(file));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  for (const entry of entries) {
    const target = normalize(join(dir, entry.name));
    if (!target.startsWith(normalize(dir) + sep)) throw new Error(`${file}: entry ${entry.name} is outside the package`);
    if (entry.name.endsWith("/")) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data());
    names.push(entry.name);
  }
  return names;
}
