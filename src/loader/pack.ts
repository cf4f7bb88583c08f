import * as path from "node:path";
import type { z } from "zod";
import { InstancePlaceholder } from "../nodes/InstancePlaceholder";
import { Callable } from "../scene/Callable";
import { ConnectFlags } from "../scene/GodotObject";
import { Node } from "../scene/Node";
import { groupEntries } from "../scene/node/groups";
import { sceneSourceOf, type SceneSource } from "../scene/sceneInstance";
import { INVALID_NAME_CHARACTERS, SCENE_FORMAT_VERSION } from "./format";
import { formatSceneJson } from "./jsonText";
import {
  canonicalEntry,
  flagList,
  type ConnectionEntry,
  type EditableEntry,
  type NodeEntry,
  type SceneDocument,
} from "./packDocument";
import { describeArgument, PackError } from "./packError";
import { JsonSource } from "./parseJson";
import { NOT_JSON, jsonValue, sameValue, writtenProp } from "./packValues";
import { ProblemList } from "./problems";
import { defaultNodeTypes, type NodeTypeInfo, type NodeTypeRegistry } from "./registry";
import { SceneError } from "./SceneError";
import { validateScene, type SceneSpec, type SubScene } from "./validate";

/** What packing needs of the scene an instanced node came from (a `PackedScene` provides it). */
export interface PackableScene extends SubScene, SceneSource {
  readonly scripts: readonly string[];
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
}

export interface PackResult<S extends PackableScene> {
  /** The scene file's JSON text (instance and script paths absolute). */
  readonly text: string;
  /** The same scene validated, ready to instantiate. */
  readonly spec: SceneSpec<S>;
}

/**
 * Godot's `SceneState::pack` (scene/resources/packed_scene.cpp), writing scenetree's JSON format: `root`
 * and the nodes it owns are saved, every other node is left out with its subtree. A node instanced from
 * a scene file and owned by `root` stays an `instance` entry holding only what differs from that scene:
 * its props, groups it joined, children `root` owns, and changes to the nodes inside it (`editable`).
 * Props are saved when they differ from a fresh instance of the class; groups when persistent;
 * connections when persistent (`ConnectFlags.PERSIST`, which scene-file connections carry) between
 * saved nodes, less those the sub-scene makes itself. The result is checked by the loader's own
 * validation, so a packed scene always loads. `isScene` tells the scenes packing can instance.
 */
export function packTree<S extends PackableScene>(
  root: Node,
  isScene: (source: SceneSource) => source is S,
  registry: NodeTypeRegistry = defaultNodeTypes,
): PackResult<S> {
  if (!(root instanceof Node)) {
    const got = describeArgument(root);
    throw new PackError("ERR_INVALID_ARGUMENT", "", `PackedScene.pack needs a Node, got ${got}.`);
  }
  if (!root.isInstanceValid())
    throw new PackError("ERR_INVALID_ARGUMENT", "", "PackedScene.pack needs a node that was not freed.");
  const packer = new Packer<S>(root, isScene, registry);
  try {
    return packer.pack();
  } finally {
    packer.dispose();
  }
}

/** One instance entry being written: the sub-scene as it is built fresh, and the changes found in it. */
interface InstanceState {
  readonly root: Node;
  readonly fresh: Node;
  readonly entry: NodeEntry;
  /** The instance root and the roots of instances nested in it: the owners of its own nodes. */
  readonly owners: Set<Node>;
  readonly editable: Map<string, EditableEntry>;
  /** A saved connection comes from inside: the instance must be editable even with no other change. */
  marked: boolean;
}

const PERSIST = ConnectFlags.PERSIST;

class Packer<S extends PackableScene> {
  private readonly types: Map<unknown, NodeTypeInfo>;
  /** A fresh node of each class: the defaults props are compared with. */
  private readonly defaults = new Map<unknown, Node>();
  /** A fresh instance of each sub-scene: what instance entries are compared with. */
  private readonly fresh = new Map<S, Node>();
  /** Every node the saved scene will build, pre-order; those inside an instance map to it. */
  private readonly kept = new Map<Node, InstanceState | null>();
  private readonly states: InstanceState[] = [];
  private readonly instances = new Map<string, S>();
  private readonly nodePaths: Array<{ node: Node; prop: string; target: Node }> = [];

