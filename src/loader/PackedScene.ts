import type { Node } from "../scene/Node";
import { instantiateScene } from "./instantiate";
import type { OutlineNode } from "./outline";
import { JsonSource } from "./parseJson";
import { MESSAGES } from "./messages";
import { ProblemList } from "./problems";
import type { NodeTypeInfo, NodeTypeRegistry } from "./registry";
import { SceneError } from "./SceneError";
import type { SceneSpec } from "./validate";
import type { JsonPathSegment } from "./jsonPath";
import type { InstantiateOptions } from "./placeholders";
import { packTree } from "./pack";
import { SceneState } from "./SceneState";
import type { SceneSource } from "../scene/sceneInstance";

export type { InstantiateOptions } from "./placeholders";

/**
 * A validated scene file, Godot's `PackedScene`: `instantiate()` builds a fresh node tree from it as
 * many times as needed. Nothing can fail validation any more at that point; what remains is user code
 * (constructors and setters), whose errors are reported with the node's place in the file.
 */
/** Options of {@link PackedScene.pack}. */
export interface PackOptions {
  /** The node types a packed node's class is looked up in, and the result validated against (default: the default registry). */
  registry?: NodeTypeRegistry;
}

export class PackedScene {
  /** @internal */
  constructor(
    /** The scene file this came from (as given to `parseScene` when not loaded from disk). */
    readonly file: string,
    private readonly sceneSpec: SceneSpec<PackedScene>,
    private readonly source: JsonSource,
  ) {}

  /**
   * Godot's `PackedScene.pack(node)`: a scene of `node` and the nodes it owns, as they are now (see
   * pack.ts for the rules). `saveScene` writes it to a file; `instantiate()` builds it again. Throws a
   * `PackError` naming the node when the tree can't be written as a scene file; a class not in
   * `options.registry` is ERR_UNKNOWN_TYPE.
   */
  static pack(node: Node, options: PackOptions = {}): PackedScene {
    const { text, spec } = packTree(
      node,
      (source: SceneSource): source is PackedScene => source instanceof PackedScene,
      options.registry,
    );
    return new PackedScene("", spec, new JsonSource(text));
  }

  /** @internal The scene's JSON text: the file it was loaded from (converted for a `.tscn`), or the packed one. */
  get text(): string {
    return this.source.text;
  }

  /** @internal The scene's shape, for validating scenes that instance this one. */
  get outline(): OutlineNode {
    return this.sceneSpec.outline;
  }

  /** @internal */
  get rootInfo(): NodeTypeInfo | null {
    return this.sceneSpec.root.info ?? this.sceneSpec.root.instance?.rootInfo ?? null;
  }

  /** @internal Nodes one instance builds, sub-scenes included. */
  get nodeCount(): number {
    return this.sceneSpec.nodeCount;
  }

  /** @internal Levels of nodes, the root being 1, sub-scenes included. */
  get height(): number {
    return this.sceneSpec.height;
  }

  /** Modules this scene's `"scripts"` imported: the files that ran (real paths, after the loader's resolution). */
  get scripts(): readonly string[] {
    return this.sceneSpec.scripts;
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

  /** The scene's node entries and connections (Godot's `get_state()`; see {@link SceneState}). */
  getState(): SceneState {
    return (this.#state ??= new SceneState(this.file, this.sceneSpec));
  }

  #state: SceneState | null = null;

  /**
   * Builds the scene: every node created with its props, added under its parent and owned by the scene
   * root (an instanced sub-scene's nodes stay owned by its own root, as in Godot), NodePath props
   * resolved, then the connections made, all before the scene enters any tree. `placeholders` are filled
   * into string props (see {@link InstantiateOptions}).
   */
  instantiate<T extends Node = Node>(options: InstantiateOptions = {}): T {
    return instantiateScene(this, options) as T;
  }

  /** @internal What to build (see instantiate.ts). */
  get spec(): SceneSpec<PackedScene> {
    return this.sceneSpec;
  }

  /** @internal An ERR_INSTANTIATE problem in this scene's file. */
  failure(at: readonly JsonPathSegment[], message: string): SceneError {
    return this.error(at, message);
  }

  private error(at: readonly JsonPathSegment[], message: string): SceneError {
    const problems = new ProblemList(this.file, this.source);
    problems.report(at, MESSAGES.ERR_INSTANTIATE.threw(message));
    return new SceneError(problems.items);
  }
}
