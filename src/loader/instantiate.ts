import { Callable } from "../scene/Callable";
import { ConnectFlags, connectWithoutHandle } from "../scene/GodotObject";
import type { Node } from "../scene/Node";
import { segmentsOf, type JsonPathSegment, type PathLink } from "./jsonPath";
import { createPlaceholder } from "./placeholderLoader";
import {
  copyValue,
  fillValue,
  placeholderFiller,
  type InstantiateOptions,
  type PlaceholderFiller,
} from "./placeholders";
import { SceneError } from "./SceneError";
import { setSceneSource, type SceneSource } from "../scene/sceneInstance";
import { nameBuiltNode } from "../scene/node/children";
import { notify } from "../scene/node/guard";
import { NOTIFICATION_SCENE_INSTANTIATED } from "../scene/node/notifications";
import type { ConnectionSpec, EditSpec, NodeSpec, SceneSpec, SubScene } from "./validate";

// Read once: under tsx an imported binding costs a getter call per use.
const PERSIST = ConnectFlags.PERSIST;

/** What building needs of a packed scene (PackedScene provides it). */
export interface Buildable extends SubScene, SceneSource {
  readonly spec: SceneSpec<Buildable>;
  /** The scene file, which placeholders' paths are relative to. */
  readonly file: string;
  /** An ERR_INSTANTIATE problem at `at` in the scene's own file. */
  failure(at: readonly JsonPathSegment[], message: string): SceneError;
}

type Spec = NodeSpec<Buildable>;

/** A node still to build, with where it goes. */
interface Work {
  spec: Spec;
  parent: Node | null;
  /** The scene root that owns it; null for the root itself. */
  owner: Node | null;
}

/** One scene being instantiated: the top-level one, or a sub-scene for one of its instance nodes. */
interface Frame {
  scene: Buildable;
  root: Node | null;
  work: Work[];
  pending: Array<readonly [node: Node, prop: string, path: string, at: PathLink]>;
  /** For a sub-scene: the instance node in the scene below, which its root becomes. */
  instanceOf: { frame: Frame; work: Work } | null;
}

/**
 * Builds a scene as Godot's SceneState::instantiate does, depth first in file order: each node created
 * with its props, added under its parent and owned by the scene root (a sub-scene's own nodes stay
 * owned by its root), then NodePath props resolved and connections made, a sub-scene's before the
 * scene around it goes on. An explicit stack, not recursion: a scene as deep as the limits allow,
 * sub-scenes nested in sub-scenes included, builds without running out of stack. On failure nothing
 * half-built is left: every node made so far is freed.
 */
export function instantiateScene(scene: Buildable, options: InstantiateOptions = {}): Node {
  const fill = placeholderFiller(options.placeholders);
  const frames: Frame[] = [frameFor(scene, null)];
  try {
    for (;;) {
      const frame = frames[frames.length - 1];
      const work = frame.work.pop();
      if (work?.spec.instance) frames.push(frameFor(work.spec.instance, { frame, work }));
      else if (work) place(frame, work, create(frame.scene, work.spec, fill), fill);
      else {
        finish(frame);
        frames.pop();
        // As PackedScene::instantiate, once the scene is whole and before the scene around it (if any)
        // sets its overrides: a sub-scene's root is told too, by its own instantiate.
        notify(frame.root!, NOTIFICATION_SCENE_INSTANTIATED, "SCENE_INSTANTIATED");
        if (!frame.instanceOf) return frame.root!;
        place(frame.instanceOf.frame, frame.instanceOf.work, frame.root!, fill);
      }
    }
  } catch (error) {
    for (const frame of frames) if (frame.root?.isInstanceValid()) frame.root.free();
    throw error;
  }
}

function frameFor(scene: Buildable, instanceOf: Frame["instanceOf"]): Frame {
  return {
    scene,
    root: null,
    work: [{ spec: scene.spec.root, parent: null, owner: null }],
    pending: [],
    instanceOf,
  };
}

/** A typed node with its name and props: where the node's own code (constructor, setters) runs. */
function create(scene: Buildable, spec: Spec, fill: PlaceholderFiller | null): Node {
  let node: Node | null = null;
  try {
    if (spec.placeholder !== null) return createPlaceholder(scene, spec, fill);
    node = new spec.info!.nodeClass();
    // Named as SceneState::instantiate names its nodes (`_set_name_nocheck`): no PATH_RENAMED.
    nameBuiltNode(node, spec.name!);
    assignProps(node, spec, fill);
    return node;
  } catch (error) {
    if (node?.isInstanceValid()) node.free();
    throw scene.failure(segmentsOf(spec.jsonPath), describeError("Creating the node failed", error));
  }
}

