import { SceneTreeError } from "../core/errors";
import type { EditSpec, NodeSpec, SceneSpec, SubScene } from "./validate";

/** A sub-scene whose root name an instance entry without a name of its own keeps. */
interface NamedSubScene extends SubScene {
  readonly spec: SceneSpec<NamedSubScene>;
}

/** One node entry: its name and its path from the scene root ("." for the root). */
interface StateNode {
  readonly name: string;
  readonly path: string;
}

/**
 * Godot's `SceneState` (a `PackedScene`'s `get_state()`), read-only: the node entries and connections
 * of one scene file. The entries are the file's, in its order: the root, then each node's children
 * depth first; an instanced sub-scene is one entry, followed by its `"editable"` entries (the nodes inside
 * it the file changes) and the children the file adds to it. The sub-scene's own nodes are not entries.
 */
export class SceneState {
  readonly #path: string;
  readonly #nodes: readonly StateNode[];
  readonly #connectionCount: number;

  /** @internal */
  constructor(path: string, spec: SceneSpec<NamedSubScene>) {
    this.#path = path;
    const nodes: StateNode[] = [];
    collect(spec.root, ".", nodes);
    this.#nodes = nodes;
    this.#connectionCount = spec.connections.length;
  }

  /** The scene file (empty for a scene packed and not loaded from a file), Godot's `get_path`. */
  getPath(): string {
    return this.#path;
  }

  getNodeCount(): number {
    return this.#nodes.length;
  }

  /** The name of entry `index`; out of range is `ERR_OUT_OF_RANGE`. */
  getNodeName(index: number): string {
    return this.#node(index).name;
  }

  /** The path of entry `index` from the scene root (`"."`, `"Child"`, `"Child/Grandchild"`). */
  getNodePath(index: number): string {
    return this.#node(index).path;
  }

  /** The scene's connections (`"connections"`), Godot's `get_connection_count`. */
  getConnectionCount(): number {
    return this.#connectionCount;
  }

  #node(index: number): StateNode {
    const node = Number.isInteger(index) ? this.#nodes[index] : undefined;
    if (node === undefined) {
      throw new SceneTreeError(
        "ERR_OUT_OF_RANGE",
        `The scene state has no node ${index}: it has ${this.#nodes.length} (indices 0 to ${this.#nodes.length - 1}).`,
      );
    }
    return node;
  }
}

function collect(spec: NodeSpec<NamedSubScene>, path: string, out: StateNode[]): void {
  const name = spec.name ?? spec.instance?.spec.root.name ?? "";
  out.push({ name, path });
  for (const edit of spec.edits) collectEdit(edit, path, out);
  for (const child of spec.children) collect(child, join(path, child), out);
}

function collectEdit(edit: EditSpec<NamedSubScene>, instancePath: string, out: StateNode[]): void {
  const path = instancePath === "." ? edit.path : `${instancePath}/${edit.path}`;
  out.push({ name: edit.path.slice(edit.path.lastIndexOf("/") + 1), path });
  for (const child of edit.children) collect(child, join(path, child), out);
}

function join(parentPath: string, child: NodeSpec<NamedSubScene>): string {
  const name = child.name ?? child.instance?.spec.root.name ?? "";
  return parentPath === "." ? name : `${parentPath}/${name}`;
}
