import { parse } from "@cdktf/hcl2json";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

type Block = Record<string, unknown>;

/** One parsed .tf file: hcl2json's shape, every top-level block kind kept (check, removed, output, terraform...). */
export interface HclFile {
  file: string;
  text: string;
  blocks: Record<string, unknown>;
}

/** Every .tf file directly in `dir`, parsed offline. */
export async function readHclFiles(dir: string): Promise<HclFile[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".tf"))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const text = readFileSync(join(dir, file), "utf8");
      return { file, text, blocks: (await parse(file, text)) as Record<string, unknown> };
    }),
  );
}

/** The blocks of one kind across files, by name (`check`, `output`, ...): name -> body. */
export function namedBlocks(files: HclFile[], kind: string): Record<string, Block> {
  const out: Record<string, Block> = {};
  for (const { blocks } of files) {
    for (const [name, bodies] of Object.entries((blocks[kind] ?? {}) as Record<string, Block[]>)) out[name] = bodies[0] ?? {};
  }
  return out;
}

/** Unnamed blocks of one kind across files (`removed`, `terraform`). */
export function listBlocks(files: HclFile[], kind: string): Block[] {
  return files.flatMap(({ blocks }) => (blocks[kind] ?? []) as Block[]);
}
