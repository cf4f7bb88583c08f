import { nodeData as dataOf, type NodeLike } from "./node/data";
import { groupEntries } from "./node/groups";
import { Callable, RETARGETED } from "./Callable";
import { ConnectFlags } from "./GodotObject";
import { engineClassOf, storedPropsOf } from "./classInfo";
import { outgoingConnections } from "./connections";
import { sceneSourceOf, setSceneSource } from "./sceneInstance";
import { SceneTreeError } from "../core/errors";

// Read once: under tsx an imported binding costs a getter call per use.
const nodeData = dataOf;

/** Godot's `Node.DuplicateFlags` for `duplicate(flags)`, same values. */
export enum DuplicateFlags {
  /** Connections made with `ConnectFlags.PERSIST` (scene connections) inside the copy. */
  SIGNALS = 1,
  GROUPS = 2,
  /** The node's own class; without it each copy is of the nearest engine class (Node, Timer...). */
  SCRIPTS = 4,
  /** A node instanced from a scene is copied by instancing that scene again. */
  USE_INSTANTIATION = 8,
  /**
   * Also what is not stored (Godot 4.5): the other own fields of a node, and owners inside the copied
   * branch (Godot's `owner` is a property without PROPERTY_USAGE_STORAGE). Not part of DEFAULT.
   */
  INTERNAL_STATE = 16,
  DEFAULT = 15,
}

/**
 * @internal A node class whose state is not in its stored props implements this to copy it (Godot's
 * InstancePlaceholder: `_duplicate` sets the instance path, and its stored values are storage
 * properties of its own property list, which `_duplicate_properties` copies). Called once the whole
 * copy exists; `copyValue` copies data as stored props are (deeply, a node of the branch remapped).
 */
export const DUPLICATE_STATE = Symbol("scenetree.duplicateState");

interface CopiesState {
  [DUPLICATE_STATE](copy: NodeLike, copyValue: (value: unknown) => unknown): void;
}

/** What copying needs of a node: Node's public API, named here so this module need not import Node. */
interface Node extends NodeLike {
  name: string;
  owner: Node | null;
  uniqueNameInOwner: boolean;
  getParent(): Node | null;
  getNode(path: string): Node;
  getPathTo(node: NodeLike): string;
  getIndex(): number;
  getChildCount(): number;
  addChild(child: Node): void;
  moveChild(child: Node, index: number): void;
  addToGroup(group: string, persistent?: boolean): void;
  hasSignal(signal: string): boolean;
}

/** The class a copy falls back to without `DuplicateFlags.SCRIPTS` (Node, when no engine class is nearer). */
type BaseClass = abstract new () => Node;

/**
 * Godot 4's `Node::duplicate` (scene/main/node.cpp): `_duplicate` builds the copies, then
 * `_duplicate_properties` copies the stored props once the whole copy exists (so node references can
 * point into it), then `_duplicate_signals` copies persistent connections. Every walk uses an explicit
 * stack, so a tree of any depth can be copied. A user constructor or setter that throws frees the
 * partial copy and the error reaches the caller.
 */
export function duplicateNode(original: Node, flags: number, base: BaseClass): Node {
  const copy = buildCopy(original, flags, base);
  try {
    const pairs = pairUp(original, copy);
    copyProps(original, pairs, base, flags);
    if (flags & DuplicateFlags.SIGNALS) copyConnections(original, pairs, base);
  } catch (error) {
    copy.free();
    throw error;
  }
  return copy;
}

interface BuildFrame {
  original: Node;
  copy: Node;
  /** The next child of `original` to copy. */
  index: number;
  /** The copy was made by instancing the original's scene: the scene's own nodes are already there. */
  instantiated: boolean;
  /** Nodes added below the instance's own nodes, copied at the end (Godot's `hidden_roots`). */
  hiddenRoots: Node[];
}

