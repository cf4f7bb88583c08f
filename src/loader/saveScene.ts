import * as fs from "node:fs";
import * as path from "node:path";
import { SceneTreeError } from "../core/errors";
import { formatSceneJson } from "./jsonText";
import { PackedScene } from "./PackedScene";
import { describeArgument } from "./packError";

/**
 * The scene file text of `packed` (2-space JSON, the README's key order, a final newline), with its
 * `"instance"` and `"scripts"` paths relative to the folder of `file`, where it is to be written.
 * Without `file`, paths stay as the scene has them: absolute for a packed scene, as written for a
 * loaded one.
 */
export function sceneFileText(packed: PackedScene, file?: string): string {
  checkPacked("sceneFileText", packed);
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
      `saveScene writes JSON scene files: give a path ending in .json (such as main.scene.json), not ${JSON.stringify(file)}.`,
    );
  }
  checkPacked("saveScene", packed);
  const text = sceneFileText(packed, file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await fs.promises.writeFile(temporary, text);
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true }).catch(() => undefined); // ENOTDIR: there is none
    throw await aboutTarget(error, file, temporary);
  }
}

function checkPacked(caller: string, packed: unknown): void {
  if (packed instanceof PackedScene) return;
  throw new SceneTreeError(
    "ERR_INVALID_ARGUMENT",
    `${caller} needs a PackedScene (from PackedScene.pack(node) or loadScene(file)), got ${describeArgument(packed)}.`,
  );
}

/**
 * The file system's error about the temporary file, said of the file asked for (the temporary one is
 * an implementation detail): a missing folder is named as such. The code, errno and syscall stay.
 */
async function aboutTarget(error: unknown, file: string, temporary: string): Promise<unknown> {
  // Not `instanceof Error`: the file system's errors may come from another realm (a vm context, jest).
  const failure = error as NodeJS.ErrnoException | null;
  if (typeof failure !== "object" || failure === null) return error;
  if (failure.path !== temporary || typeof failure.code !== "string") return error;
  const folder = path.dirname(file);
  const kind = failure.code === "ENOENT" || failure.code === "ENOTDIR" ? await kindOf(folder) : "folder";
  const missing = kind !== "folder";
  const message = missing
    ? `${failure.code}: ${kind === "file" ? `'${folder}' is a file, not a folder` : `the folder '${folder}' does not exist`} (saveScene does not create folders), so '${file}' can't be written`
    : failure.message.split(temporary).join(file);
  const out: NodeJS.ErrnoException = new Error(message);
  out.code = failure.code;
  if (failure.errno !== undefined) out.errno = failure.errno;
  if (failure.syscall !== undefined) out.syscall = failure.syscall;
  out.path = missing ? folder : file;
  return out;
}

async function kindOf(folder: string): Promise<"folder" | "file" | "missing"> {
  try {
    return (await fs.promises.stat(folder)).isDirectory() ? "folder" : "file";
  } catch {
    return "missing";
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
