import { Callable } from "../Callable";
import { ConnectFlags } from "../GodotObject";
import type { Node } from "../Node";
import type { OutlineNode } from "./outline";
import type { JsonSource } from "./parseJson";
import { ProblemList } from "./problems";
import type { NodeTypeInfo } from "./registry";
import { SceneError } from "./SceneError";
import type { NodeSpec, SceneSpec } from "./validate";
import type { JsonPathSegment } from "./jsonPath";
import { setSceneSource } from "../sceneInstance";

type PendingNodePath = readonly [node: Node, prop: string, path: string, spec: NodeSpec<PackedScene>];

interface BuildState {
  root: Node | null;
  pending: PendingNodePath[];
  placeholders: InstantiateOptions["placeholders"];
  /** Fills the placeholders into a string, or null when there are none. */
  fill: ((text: string) => string) | null;
}

export interface InstantiateOptions {
  /**
   * Values for `{name}` placeholders in string props, in sub-scenes and inside arrays and objects too:
   * `{ index: 3 }` turns `"ws://host/bot/{index}"` into `"ws://host/bot/3"`. Only the names given here
   * are replaced; other braces are left as they are. Node names and NodePath props are not touched.
   */
  placeholders?: Readonly<Record<string, string | number>>;
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

  /**
   * The file's `"thresholds"`: metric (or `metric{tag:value}`) to k6 expressions, already checked;
   * `scenetree run` applies them at the end of the run (`parseThresholds` turns them into thresholds).
   * Empty when the file has none; a sub-scene's are not the instancing scene's.
   */
  get thresholds(): Readonly<Record<string, readonly string[]>> {
    return this.spec.thresholds;
  }

  canInstantiate(): boolean {
    return true;
  }

  /**
   * Builds the scene: every node created with its props, added under its parent and owned by the scene
   * root (an instanced sub-scene's nodes stay owned by its own root, as in Godot), NodePath props
   * resolved, then the connections made, all before the scene enters any tree.
   */
  instantiate<T extends Node = Node>(options: InstantiateOptions = {}): T {
    const { placeholders } = options;
    const state: BuildState = {
      root: null,
      pending: [],
      placeholders,
      fill: placeholderFiller(placeholders),
    };
    try {
      const root = this.build(this.spec.root, null, null, state);
      for (const [node, prop, path, spec] of state.pending) {
        const target = node.getNodeOrNull(path);
        if (!target)
          throw this.error(
            [...spec.jsonPath, "props", prop],
            `No node at "${path}" from "${node._describe()}".`,
          );
        (node as unknown as Record<string, unknown>)[prop] = target;
      }
      for (const c of this.spec.connections) {
        const from = root.getNode(c.from);
        const callable = new Callable(root.getNode(c.to), c.method).bind(...c.binds.map(copyValue));
        // Godot marks scene connections PERSIST (they are saved with the scene).
        from.connect(c.signal as never, callable, c.flags | ConnectFlags.PERSIST);
      }
      // Godot's scene_file_path: the root remembers its scene, so duplicate() can instance it again.
      setSceneSource(root, this);
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
    let node: Node;
    try {
      if (spec.instance) {
        node = spec.instance.instantiate({ placeholders: state.placeholders });
        if (spec.name !== null) node.name = spec.name;
      } else {
        node = new spec.info!.nodeClass();
        node.name = spec.name!;
      }
      state.root ??= node;
      const props = spec.props;
      for (let i = 0; i < props.length; i++) {
        const value = props[i][1];
        (node as unknown as Record<string, unknown>)[props[i][0]] = state.fill
          ? fillValue(value, state.fill)
          : copyValue(value);
      }
    } catch (error) {
      throw error instanceof SceneError
        ? error
        : this.error(spec.jsonPath, describeError("Creating the node failed", error));
    }
    // Indexed loops over usually-empty arrays: this runs once per node of every instance.
    const groups = spec.groups;
    for (let i = 0; i < groups.length; i++) node.addToGroup(groups[i], true);
    if (parent) {
      parent.addChild(node);
      node.owner = sceneRoot;
    }
    if (spec.unique !== null) node.uniqueNameInOwner = spec.unique;
    const nodePaths = spec.nodePaths;
    for (let i = 0; i < nodePaths.length; i++)
      state.pending.push([node, nodePaths[i][0], nodePaths[i][1], spec]);
    const owner = sceneRoot ?? node;
    const children = spec.children;
    for (let i = 0; i < children.length; i++) this.build(children[i], node, owner, state);
    return node;
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

function describeError(what: string, error: unknown): string {
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

/** JSON arrays and objects are copied per instance so two instances never share one. */
function copyValue(value: unknown): unknown {
  return value !== null && typeof value === "object" ? structuredClone(value) : value;
}

/** A function replacing `{name}` for every name in `placeholders`, or null when there is nothing to replace. */
function placeholderFiller(
  placeholders: InstantiateOptions["placeholders"],
): ((text: string) => string) | null {
  const names = placeholders ? Object.keys(placeholders) : [];
  if (!placeholders || names.length === 0) return null;
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`\\{(${escaped.join("|")})\\}`, "g");
  const replace = (_match: string, name: string): string => String(placeholders[name]);
  return (text) => (text.includes("{") ? text.replace(pattern, replace) : text);
}

/** `copyValue` that also fills placeholders into every string, however deep. */
function fillValue(value: unknown, fill: (text: string) => string): unknown {
  if (typeof value === "string") return fill(value);
  if (Array.isArray(value)) return value.map((item) => fillValue(item, fill));
  if (value !== null && typeof value === "object") {
    if (Object.getPrototypeOf(value) !== Object.prototype) return copyValue(value);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = fillValue(item, fill);
    return copy;
  }
  return value;
}