/** Godot's `_duplicate`: each node copied, named, grouped, then given its copied children in order. */
function buildCopy(original: Node, flags: number, base: BaseClass): Node {
  const stack: BuildFrame[] = [];
  try {
    stack.push(copyOne(original, flags, base));
    for (;;) {
      const frame = stack[stack.length - 1];
      const children = nodeData(frame.original).children as Node[];
      if (frame.index < children.length) {
        const child = children[frame.index];
        if (frame.instantiated && child.owner === frame.original) {
          frame.index++; // part of the instance
          continue;
        }
        stack.push(copyOne(child, flags, base));
        continue;
      }
      for (const hidden of frame.hiddenRoots) {
        const parent = frame.copy.getNode(frame.original.getPathTo(hidden.getParent()!));
        const dup = buildCopy(hidden, flags, base);
        parent.addChild(dup);
        const position = hidden.getIndex();
        if (position < parent.getChildCount() - 1) parent.moveChild(dup, position);
      }
      stack.pop();
      if (stack.length === 0) return frame.copy;
      const parentFrame = stack[stack.length - 1];
      parentFrame.copy.addChild(frame.copy);
      if (parentFrame.index < parentFrame.copy.getChildCount() - 1) {
        parentFrame.copy.moveChild(frame.copy, parentFrame.index);
      }
      parentFrame.index++;
    }
  } catch (error) {
    // Copies on the stack are not attached yet; freeing each frees what was attached below it.
    for (const frame of stack) if (frame.copy.isInstanceValid()) frame.copy.free();
    throw error;
  }
}

function copyOne(original: Node, flags: number, base: BaseClass): BuildFrame {
  const source = sceneSourceOf(original);
  let copy: Node;
  let instantiated = false;
  if (flags & DuplicateFlags.USE_INSTANTIATION && isInstance(original)) {
    copy = source!.instantiate() as Node;
    instantiated = true;
  } else {
    const nodeClass = (
      flags & DuplicateFlags.SCRIPTS ? original.constructor : engineClassOf(original, base)
    ) as new () => Node;
    if (nodeClass.length > 0) {
      // Godot gives such a copy no script (its _init needs arguments); a half-built copy is worse.
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        `Can't duplicate "${original.name}": the constructor of ${nodeClass.name} takes arguments and a copy ` +
          "is made with none. Give them defaults, or leave DuplicateFlags.SCRIPTS out to copy the engine class.",
      );
    }
    copy = new nodeClass();
  }
  if (source) setSceneSource(copy, source);
  const frame: BuildFrame = {
    original,
    copy,
    index: 0,
    instantiated,
    hiddenRoots: instantiated ? hiddenRootsOf(original) : [],
  };
  try {
    if (original.name !== "") copy.name = original.name;
    if (flags & DuplicateFlags.GROUPS) {
      const groups = groupEntries(original);
      if (groups) for (const [group, { persistent }] of groups) copy.addToGroup(group, persistent);
    }
  } catch (error) {
    copy.free();
    throw error;
  }
  return frame;
}

/**
 * Godot's `is_instance()`: instanced from a scene that has a file (`scene_file_path` not empty). A
 * scene packed and never saved has none, so there is nothing to instance again: copied node by node.
 */
function isInstance(node: Node): boolean {
  const source = sceneSourceOf(node);
  return source !== undefined && source.file !== "";
}

/**
 * Below an instanced scene's root, the nodes that are not the scene's own (added by code, owned by
 * nobody or by an outer node): an instance rebuilt from the scene lacks them, so they are copied
 * separately. As Godot: the scene's own nodes are those owned by the root or by a sub-instance of it.
 */
function hiddenRootsOf(root: Node): Node[] {
  const instanceRoots = new Set<Node>([root]);
  const inventory: Node[] = [root];
  const hidden: Node[] = [];
  for (let i = 0; i < inventory.length; i++) {
    for (const descendant of nodeData(inventory[i]).children as Node[]) {
      const owner = descendant.owner;
      if (!owner || !instanceRoots.has(owner)) {
        const parent = descendant.getParent();
        if (parent && parent !== root && owner !== parent) hidden.push(descendant);
        continue;
      }
      inventory.push(descendant);
      if (isInstance(descendant)) instanceRoots.add(descendant);
    }
  }
  return hidden;
}

/**
 * Each original node with its copy, pre-order, matched by child index as Godot's
 * `_duplicate_properties` does; a level whose copy has fewer children stops there.
 */
function pairUp(original: Node, copy: Node): Map<Node, Node> {
  const pairs = new Map<Node, Node>([[original, copy]]);
  const stack: Array<[Node, Node, number]> = [[original, copy, 0]];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const [from, to, index] = frame;
    const child = (nodeData(from).children as Node[])[index];
    const copyChild = (nodeData(to).children as Node[])[index];
    if (child === undefined || copyChild === undefined) {
      stack.pop();
      continue;
    }
    frame[2]++;
    pairs.set(child, copyChild);
    stack.push([child, copyChild, 0]);
  }
  return pairs;
}

