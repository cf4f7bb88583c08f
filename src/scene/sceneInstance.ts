import { NODE, type NodeLike, type SceneSource } from "./node/data";

export type { SceneSource } from "./node/data";

/**
 * Marks `node` as the root of an instance of `source` (or clears the mark with null). Kept in the node's
 * record (`sceneSource`): every instance of a fleet marks its root, and a WeakMap insertion per instance
 * costs about a microsecond where a field costs nothing.
 */
export function setSceneSource(node: NodeLike, source: SceneSource | null | undefined): void {
  node[NODE].sceneSource = source ?? null;
}

export function sceneSourceOf(node: NodeLike): SceneSource | undefined {
  return node[NODE].sceneSource ?? undefined;
}
