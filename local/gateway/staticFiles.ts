import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".yaml": "application/yaml; charset=utf-8",
};

export interface StaticFile {
  contentType: string;
  body: Buffer;
}

/** A file under `root` for a URL path (`/` is index.html); undefined when missing or outside root. */
export async function staticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath === "/" ? "/index.html" : urlPath);
  } catch {
    return undefined;
  }
  const file = normalize(join(root, relative));
  if (!file.startsWith(normalize(root) + sep)) return undefined;
  try {
    const info = await stat(file);
    const target = info.isDirectory() ? join(file, "index.html") : file;
    return { contentType: TYPES[extname(target)] ?? "application/octet-stream", body: await readFile(target) };
  } catch {
    return undefined;
  }
}