/**
 * The stored props of each node, pre-order: `uniqueNameInOwner` (a stored property in Godot), then the
 * keys of the class's registered props schema, the way Godot copies storage properties (GDScript's
 * `@export` ones). A prop holding a node of the copied subtree gets its copy; plain data is copied deeply.
 */
function copyProps(root: Node, pairs: Map<Node, Node>, base: BaseClass, flags: number): void {
  const remap = (value: unknown): unknown => {
    if (value instanceof base) return isWithin(root, value) ? (pairs.get(value) ?? null) : value;
    return value;
  };
  const copyValue = (value: unknown): unknown =>
    Array.isArray(value) ? value.map((item) => remap(copyData(item))) : remap(copyData(value));
  for (const [original, copy] of pairs) {
    copy.uniqueNameInOwner = original.uniqueNameInOwner;
    const source = original as unknown as Record<string, unknown>;
    const target = copy as unknown as Record<string, unknown>;
    const stored = storedPropsOf(original);
    for (const key of stored) {
      if (!(key in copy)) continue; // a copy of the engine class lacks the script's props
      target[key] = copyValue(source[key]);
    }
    if (flags & DuplicateFlags.INTERNAL_STATE) copyInternalState(original, copy, stored, copyValue);
    (original as Partial<CopiesState>)[DUPLICATE_STATE]?.(copy, copyValue);
  }
}

/**
 * `DuplicateFlags.INTERNAL_STATE`: the node's own fields its class does not store (GDScript's plain
 * `var`s; `#private` fields are out of reach, as a script's internals are), and its owner when the
 * owner is inside the copied branch (pre-order, so the owner's copy is already an ancestor). An owner
 * outside can't be an ancestor of the copy: Godot's `set_owner` refuses it, and the copy has none.
 */
function copyInternalState(
  original: Node,
  copy: Node,
  stored: readonly string[],
  copyValue: (value: unknown) => unknown,
): void {
  const source = original as unknown as Record<string, unknown>;
  const target = copy as unknown as Record<string, unknown>;
  for (const key of Object.keys(original)) {
    if (stored.includes(key) || !(key in copy)) continue;
    target[key] = copyValue(source[key]);
  }
  const owner = copyValue(original.owner);
  if (owner !== original.owner) copy.owner = owner as Node | null;
}

function isWithin(root: Node, node: NodeLike): boolean {
  return node === root || root.isAncestorOf(node);
}

/** Arrays and plain objects copied deeply (Godot's `duplicate(true)`); other objects are shared. */
function copyData(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== "object") return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copyData(item, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = Object.create(proto);
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) out[key] = copyData(item, seen);
  return out;
}

/**
 * Godot's `_duplicate_signals`: breadth first over the original, every `PERSIST` connection to a
 * method of a node is made again from the copy, to the target's copy when the target is inside the
 * copied subtree (else to the same target). Connections from code (not PERSIST) are not copied, nor
 * those on a signal the copy lacks.
 */
function copyConnections(root: Node, pairs: Map<Node, Node>, base: BaseClass): void {
  const rootTop = topOf(root);
  const queue: Node[] = [root];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    const copy = pairs.get(node);
    for (const { signal, callable, flags } of outgoingConnections(node)) {
      if (!copy || !(flags & ConnectFlags.PERSIST) || !(callable instanceof Callable)) continue;
      // A copy of the engine class lacks the script's signals, and no copy has the user signals:
      // Godot's `copy->connect` fails on such a signal ("nonexistent signal") and the copy goes on.
      if (!copy.hasSignal(signal)) continue;
      const target = callable.target;
      if (!(target instanceof base) || topOf(target) !== rootTop || !callable.method) continue;
      const copyTarget = (isWithin(root, target) && pairs.get(target)) || target;
      // Its binds and unbinds as they are (Godot's _duplicate_signals re-applies both).
      const copyCallable = callable[RETARGETED](copyTarget);
      if (copy.isConnected(signal as never, copyCallable as never)) continue;
      (copy.connect as (s: string, c: Callable, f: number) => void).call(copy, signal, copyCallable, flags);
    }
    for (const child of nodeData(node).children as Node[]) queue.push(child);
  }
}

function topOf(node: Node): Node {
  let top = node;
  while (top.getParent()) top = top.getParent()!;
  return top;
}
