import * as fs from "node:fs";
import * as path from "node:path";

/** What a new project copies from scenetree's own package.json. */
export interface OwnManifest {
  version: string;
  /** Version ranges of the packages a new project depends on, exactly as scenetree declares them. */
  ranges: Record<SharedPackage, string>;
}

/**
 * Packages a new project shares with scenetree. Same ranges as ours, so `npm install` in the new project
 * resolves what is already in the npm cache. zod is not among them: scenetree exports its own copy as `z`.
 */
export const SHARED_PACKAGES = ["tsx", "typescript", "@types/node"] as const;
export type SharedPackage = (typeof SHARED_PACKAGES)[number];

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * Reads scenetree's package.json: the nearest one named "scenetree" above this module, so it is found
 * from `src/` and from any depth of a compiled `dist/`.
 */
export function readOwnManifest(from: string = __dirname): OwnManifest {
  const file = findOwnPackageJson(from);
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
  if (typeof manifest.version !== "string") throw new Error(`${file} has no "version".`);
  const ranges = {} as Record<SharedPackage, string>;
  for (const name of SHARED_PACKAGES) {
    const range = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
    if (range === undefined) throw new Error(`${file} declares no version of "${name}".`);
    ranges[name] = range;
  }
  return { version: manifest.version, ranges };
}

function findOwnPackageJson(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
      if (manifest.name === "scenetree") return file;
    }
    if (path.dirname(dir) === dir) throw new Error(`No scenetree package.json above ${from}.`);
  }
}

/**
 * An npm package name made from a folder name: lower case, URL-safe characters only, not starting with
 * "." or "_" (npm's rules). "scenetree-project" when nothing is left, or when the name would be
 * "scenetree" itself (npm refuses to install a package into a project of the same name).
 */
export function packageNameFor(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[-._~]+/, "")
    .replace(/-+$/, "")
    .slice(0, 214);
  return name === "" || name === "scenetree" ? "scenetree-project" : name;
}
