import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readTerraform, TERRAFORM_DIR, type TerraformConfig } from "./support/terraform.js";

/**
 * What `terraform validate` would catch first, checked offline (the providers cannot be downloaded
 * here): every variable, local, data source and resource the stage's files name is declared in
 * one of them. Several files declare and read the same names (variables.tf, the locals of
 * domain.tf read by canary.tf and api_clients.tf, monitoring.tf's topics): a name renamed or
 * moved in one file and still read in another fails here.
 */
let tf: TerraformConfig;
beforeAll(async () => {
  tf = await readTerraform();
});

/** The code of a .tf file: full-line comments and `removed`/`moved`/`import` addresses dropped. */
const code = (file: string) =>
  readFileSync(join(TERRAFORM_DIR, file), "utf8")
    .split("\n")
    .filter((line) => !/^\s*(#|\/\/)/.test(line) && !/^\s*(from|to)\s*=/.test(line))
    .join("\n");

const files = () => readdirSync(TERRAFORM_DIR).filter((f) => f.endsWith(".tf"));

function undeclared(file: string): string[] {
  const text = code(file);
  const locals = new Set(tf.locals.flatMap((block) => Object.keys(block)));
  const missing: string[] = [];
  for (const [, name] of text.matchAll(/\bvar\.([a-z0-9_]+)/g)) if (!(name! in tf.variable)) missing.push(`var.${name}`);
  for (const [, name] of text.matchAll(/\blocal\.([a-z0-9_]+)/g)) if (!locals.has(name!)) missing.push(`local.${name}`);
  for (const [, type, name] of text.matchAll(/(?<![.\w])data\.([a-z0-9_]+)\.([a-z0-9_]+)/g)) {
    if (!tf.data[type!]?.[name!]) missing.push(`data.${type}.${name}`);
  }
  for (const [, type, name] of text.matchAll(/(?<![.\w"])((?:aws|random)_[a-z0-9_]+)\.([a-z0-9_]+)\b/g)) {
    if (!tf.resource[type!]?.[name!]) missing.push(`${type}.${name}`);
  }
  return [...new Set(missing)];
}

describe("Terraform's references", () => {
  it("finds the names it checks (the check itself can fail)", () => {
    const readers = files().filter((file) => /\bvar\.stage\b/.test(code(file)));
    expect(readers.length).toBeGreaterThan(3);
    expect(tf.variable.stage).toBeDefined();
    expect(tf.variable.not_declared_anywhere).toBeUndefined();
  });

  it.each(files())("%s names only declared variables, locals, data sources and resources", (file) => {
    expect(undeclared(file)).toEqual([]);
  });
});
