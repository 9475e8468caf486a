import { parse } from "@cdktf/hcl2json";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const TERRAFORM_DIR = resolve(import.meta.dirname, "../../../terraform");

type Block = Record<string, unknown>;
/** hcl2json's shape: resource -> type -> name -> [body]. */
export interface TerraformConfig {
  resource: Record<string, Record<string, Block[]>>;
  data: Record<string, Record<string, Block[]>>;
  variable: Record<string, Block[]>;
  locals: Block[];
}

/** Every .tf file of terraform/, parsed offline and merged. */
export async function readTerraform(dir = TERRAFORM_DIR): Promise<TerraformConfig> {
  const merged: TerraformConfig = { resource: {}, data: {}, variable: {}, locals: [] };
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".tf")).sort()) {
    const parsed = (await parse(file, readFileSync(join(dir, file), "utf8"))) as Partial<TerraformConfig>;
    for (const kind of ["resource", "data"] as const) {
      for (const [type, byName] of Object.entries(parsed[kind] ?? {})) {
        merged[kind][type] = { ...merged[kind][type], ...byName };
      }
    }
    Object.assign(merged.variable, parsed.variable ?? {});
    merged.locals.push(...(parsed.locals ?? []));
  }
  return merged;
}

export function resource(config: TerraformConfig, type: string, name: string): Block {
  const body = config.resource[type]?.[name]?.[0];
  if (!body) throw new Error(`terraform has no ${type}.${name}`);
  return body;
}

export function local(config: TerraformConfig, name: string): unknown {
  const block = config.locals.find((l) => name in l);
  if (!block) throw new Error(`terraform has no local.${name}`);
  return block[name];
}

export const first = (value: unknown): Block => (Array.isArray(value) ? (value[0] as Block) : (value as Block));
