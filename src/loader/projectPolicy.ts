import * as fs from "node:fs";
import * as path from "node:path";
import { sceneFormatFor } from "./sceneFormats";

/**
 * Where a load's files may come from. Everything is judged on real paths, the files that are actually
 * read or run: a symlink, `/proc/self/root/...` or any other alias is the file it leads to.
 */
export interface ProjectPolicy {
  /** The top-level scene's project folder (real path). */
  readonly project: string;
  readonly allowScriptsOutsideProject: boolean;
  readonly confineInstancesToProject: boolean;
}

/** The file a path leads to after every symlink; for a missing file, its real folder and its name. */
export function realPath(file: string): string {
  try {
    // native: one realpath(3) call, where the JavaScript version lstat()s every folder on the way.
    return fs.realpathSync.native(file);
  } catch {
    try {
      return path.join(fs.realpathSync.native(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
}

/** Whether `real` (a real path) lies inside `folder` (a real path). */
export function isInside(real: string, folder: string): boolean {
  return real.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** The nearest folder at or above `folder` with a package.json; `folder` itself when there is none. */
export function projectFolder(folder: string): string {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return folder;
  }
}

const JSON_EXTENSION = /\.json$/i;

/**
 * Scene files are `.json` (`.scene.json`) or of a registered format (Godot `.tscn`); nothing else is
 * read as a sub-scene.
 */
export function isSceneFileName(file: string): boolean {
  return JSON_EXTENSION.test(file) || sceneFormatFor(file) !== undefined;
}
