import type { NodeLike } from "./node/data";

/** What a node instanced from a scene remembers of it: Godot's `scene_file_path`, and a way to build it again. */
export interface SceneSource {
  readonly file: string;
  instantiate(): NodeLike;
}

const sources = new WeakMap<NodeLike, SceneSource>();

/** Marks `node` as the root of an instance of `source` (or clears the mark with null). */
export function setSceneSource(node: NodeLike, source: SceneSource | null | undefined): void {
  if (source) sources.set(node, source);
  else sources.delete(node);
}

export function sceneSourceOf(node: NodeLike): SceneSource | undefined {
  return sources.get(node);
}
