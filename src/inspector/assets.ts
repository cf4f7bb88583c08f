import * as fs from "node:fs";
import * as path from "node:path";

/** One file the inspector serves: where it is and its content type. */
interface Asset {
  file: string;
  type: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** The page's own files: `public/` beside this module (copied to dist/ by the build). */
export const PUBLIC_DIR = path.join(__dirname, "public");

/**
 * The front end's libraries, straight from their npm packages (no build step, no CDN): Preact with
 * htm in htm's one-file bundle, and uPlot. Resolved where Node finds the packages, so a hoisted or
 * nested install works alike.
 */
function vendorAssets(): Record<string, Asset> {
  const htmDir = path.dirname(path.dirname(require.resolve("htm")));
  const uplotDir = path.dirname(require.resolve("uplot/dist/uPlot.esm.js"));
  return {
    "/vendor/htm-preact.js": {
      file: path.join(htmDir, "preact", "standalone.module.js"),
      type: TYPES[".js"],
    },
    "/vendor/uplot.js": { file: path.join(uplotDir, "uPlot.esm.js"), type: TYPES[".js"] },
    "/vendor/uplot.css": { file: path.join(uplotDir, "uPlot.min.css"), type: TYPES[".css"] },
  };
}

/**
 * Every URL path the inspector answers with a file: a fixed list made at start, so no request path is
 * ever joined onto a directory.
 */
export function assetTable(): Map<string, Asset> {
  const table = new Map<string, Asset>();
  for (const name of fs.readdirSync(PUBLIC_DIR)) {
    const type = TYPES[path.extname(name)];
    if (type) table.set(`/${name}`, { file: path.join(PUBLIC_DIR, name), type });
  }
  const index = table.get("/index.html");
  if (index) table.set("/", index);
  for (const [url, asset] of Object.entries(vendorAssets())) table.set(url, asset);
  return table;
}

/** Files are read once, on first request. */
export class AssetCache {
  private readonly loaded = new Map<string, Buffer>();

  constructor(private readonly table: Map<string, Asset>) {}

  get(url: string): { body: Buffer; type: string } | undefined {
    const asset = this.table.get(url);
    if (!asset) return undefined;
    let body = this.loaded.get(asset.file);
    if (!body) {
      body = fs.readFileSync(asset.file);
      this.loaded.set(asset.file, body);
    }
    return { body, type: asset.type };
  }
}