/** Puts a node (new, or a built sub-scene for an instance) in place, and queues its children. */
function place(
  frame: Frame,
  { spec, parent, owner }: Work,
  node: Node,
  fill: PlaceholderFiller | null,
): void {
  frame.root ??= node;
  try {
    if (spec.instance) {
      // An instance node's overrides: the name and props it sets on the sub-scene's root.
      if (spec.name !== null) nameBuiltNode(node, spec.name);
      assignProps(node, spec, fill);
    }
  } catch (error) {
    dropOrphan(frame, node);
    throw frame.scene.failure(segmentsOf(spec.jsonPath), describeError("Creating the node failed", error));
  }
  let edited: Array<readonly [Node, EditSpec<Buildable>]> | null = null;
  try {
    if (spec.edits.length > 0) edited = editNodes(frame, spec.edits, node, fill);
  } catch (error) {
    dropOrphan(frame, node);
    throw error;
  }
  try {
    // Indexed loops over usually-empty arrays: this runs once per node of every instance.
    const groups = spec.groups;
    for (let i = 0; i < groups.length; i++) node.addToGroup(groups[i], true);
    // The unique flag before the owner, as validation models it: an instance root whose own flag is
    // overridden with false must never claim its %Name in this scene, even for a moment.
    if (spec.unique !== null) node.uniqueNameInOwner = spec.unique;
    if (parent) {
      parent.addChild(node);
      node.owner = owner;
    }
  } catch (error) {
    dropOrphan(frame, node);
    throw frame.scene.failure(segmentsOf(spec.jsonPath), describeError("Adding the node failed", error));
  }
  const nodePaths = spec.nodePaths;
  for (let i = 0; i < nodePaths.length; i++)
    frame.pending.push([node, nodePaths[i][0], nodePaths[i][1], spec.jsonPath]);
  const children = spec.children;
  for (let i = children.length - 1; i >= 0; i--)
    frame.work.push({ spec: children[i], parent: node, owner: owner ?? node });
  // Built before the instance's own extra children, in key order; owned by this scene's root.
  if (edited) {
    for (let e = edited.length - 1; e >= 0; e--) {
      const [target, edit] = edited[e];
      for (let i = edit.children.length - 1; i >= 0; i--)
        frame.work.push({ spec: edit.children[i], parent: target, owner: owner ?? node });
    }
  }
}

/** A built sub-scene (or node) that failed before it was added anywhere: no frame frees it otherwise. */
function dropOrphan(frame: Frame, node: Node): void {
  if (node !== frame.root && !node.getParent() && node.isInstanceValid()) node.free();
}

/**
 * Godot's editable children: the instance's sub-scene is built, so each edited node exists; its
 * props and groups change now, before the scene around it goes on (and long before it enters a tree).
 * Returns each edited node, whose new children are then built like any.
 */
function editNodes(
  frame: Frame,
  edits: ReadonlyArray<EditSpec<Buildable>>,
  instance: Node,
  fill: PlaceholderFiller | null,
): Array<readonly [Node, EditSpec<Buildable>]> {
  const edited: Array<readonly [Node, EditSpec<Buildable>]> = [];
  for (const edit of edits) {
    const target = instance.getNodeOrNull(edit.path);
    if (!target)
      throw frame.scene.failure(
        segmentsOf(edit.jsonPath),
        `The instance "${instance.name}" has no node at "${edit.path}".`,
      );
    try {
      assignProps(target, edit, fill);
      for (const group of edit.groups) target.addToGroup(group, true);
    } catch (error) {
      throw frame.scene.failure(segmentsOf(edit.jsonPath), describeError("Editing the node failed", error));
    }
    for (const [prop, path] of edit.nodePaths) frame.pending.push([target, prop, path, edit.jsonPath]);
    edited.push([target, edit]);
  }
  return edited;
}

/** Once a scene's nodes all exist: its NodePath props, then its connections. */
function finish(frame: Frame): void {
  const root = frame.root!;
  for (const [node, prop, path, at] of frame.pending) {
    const target = node.getNodeOrNull(path);
    if (!target)
      throw frame.scene.failure(
        segmentsOf(at, "props", prop),
        `No node at "${path}" from "${label(root, node)}".`,
      );
    (node as unknown as Record<string, unknown>)[prop] = target;
  }
  const connections = frame.scene.spec.connections;
  for (let i = 0; i < connections.length; i++) connect(frame.scene, root, connections[i]);
  // Godot's scene_file_path: the root remembers its scene, so duplicate() can instance it again.
  setSceneSource(root, frame.scene);
}

function connect(scene: Buildable, root: Node, c: ConnectionSpec): void {
  try {
    const from = root.getNode(c.from);
    const plain = new Callable(root.getNode(c.to), c.method);
    // Bound only when there is something to bind, as SceneState::instantiate does: a bind layer with no
    // arguments would make the connection unequal to Callable(target, method) in isConnected/disconnect.
    const callable = c.binds.length > 0 ? plain.bind(...c.binds.map(copyValue)) : plain;
    // Godot marks scene connections PERSIST (they are saved with the scene).
    connectWithoutHandle(from, c.signal, callable, c.flags | PERSIST);
  } catch (error) {
    throw scene.failure(c.jsonPath, describeError("Connecting failed", error));
  }
}

function assignProps(
  node: Node,
  spec: { readonly props: ReadonlyArray<readonly [string, unknown]> },
  fill: PlaceholderFiller | null,
): void {
  const props = spec.props;
  for (let i = 0; i < props.length; i++) {
    const value = props[i][1];
    (node as unknown as Record<string, unknown>)[props[i][0]] = fill
      ? fillValue(value, fill)
      : copyValue(value);
  }
}

/** A node of a scene being built, named by its path from the scene root (`Main/Clock`). */
function label(root: Node, node: Node): string {
  return node === root ? root.name : `${root.name}/${root.getPathTo(node)}`;
}

function describeError(what: string, error: unknown): string {
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}