  constructor(
    private readonly root: Node,
    private readonly isScene: (source: SceneSource) => source is S,
    private readonly registry: NodeTypeRegistry,
  ) {
    this.types = typesByClass(registry);
  }

  pack(): PackResult<S> {
    const root = this.root;
    const rootEntry = this.typedEntry(root);
    for (const { node, prop, target } of this.nodePaths) {
      if (this.kept.has(target)) continue;
      throw new PackError(
        "ERR_BAD_NODE_PATH",
        this.label(node),
        `"${this.label(node)}".${prop} points at "${describeNode(target)}", which is not saved with the scene ` +
          `(only "${root.name}" and the nodes it owns are). Set its owner to "${root.name}", or clear the prop.`,
        prop,
      );
    }
    const connections = this.connections();
    for (const state of this.states) {
      if (state.editable.size > 0 || state.marked) state.entry.editable = Object.fromEntries(state.editable);
    }
    // The scripts (and thresholds) of the scene the root came from, so the file registers the same types.
    const own = sceneSourceOf(root);
    const from = own && this.isScene(own) ? own : null;
    const thresholds = from ? Object.entries(from.thresholds) : [];
    // Key order as the README writes a scene: format, scripts, thresholds, root, connections.
    const ordered: SceneDocument = {
      format: SCENE_FORMAT_VERSION,
      ...(from && from.scripts.length > 0 && { scripts: [...from.scripts] }),
      ...(thresholds.length > 0 && {
        thresholds: Object.fromEntries(thresholds.map(([metric, list]) => [metric, [...list]])),
      }),
      root: canonicalEntry(rootEntry),
      ...(connections.length > 0 && { connections }),
    };
    const text = formatSceneJson(ordered);
    const problems = new ProblemList(`PackedScene.pack(${root.name})`, new JsonSource(text));
    const spec = validateScene<S>(JSON.parse(text), problems, {
      instances: this.instances,
      registry: this.registry,
    });
    if (!spec) throw new SceneError(problems.items);
    return { text, spec };
  }

  dispose(): void {
    for (const node of [...this.defaults.values(), ...this.fresh.values()])
      if (node.isInstanceValid()) node.free();
  }

  // ---------------------------------------------------------------- nodes

  /** Saved with the scene: the root, and every node it owns that is not an instance of a scene file. */
  private typedEntry(node: Node): NodeEntry {
    const info = this.types.get(node.constructor);
    if (!info) {
      throw new PackError(
        "ERR_UNKNOWN_TYPE",
        this.label(node),
        `"${this.label(node)}" is a ${node.constructor.name}, which is not a registered node type. ` +
          `Register it with registerNodeType(${node.constructor.name}, propsSchema) so scene files can name it.`,
      );
    }
    this.checkName(node);
    this.kept.set(node, null);
    const entry: NodeEntry = { name: node.name, type: info.name };
    const props = this.changedProps(node, this.defaultOf(info), info);
    if (props) entry.props = props;
    const groups = persistentGroups(node, null);
    if (groups.length > 0) entry.groups = groups;
    if (node.uniqueNameInOwner) entry.uniqueNameInOwner = true;
    const children: NodeEntry[] = [];
    for (const child of node.getChildren()) {
      if (child.owner === this.root) children.push(this.ownedEntry(child));
    }
    if (children.length > 0) entry.children = children;
    return entry;
  }

  private ownedEntry(node: Node): NodeEntry {
    if (node instanceof InstancePlaceholder) return this.placeholderEntry(node);
    const source = sceneSourceOf(node);
    // As Godot: a node whose scene has no file (packed, never saved) is saved as a plain node.
    return source && source.file !== "" ? this.instanceEntry(node, source) : this.typedEntry(node);
  }

