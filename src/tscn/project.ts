import * as fs from "node:fs";
import * as path from "node:path";
import { readPrefixSync } from "../loader/readBudget";
import { fileNameToPascal } from "./naming";

/** Bytes of a GDScript read to find its class_name. */
const GD_SCRIPT_PREFIX = 64 * 1024;

/** The nearest folder at or above `folder` holding a `project.godot`, or null. */
export function findGodotProject(folder: string): string | null {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    if (isFile(path.join(dir, "project.godot"))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/** A `res://` path (or one relative to the scene) as an absolute file path. */
export function resolveResPath(resPath: string, projectRoot: string, sceneFolder: string): string {
  if (resPath.startsWith("res://")) return path.resolve(projectRoot, resPath.slice("res://".length));
  return path.resolve(sceneFolder, resPath);
}

/** `./x.scene.json`-style path from `fromFolder` to `target`, with forward slashes. */
export function relativeRef(fromFolder: string, target: string): string {
  const rel = path.relative(fromFolder, target).split(path.sep).join("/");
  return rel.startsWith("../") ? rel : `./${rel}`;
}

/** What the importer knows about a GDScript file. */
export interface GdScriptInfo {
  /** The script's `class_name`, when it declares one. */
  className: string | null;
  /** The file name as a class name (`foo_bar.gd` → `FooBar`). */
  fileClassName: string;
  /** False when the file could not be read (its class_name is then unknown). */
  readable: boolean;
}

const CLASS_NAME = /^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*class_name\s+([A-Za-z_][A-Za-z0-9_]*)/m;

/** Reads the `class_name` line of a `.gd` file (Godot 3: `class_name X, "icon"`; Godot 4: may follow `@tool`). */
export function readGdScript(file: string): GdScriptInfo {
  const fileClassName = fileNameToPascal(path.basename(file));
  // Only the top is read: class_name comes first, and the path may lead to a device or a huge file.
  const text = readPrefixSync(file, GD_SCRIPT_PREFIX);
  if (text === null) return { className: null, fileClassName, readable: false };
  const match = CLASS_NAME.exec(text);
  return { className: match ? match[1] : null, fileClassName, readable: true };
}

export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
