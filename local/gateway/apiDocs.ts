import { createRequire } from "node:module";
import { basename, dirname } from "node:path";
import { staticFile, type StaticFile } from "./staticFiles.js";

/** Where the page at /docs loads Swagger UI from: only these files of swagger-ui-dist's own folder. */
export const SWAGGER_UI_PREFIX = "/docs/swagger-ui/";
const SWAGGER_UI_FILES = new Set(["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "favicon-16x16.png"]);

let distFolder: string | undefined;
/** The installed swagger-ui-dist package's folder (a devDependency: the local stack's only). */
function swaggerUiDist(): string {
  distFolder ??= dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  return distFolder;
}

export interface ApiDocsFiles {
  /** The web page's folder: the docs page is its docs/index.html (with docs/docs.js beside it). */
  webRoot: string;
  openApiFile: string;
}

/**
 * The interactive API reference: `/docs` is the Swagger UI page, `/docs/openapi.yaml` the raw
 * document, `/docs/swagger-ui/*` an allow-list of swagger-ui-dist's files (nothing else of
 * node_modules). `"not-docs"` for any other path, which the web page's files may answer.
 */
export async function apiDocsFile(pathname: string, files: ApiDocsFiles): Promise<StaticFile | undefined | "not-docs"> {
  if (pathname === "/docs" || pathname === "/docs/") return staticFile(files.webRoot, "/docs/index.html");
  if (pathname === "/docs/openapi.yaml") return staticFile(dirname(files.openApiFile), `/${basename(files.openApiFile)}`);
  if (pathname.startsWith(SWAGGER_UI_PREFIX)) {
    const name = pathname.slice(SWAGGER_UI_PREFIX.length);
    return SWAGGER_UI_FILES.has(name) ? staticFile(swaggerUiDist(), `/${name}`) : undefined;
  }
  return "not-docs";
}