  /** An instanced sub-scene: only what differs from a fresh instance of it. */
  private instanceEntry(node: Node, source: SceneSource): NodeEntry {
    if (!this.isScene(source)) {
      throw new PackError(
        "ERR_INVALID_ARGUMENT",
        this.label(node),
        `"${this.label(node)}" was instanced from "${source.file}", which is not a loaded scene file.`,
      );
    }
    this.checkName(node);
    const file = path.resolve(source.file);
    this.instances.set(file, source);
    const fresh = this.freshOf(source);
    const entry: NodeEntry = { name: node.name, instance: file };
    const state: InstanceState = {
      root: node,
      fresh,
      entry,
      owners: new Set([node]),
      editable: new Map(),
      marked: false,
    };
    this.states.push(state);
    this.kept.set(node, state);
    const info = source.rootInfo ?? this.types.get(node.constructor);
    const props = info ? this.changedProps(node, fresh, info) : null;
    if (props) entry.props = props;
    const groups = persistentGroups(node, fresh);
    if (groups.length > 0) entry.groups = groups;
    if (node.uniqueNameInOwner !== fresh.uniqueNameInOwner) entry.uniqueNameInOwner = node.uniqueNameInOwner;
    const children: NodeEntry[] = [];
    this.walkInstance(state, node, fresh, (child) => children.push(child));
    if (children.length > 0) entry.children = children;
    return entry;
  }

  /**
   * Godot's "Load as Placeholder" instance (`FLAG_INSTANCE_IS_PLACEHOLDER`): the scene path and the
   * values it stores for the instance, which are its props in the file; nothing below it is saved.
   */
  private placeholderEntry(node: InstancePlaceholder): NodeEntry {
    this.checkName(node);
    const file = node.getInstancePath();
    if (file === "") {
      throw new PackError(
        "ERR_INVALID_ARGUMENT",
        this.label(node),
        `The InstancePlaceholder "${this.label(node)}" has no instance path: setInstancePath() first.`,
      );
    }
    this.kept.set(node, null);
    const entry: NodeEntry = { name: node.name, instance: path.resolve(file), placeholder: true };
    const stored = Object.entries(node.getStoredValues());
    if (stored.length > 0) {
      const props: Record<string, unknown> = {};
      for (const [key, value] of stored) {
        // As Godot's pack writes a node-typed property: a path relative to the node, resolved by
        // createInstance (inside the instance first, then from the placeholder).
        if (value instanceof Node) {
          const relative = pathBetween(node, value);
          if (relative === null) {
            throw new PackError(
              "ERR_BAD_NODE_PATH",
              this.label(node),
              `The InstancePlaceholder "${this.label(node)}" stores ${key}, which points at "${describeNode(value)}", a node of another tree.`,
              key,
            );
          }
          this.nodePaths.push({ node, prop: key, target: value });
          props[key] = relative;
          continue;
        }
        const json = jsonValue(value);
        if (json === NOT_JSON) {
          throw new PackError(
            "ERR_INVALID_VALUE",
            this.label(node),
            `The InstancePlaceholder "${this.label(node)}" stores ${describeValue(value)} as ${key}, which a scene file can't hold.`,
            key,
          );
        }
        props[key] = json;
      }
      entry.props = props;
    }
    const groups = persistentGroups(node, null);
    if (groups.length > 0) entry.groups = groups;
    if (node.uniqueNameInOwner) entry.uniqueNameInOwner = true;
    return entry;
  }

  /**
   * The nodes below `node` inside an instance, each against its counterpart in the fresh instance: the
   * instance's own nodes (owned by its root or a nested instance's) give `editable` entries when they
   * changed; nodes `root` owns are new children. A node of the instance with no counterpart (renamed,
   * or added by code) can't be written and is left out, as is whatever nobody in the scene owns.
   */
  private walkInstance(
    state: InstanceState,
    node: Node,
    fresh: Node,
    addChild: (entry: NodeEntry) => void,
  ): void {
    for (const child of node.getChildren()) {
      if (child.owner === this.root) {
        addChild(this.ownedEntry(child));
        continue;
      }
      if (!child.owner || !state.owners.has(child.owner)) continue;
      const counterpart = fresh.getNodeOrNull(child.name);
      if (!counterpart) continue;
      this.kept.set(child, state);
      if (sceneSourceOf(child)) state.owners.add(child);
      const key = state.root.getPathTo(child);
      const info = this.types.get(child.constructor);
      const props = info ? this.changedProps(child, counterpart, info) : null;
      const groups = persistentGroups(child, counterpart);
      if (props || groups.length > 0) {
        const change = editableOf(state, key);
        if (props) change.props = props;
        if (groups.length > 0) change.groups = groups;
      }
      this.walkInstance(state, child, counterpart, (entry) => {
        const change = editableOf(state, key);
        (change.children ??= []).push(entry);
      });
    }
  }

