import { Callable } from "../Callable";
import { ConnectFlags } from "../GodotObject";
import type { Node } from "../Node";
import type { OutlineNode } from "./outline";
import type { JsonSource } from "./parseJson";
import { ProblemList } from "./problems";
import type { NodeTypeInfo } from "./registry";
import { SceneError } from "./SceneError";
import type { NodeSpec, SceneSpec } from "./validate";
import { segmentsOf, type JsonPathSegment } from "./jsonPath";

type PendingNodePath = readonly [node: Node, prop: string, path: string, spec: NodeSpec<PackedScene>];

interface BuildState {
  root: Node | null;
  pending: PendingNodePath[];
}

/**
 * A validated scene file, Godot's `PackedScene`: `instantiate()` builds a fresh node tree from it as
 * many times as needed. Nothing can fail validation any more at that point; what remains is user code
 * (constructors and setters), whose errors are reported with the node's place in the file.
 */
export class PackedScene {
  /** @internal */
  constructor(
    /** The scene file this came from (as given to `parseScene` when not loaded from disk). */
    readonly file: string,
    private readonly spec: SceneSpec<PackedScene>,
    private readonly source: JsonSource,
  ) {}

  /** @internal The scene's shape, for validating scenes that instance this one. */
  get outline(): OutlineNode {
    return this.spec.outline;
  }

  /** @internal */
  get rootInfo(): NodeTypeInfo | null {
    return this.spec.root.info ?? this.spec.root.instance?.rootInfo ?? null;
  }

  /** @internal Nodes one instance builds, sub-scenes included. */
  get nodeCount(): number {
    return this.spec.nodeCount;
  }

  /** @internal Levels of nodes, the root being 1, sub-scenes included. */
  get height(): number {
    return this.spec.height;
  }

  /** Modules this scene imported before it was validated (absolute paths). */
  get scripts(): readonly string[] {
    return this.spec.scripts;
  }

  canInstantiate(): boolean {
    return true;
  }

  /**
   * Builds the scene: every node created with its props, added under its parent and owned by the scene
   * root (an instanced sub-scene's nodes stay owned by its own root, as in Godot), NodePath props
   * resolved, then the connections made, all before the scene enters any tree.
   */
  instantiate<T extends Node = Node>(): T {
    const state: BuildState = { root: null, pending: [] };
    try {
      const root = this.build(this.spec.root, null, null, state);
      for (const [node, prop, path, spec] of state.pending) {
        const target = node.getNodeOrNull(path);
        if (!target)
          throw this.error(
            segmentsOf(spec.jsonPath, "props", prop),
            `No node at "${path}" from "${label(root, node)}".`,
          );
        (node as unknown as Record<string, unknown>)[prop] = target;
      }
      for (const c of this.spec.connections) {
        const from = root.getNode(c.from);
        const callable = new Callable(root.getNode(c.to), c.method).bind(...c.binds.map(copyValue));
        // Godot marks scene connections PERSIST (they are saved with the scene).
        from.connect(c.signal as never, callable, c.flags | ConnectFlags.PERSIST);
      }
      return root as T;
    } catch (error) {
      // Nothing half-built is left behind: the caller gets an error and no nodes.
      if (state.root?.isInstanceValid()) state.root.free();
      throw error instanceof SceneError
        ? error
        : this.error(["connections"], describeError("Connecting failed", error));
    }
  }

  private build(
    spec: NodeSpec<PackedScene>,
    parent: Node | null,
    sceneRoot: Node | null,
    state: BuildState,
  ): Node {
    const node = this.create(spec, state);
    // Indexed loops over usually-empty arrays: this runs once per node of every instance.
    const groups = spec.groups;
    for (let i = 0; i < groups.length; i++) node.addToGroup(groups[i], true);
    // The unique flag before the owner, as validation models it: an instance root whose own flag is
    // overridden with false must never claim its %Name in this scene, even for a moment.
    if (spec.unique !== null) node.uniqueNameInOwner = spec.unique;
    if (parent) {
      try {
        parent.addChild(node);
        node.owner = sceneRoot;
      } catch (error) {
        throw this.error(segmentsOf(spec.jsonPath), describeError("Adding the node failed", error));
      }
    }
    const nodePaths = spec.nodePaths;
    for (let i = 0; i < nodePaths.length; i++)
      state.pending.push([node, nodePaths[i][0], nodePaths[i][1], spec]);
    const owner = sceneRoot ?? node;
    const children = spec.children;
    for (let i = 0; i < children.length; i++) this.build(children[i], node, owner, state);
    return node;
  }

  /** The node itself, with its name and props: where the node's own code (constructor, setters) runs. */
  private create(spec: NodeSpec<PackedScene>, state: BuildState): Node {
    let node: Node | null = null;
    try {
      if (spec.instance) {
        node = spec.instance.instantiate();
        if (spec.name !== null) node.name = spec.name;
      } else {
        node = new spec.info!.nodeClass();
        node.name = spec.name!;
      }
      state.root ??= node;
      const props = spec.props;
      for (let i = 0; i < props.length; i++) {
        (node as unknown as Record<string, unknown>)[props[i][0]] = copyValue(props[i][1]);
      }
      return node;
    } catch (error) {
      if (node && node !== state.root && node.isInstanceValid()) node.free(); // not in the tree yet
      throw error instanceof SceneError
        ? error
        : this.error(segmentsOf(spec.jsonPath), describeError("Creating the node failed", error));
    }
  }

  private error(at: readonly JsonPathSegment[], message: string): SceneError {
    const problems = new ProblemList(this.file, this.source);
    problems.add(
      "ERR_INSTANTIATE",
      at,
      message,
      "The node's own code threw while the scene was built; see the message.",
    );
    return new SceneError(problems.items);
  }
}

/** A node of a scene being built, named by its path from the scene root (`Main/Clock`). */
function label(root: Node, node: Node): string {
  return node === root ? root.name : `${root.name}/${root.getPathTo(node)}`;
}

function describeError(what: string, error: unknown): string {
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

/** JSON arrays and objects are copied per instance so two instances never share one. */
function copyValue(value: unknown): unknown {
  return value !== null && typeof value === "object" ? structuredClone(value) : value;
}
