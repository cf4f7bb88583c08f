import * as fs from "node:fs";
import * as path from "node:path";
import { SceneTreeError } from "../core/errors";
import { formatSceneJson } from "./jsonText";
import { PackedScene } from "./PackedScene";

/**
 * The scene file text of `packed` (2-space JSON, the README's key order, a final newline), with its
 * `"instance"` and `"scripts"` paths relative to the folder of `file`, where it is to be written.
 * Without `file`, paths stay as the scene has them: absolute for a packed scene, as written for a
 * loaded one.
 */
export function sceneFileText(packed: PackedScene, file?: string): string {
  if (!(packed instanceof PackedScene))
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", "sceneFileText needs a PackedScene.");
  const doc = JSON.parse(packed.text) as Record<string, unknown>;
  if (file !== undefined) {
    // A packed scene's paths are absolute; a loaded one's are relative to the file it came from.
    const from = packed.file === "" ? process.cwd() : path.dirname(path.resolve(packed.file));
    const to = path.dirname(path.resolve(file));
    rebaseInstances(doc.root, from, to);
    const scripts = doc.scripts;
    if (Array.isArray(scripts)) {
      const real = packed.scripts.length === scripts.length ? packed.scripts : (scripts as string[]);
      doc.scripts = real.map((script) => relativeRef(to, path.resolve(from, script)));
    }
  }
  return formatSceneJson(doc);
}

/**
 * Godot's `ResourceSaver.save(packed, path)` for scenes: writes `packed` (from `PackedScene.pack`, or
 * loaded) as a `.scene.json` file at `file`, its instance and script paths relative to that file's
 * folder. The file is replaced whole (written beside it, then renamed), so a reader never sees half of
 * it. Rejects with the file system's error when it can't be written.
 */
export async function saveScene(file: string, packed: PackedScene): Promise<void> {
  if (typeof file !== "string" || !/\.json$/i.test(file)) {
    throw new SceneTreeError(
      "ERR_INVALID_ARGUMENT",
      `saveScene writes JSON scene files: give a path ending in .scene.json, not ${JSON.stringify(file)}.`,
    );
  }
  const text = sceneFileText(packed, file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await fs.promises.writeFile(temporary, text);
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
}

/** Every `"instance"` of the node entries below `entry` (children, and editable entries' children). */
function rebaseInstances(entry: unknown, from: string, to: string): void {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return;
  const node = entry as Record<string, unknown>;
  if (typeof node.instance === "string") node.instance = relativeRef(to, path.resolve(from, node.instance));
  if (Array.isArray(node.children)) for (const child of node.children) rebaseInstances(child, from, to);
  const editable = node.editable;
  if (editable !== null && typeof editable === "object" && !Array.isArray(editable)) {
    for (const change of Object.values(editable as Record<string, unknown>)) {
      const children = (change as { children?: unknown } | null)?.children;
      if (Array.isArray(children)) for (const child of children) rebaseInstances(child, from, to);
    }
  }
}

/** `target` relative to `folder`, with `/` and a leading `./` as the README writes instance paths. */
function relativeRef(folder: string, target: string): string {
  const relative = path.relative(folder, target).split(path.sep).join("/");
  return relative.startsWith("../") || path.isAbsolute(relative) ? relative : `./${relative}`;
}