  private checkName(node: Node): void {
    const name = node.name;
    if (name !== "" && !INVALID_NAME_CHARACTERS.test(name)) return;
    throw new PackError(
      "ERR_INVALID_NAME",
      this.label(node),
      name === ""
        ? `A node to save has no name (a child of "${node.getParent() ? this.label(node.getParent()!) : "nothing"}"): give it one.`
        : `"${this.label(node)}": the name ${JSON.stringify(name)} has a character scene files reserve for node paths (. : @ / " %); rename it.`,
    );
  }

  // ---------------------------------------------------------------- props

  /**
   * The props of `node` whose value differs from `reference`'s (a fresh node of the class, or the
   * node's counterpart in a fresh instance), written as the loader reads them. A node prop is written
   * as a path relative to the node, and only when set (Godot: "was never set, ignore").
   */
  private changedProps(node: Node, reference: Node, info: NodeTypeInfo): Record<string, unknown> | null {
    const shape = info.propsSchema.shape as Record<string, z.ZodType>;
    const own = node as unknown as Record<string, unknown>;
    const ref = reference as unknown as Record<string, unknown>;
    let props: Record<string, unknown> | null = null;
    for (const key of Object.keys(shape)) {
      const value = own[key];
      let written: unknown;
      if (info.nodePathProps.has(key)) {
        if (!(value instanceof Node)) continue;
        const relative = pathBetween(node, value);
        if (relative === null) {
          throw new PackError(
            "ERR_BAD_NODE_PATH",
            this.label(node),
            `"${this.label(node)}".${key} points at "${describeNode(value)}", a node of another tree.`,
            key,
          );
        }
        const refTarget = ref[key];
        if (refTarget instanceof Node && pathBetween(reference, refTarget) === relative) continue;
        this.nodePaths.push({ node, prop: key, target: value });
        written = relative;
      } else {
        if (sameValue(value, ref[key])) continue;
        written = writtenProp(shape[key], value);
        if (written === NOT_JSON) {
          throw new PackError(
            "ERR_INVALID_VALUE",
            this.label(node),
            `"${this.label(node)}".${key} is ${describeValue(value)}, which a scene file can't hold ` +
              `(or ${info.name}'s schema refuses); props are JSON values the schema accepts.`,
            key,
          );
        }
      }
      (props ??= {})[key] = written;
    }
    return props;
  }

  private defaultOf(info: NodeTypeInfo): Node {
    let node = this.defaults.get(info.nodeClass);
    if (!node) {
      node = new info.nodeClass();
      this.defaults.set(info.nodeClass, node);
    }
    return node;
  }

  private freshOf(source: S): Node {
    let node = this.fresh.get(source);
    if (!node) {
      // Every scene the loader packs builds Nodes; the engine's SceneSource only promises its NodeLike.
      node = source.instantiate() as Node;
      this.fresh.set(source, node);
    }
    return node;
  }

  // ---------------------------------------------------------------- connections

  /**
   * Godot's `_parse_connections`: for each saved node in tree order, its signals by name, each
   * persistent connection to a method of a saved node, unless the sub-scene both ends are in makes
   * it itself. One from inside an instance makes that instance editable.
   */
  private connections(): ConnectionEntry[] {
    const out: ConnectionEntry[] = [];
    for (const [node, state] of this.kept) {
      const signals = [...new Set(node.getSignalList().map((s) => s.name))].sort();
      for (const signal of signals) {
        for (const c of node.getSignalConnectionList(signal)) {
          const callable = c.callable;
          if (!(c.flags & PERSIST) || !(callable instanceof Callable)) continue;
          const target = callable.target;
          if (!(target instanceof Node) || !this.kept.has(target)) continue;
          if (state && this.kept.get(target) === state && madeBySubScene(state, node, signal, callable))
            continue;
          out.push(this.connectionEntry(node, signal, callable, c.flags));
          if (state && node !== state.root) state.marked = true;
        }
      }
    }
    return out;
  }

  private connectionEntry(node: Node, signal: string, callable: Callable, flags: number): ConnectionEntry {
    const target = callable.target as Node;
    const what = `The connection "${this.label(node)}".${signal} → "${this.label(target)}".${callable.method}`;
    if (callable.getUnboundArgumentsCount() > 0) {
      throw new PackError(
        "ERR_BAD_CONNECTION",
        this.label(node),
        `${what} unbinds arguments, which a scene file can't express; bind or connect it another way.`,
      );
    }
    const binds = callable.getBoundArguments().map((value) => jsonValue(value));
    if (binds.includes(NOT_JSON)) {
      throw new PackError(
        "ERR_INVALID_VALUE",
        this.label(node),
        `${what} binds a value a scene file can't hold; binds are JSON values.`,
      );
    }
    const entry: ConnectionEntry = {
      from: this.root.getPathTo(node),
      signal,
      to: this.root.getPathTo(target),
      method: callable.method,
    };
    if (binds.length > 0) entry.binds = binds;
    const written = flagList(flags & ~PERSIST);
    if (written !== null) entry.flags = written;
    return entry;
  }

  /** How errors name a node: its path from the packed root, root first (`Main/Enemy/Gun`). */
  private label(node: Node): string {
    if (node === this.root) return this.root.name;
    const relative = pathBetween(this.root, node);
    return relative === null ? describeNode(node) : `${this.root.name}/${relative}`;
  }
}

/** The registered type of each class; a class registered under several names takes its own name first. */
function typesByClass(registry: NodeTypeRegistry): Map<unknown, NodeTypeInfo> {
  const types = new Map<unknown, NodeTypeInfo>();
  const all = registry.list();
  for (const info of all) if (info.name === info.nodeClass.name) types.set(info.nodeClass, info);
  for (const info of all) if (!types.has(info.nodeClass)) types.set(info.nodeClass, info);
  return types;
}

/** Persistent groups of `node`, less those its counterpart in the sub-scene already has. */
function persistentGroups(node: Node, counterpart: Node | null): string[] {
  const groups: string[] = [];
  for (const [group, { persistent }] of groupEntries(node) ?? [])
    if (persistent && !counterpart?.isInGroup(group)) groups.push(group);
  return groups;
}

function editableOf(state: InstanceState, key: string): EditableEntry {
  let change = state.editable.get(key);
  if (!change) {
    change = {};
    state.editable.set(key, change);
  }
  return change;
}

/** Whether the fresh sub-scene already has this connection between the same two nodes. */
function madeBySubScene(state: InstanceState, node: Node, signal: string, callable: Callable): boolean {
  const from = state.fresh.getNodeOrNull(state.root.getPathTo(node));
  const to = state.fresh.getNodeOrNull(state.root.getPathTo(callable.target as Node));
  if (!from || !to) return false;
  return from
    .getSignalConnectionList(signal)
    .some(
      (c) =>
        c.callable instanceof Callable && c.callable.target === to && c.callable.method === callable.method,
    );
}

function pathBetween(from: Node, to: Node): string | null {
  try {
    return from.getPathTo(to);
  } catch {
    return null;
  }
}

function describeNode(node: Node): string {
  const names: string[] = [];
  for (let n: Node | null = node; n; n = n.getParent()) names.push(n.name || `<${n.constructor.name}>`);
  return names.reverse().join("/");
}

function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return `the bigint ${value}n`;
  if (value !== null && typeof value === "object") {
    const proto: unknown = Object.getPrototypeOf(value);
    const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name;
    return proto === Object.prototype || Array.isArray(value)
      ? "an object holding a value JSON can't hold"
      : `a ${name ?? "class instance"}`;
  }
  return JSON.stringify(value);
}
