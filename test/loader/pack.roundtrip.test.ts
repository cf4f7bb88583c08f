import * as fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  Callable,
  ConnectFlags,
  Node,
  PackedScene,
  parseScene,
  registerNodeType,
  sceneFileText,
  Timer,
  unregisterNodeType,
} from "../../src";
import { groupEntries } from "../../src/scene/node/groups";
import { CHAOS_SEED, scaled } from "../helpers/chaos";
import { dumpTree } from "../helpers/sceneDump";
import { PropsProbe, propsProbeSchema } from "../helpers/propsProbe";

/**
 * The round trip of issue 13: load → pack → save → load builds the same tree, over generated scenes
 * (typed nodes with every kind of prop, groups, unique names, node props, connections with binds and
 * flags, instances of sub-scenes — nested ones too — with overrides and children of their own), and
 * over trees changed by code before packing (what pack must leave out: nodes the root does not own,
 * groups and connections that are not persistent). Replay with SCENETREE_CHAOS_SEED=<seed>.
 */

class Trip extends PropsProbe {}

beforeAll(() => {
  registerNodeType("Trip", Trip, propsProbeSchema);
});
afterAll(() => unregisterNodeType("Trip"));

type TypeName = "Node" | "Timer" | "Trip";
type SceneName = "enemy" | "leaf" | "squad";

/**
 * The sub-scenes instances use: their root's type, the nodes inside them (path from the instance root
 * and type), and the connections they make themselves (which a file must not make again).
 */
const SUB_SCENES: Record<
  SceneName,
  { rootType: TypeName; inside: Array<[string, TypeName]>; own: string[]; file: unknown }
> = {
  enemy: {
    rootType: "Trip",
    inside: [
      ["Body", "Node"],
      ["Body/Gun", "Timer"],
    ],
    own: [wireKey("Body/Gun", "timeout", ".", "onHit", ["gun"])],
    file: {
      format: 1,
      root: {
        name: "Enemy",
        type: "Trip",
        props: { speed: 3, target: "Body/Gun" },
        groups: ["foes"],
        children: [
          {
            name: "Body",
            type: "Node",
            children: [{ name: "Gun", type: "Timer", props: { waitTime: 2 }, uniqueNameInOwner: true }],
          },
        ],
      },
      connections: [{ from: "%Gun", signal: "timeout", to: ".", method: "onHit", binds: ["gun"] }],
    },
  },
  leaf: {
    rootType: "Timer",
    inside: [],
    own: [],
    file: { format: 1, root: { name: "Leaf", type: "Timer" } },
  },
  squad: {
    rootType: "Node",
    inside: [
      ["Lead", "Trip"],
      ["Lead/Body", "Node"],
      ["Lead/Body/Gun", "Timer"],
      ["Helper", "Trip"],
    ],
    own: [
      wireKey("Lead", "hit", "Helper", "onHit", []),
      wireKey("Lead/Body/Gun", "timeout", "Lead", "onHit", ["gun"]),
    ],
    file: {
      format: 1,
      root: {
        name: "Squad",
        type: "Node",
        children: [
          { name: "Lead", instance: "./enemy.scene.json", props: { label: "lead" }, groups: ["leads"] },
          { name: "Helper", type: "Trip", props: { target: "../Lead/Body/Gun" } },
        ],
      },
      connections: [{ from: "Lead", signal: "hit", to: "Helper", method: "onHit", flags: ["DEFERRED"] }],
    },
  },
};

function wireKey(from: string, signal: string, to: string, method: string, binds: unknown[]): string {
  return JSON.stringify([from, signal, to, method, binds]);
}

/** A change a file makes inside an instance: which of its nodes (modulo), and what. */
interface GenEdit {
  inside: number;
  priority: number | null;
  group: string | null;
  child: GenNode | null;
}

interface GenNode {
  type: TypeName | null;
  scene: SceneName | null;
  props: Record<string, unknown>;
  groups: string[];
  unique: boolean;
  /** Which node (an index into the scene's nodes, modulo) a Trip's target points at, and inside it. */
  target: { node: number; inside: number } | null;
  edits: GenEdit[];
  children: GenNode[];
}

const word = fc.stringMatching(/^[a-z]{1,6}$/);
const nameSuffix = fc.constantFrom("", "é", " x", "日本", "-1");

const nodeProps = fc.record(
  {
    processMode: fc.constantFrom("INHERIT", "PAUSABLE", "WHEN_PAUSED", "ALWAYS", "DISABLED", 0, 3),
    processPriority: fc.integer({ min: -5, max: 5 }),
    processPhysicsPriority: fc.integer({ min: -5, max: 5 }),
  },
  { requiredKeys: [] },
);
const timerProps = fc.record(
  {
    waitTime: fc.double({ min: 0.001, max: 1e6, noNaN: true }),
    oneShot: fc.boolean(),
    autostart: fc.boolean(),
    paused: fc.boolean(),
    processCallback: fc.constantFrom("PHYSICS", "IDLE"),
    maxTimeoutsPerTick: fc.integer({ min: 1, max: 9 }),
  },
  { requiredKeys: [] },
);
const tripProps = fc.record(
  {
    speed: fc.double({ noNaN: true, noDefaultInfinity: true }),
    label: fc.string({ maxLength: 8 }),
    tags: fc.array(word, { maxLength: 3 }),
    stats: fc.dictionary(word, fc.integer({ min: -9, max: 9 }), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);
const propsFor = (type: TypeName) =>
  fc
    .tuple(nodeProps, type === "Timer" ? timerProps : type === "Trip" ? tripProps : fc.constant({}))
    .map(([a, b]) => ({ ...a, ...b }) as Record<string, unknown>);

const targetArb = fc.option(fc.record({ node: fc.nat(), inside: fc.nat() }), { nil: null });

/** A node and up to `depth` levels below it: bounded, so trees stay small and the stack shallow. */
function nodeAt(depth: number): fc.Arbitrary<GenNode> {
  return fc
    .record({
      kind: fc.constantFrom<TypeName | SceneName>("Node", "Timer", "Trip", "Trip", "enemy", "leaf", "squad"),
      groups: fc.uniqueArray(word, { maxLength: 2 }),
      unique: fc.boolean(),
      target: targetArb,
      children: depth > 0 ? fc.array(nodeAt(depth - 1), { maxLength: 3 }) : fc.constant<GenNode[]>([]),
      edits: fc.array(
        fc.record({
          inside: fc.nat(),
          priority: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
          group: fc.option(word, { nil: null }),
          child: depth > 0 ? fc.option(nodeAt(0), { nil: null }) : fc.constant(null),
        }),
        { maxLength: 2 },
      ),
    })
    .chain(({ kind, ...rest }) => {
      const isScene = kind === "enemy" || kind === "leaf" || kind === "squad";
      const type = isScene ? SUB_SCENES[kind].rootType : kind;
      return propsFor(type).map((props): GenNode => ({
        type: isScene ? null : kind,
        scene: isScene ? kind : null,
        props,
        groups: rest.groups,
        unique: rest.unique,
        target: type === "Trip" ? rest.target : null,
        edits: isScene ? rest.edits : [],
        children: rest.children,
      }));
    });
}

const nodeArb = nodeAt(3);

const connectionArb = fc.record({
  from: fc.nat(),
  to: fc.nat(),
  signal: fc.nat(),
  method: fc.nat(),
  binds: fc.option(
    fc.array(fc.oneof(fc.integer(), word, fc.boolean(), fc.constant(null)), { maxLength: 2 }),
    {
      nil: undefined,
    },
  ),
  flags: fc.subarray(["DEFERRED", "ONE_SHOT", "APPEND_SOURCE_OBJECT"]),
});

type Wire = typeof connectionArb extends fc.Arbitrary<infer T> ? T : never;

interface Placed {
  node: GenNode | null;
  path: string[];
  type: TypeName;
  /** The instance it is inside (its root included), for the sub-scene's own connections. */
  scope: { path: string[]; scene: SceneName } | null;
}

/**
 * The scene file for a generated tree: names given in order (unique in the file), node props and
 * connections resolved to paths, `editable` entries for the changes inside instances.
 */
function sceneFile(root: GenNode, suffix: string, connections: Wire[]): unknown {
  const placed: Placed[] = [];
  const entries = new Map<GenNode, Record<string, unknown>>();
  const visit = (node: GenNode, parentPath: string[] | null): Record<string, unknown> => {
    const name = `N${placed.length}${suffix}`;
    const own = parentPath === null ? [] : [...parentPath, name];
    const type = node.type ?? SUB_SCENES[node.scene!].rootType;
    const scope = node.scene ? { path: own, scene: node.scene } : null;
    placed.push({ node, path: own, type, scope });
    const entry: Record<string, unknown> = { name };
    if (node.scene) entry.instance = `./parts/${node.scene}.scene.json`;
    else entry.type = type;
    entries.set(node, entry);
    if (Object.keys(node.props).length > 0) entry.props = { ...node.props };
    if (node.groups.length > 0) entry.groups = node.groups;
    if (node.unique) entry.uniqueNameInOwner = true;
    if (scope) {
      const inside = SUB_SCENES[scope.scene].inside;
      for (const [at, insideType] of inside)
        placed.push({ node: null, path: [...own, ...at.split("/")], type: insideType, scope });
      const editable: Record<string, Record<string, unknown>> = {};
      for (const edit of node.edits) {
        if (inside.length === 0) break;
        const key = inside[edit.inside % inside.length][0];
        const change = (editable[key] ??= {});
        if (edit.priority !== null) change.props = { processPriority: edit.priority };
        if (edit.group !== null && !(change.groups as string[] | undefined)?.includes(edit.group))
          change.groups = [...((change.groups as string[] | undefined) ?? []), edit.group];
        if (edit.child)
          change.children = [
            ...((change.children as unknown[] | undefined) ?? []),
            visit(edit.child, [...own, ...key.split("/")]),
          ];
      }
      if (Object.keys(editable).length > 0) entry.editable = editable;
    }
    if (node.children.length > 0) entry.children = node.children.map((child) => visit(child, own));
    return entry;
  };
  // The root is a plain node (an instance root would be an inherited scene, which pack flattens).
  const rootEntry = visit(
    { ...root, scene: null, type: root.type ?? SUB_SCENES[root.scene!].rootType, edits: [] },
    null,
  );
  const nodes = placed.filter((p) => p.node !== null);
  for (const { node, path: from } of nodes) {
    if (!node?.target) continue;
    const target = nodes[node.target.node % nodes.length];
    const inside = target.node!.scene ? SUB_SCENES[target.node!.scene].inside : [];
    const pick = node.target.inside % (inside.length + 1);
    const to = pick === inside.length ? target.path : [...target.path, ...inside[pick][0].split("/")];
    const entry = entries.get(node)!;
    entry.props = { ...(entry.props as object), target: relative(from, to) };
  }
  const made: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const c of connections) {
    const from = placed[c.from % placed.length];
    const to = placed[c.to % placed.length];
    const signals = [
      "ready",
      "treeEntered",
      ...(from.type === "Timer" ? ["timeout"] : []),
      ...(from.type === "Trip" ? ["hit"] : []),
    ];
    const methods = ["isNodeReady", "getIndex", ...(to.type === "Trip" ? ["onHit"] : [])];
    const signal = signals[c.signal % signals.length];
    const method = methods[c.method % methods.length];
    const binds = c.binds ?? [];
    const key = wireKey(from.path.join("/"), signal, to.path.join("/"), method, binds);
    if (seen.has(key)) continue;
    const scope = from.scope;
    if (scope && to.scope === scope) {
      const inScope = wireKey(
        relative(scope.path, from.path),
        signal,
        relative(scope.path, to.path),
        method,
        binds,
      );
      if (SUB_SCENES[scope.scene].own.includes(inScope)) continue; // the instance makes it already
    }
    seen.add(key);
    const entry: Record<string, unknown> = {
      from: from.path.join("/") || ".",
      signal,
      to: to.path.join("/") || ".",
      method,
    };
    if (c.binds) entry.binds = c.binds;
    if (c.flags.length > 0) entry.flags = c.flags;
    made.push(entry);
  }
  return { format: 1, root: rootEntry, ...(made.length > 0 && { connections: made }) };
}

function relative(from: string[], to: string[]): string {
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  const steps = [...Array<string>(from.length - common).fill(".."), ...to.slice(common)];
  return steps.length === 0 ? "." : steps.join("/");
}

let folder: string;
beforeAll(() => {
  folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-roundtrip-")));
  fs.mkdirSync(path.join(folder, "parts"));
  fs.mkdirSync(path.join(folder, "out"));
  for (const [name, { file }] of Object.entries(SUB_SCENES))
    fs.writeFileSync(path.join(folder, "parts", `${name}.scene.json`), JSON.stringify(file));
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

/** load → pack → save (as text, in another folder) → load; returns both trees and the saved text. */
function roundTrip(first: Node): { second: Node; text: string; again: string } {
  const saved = path.join(folder, "out", "saved.scene.json");
  const text = sceneFileText(PackedScene.pack(first), saved);
  const second = parseScene(text, { file: saved }).instantiate();
  const again = sceneFileText(PackedScene.pack(second), saved);
  return { second, text, again };
}

describe(`pack round trip over generated scenes (seed ${CHAOS_SEED})`, () => {
  test("load → pack → save → load builds the same tree, and packing that gives the same file", () => {
    let instances = 0;
    let connections = 0;
    let editables = 0;
    fc.assert(
      fc.property(nodeArb, nameSuffix, fc.array(connectionArb, { maxLength: 5 }), (root, suffix, wires) => {
        const file = path.join(folder, "main.scene.json");
        const doc = sceneFile(root, suffix, wires);
        const first = parseScene(JSON.stringify(doc), { file }).instantiate();
        try {
          const { second, text, again } = roundTrip(first);
          try {
            expect(dumpTree(second)).toEqual(dumpTree(first));
            expect(again).toBe(text); // a fixed point: nothing is lost or added the second time
            instances += (text.match(/"instance"/g) ?? []).length;
            editables += (text.match(/"editable"/g) ?? []).length;
            connections += (JSON.parse(text).connections ?? []).length;
          } finally {
            second.free();
          }
        } finally {
          first.free();
        }
      }),
      { seed: CHAOS_SEED, numRuns: scaled(100, 2000) },
    );
    // The generator does reach what it is meant to test.
    expect(instances).toBeGreaterThan(50);
    expect(connections).toBeGreaterThan(50);
    expect(editables).toBeGreaterThan(20);
  }, 120_000);

  const changeArb = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom(
      "owned",
      "loose",
      "group",
      "runtimeGroup",
      "persist",
      "code",
      "prop",
      "reparentOwned",
    ),
    value: fc.integer({ min: 1, max: 99 }),
  });

  test("changes made by code: the owned and persistent ones are saved, the others left out", () => {
    fc.assert(
      fc.property(nodeArb, fc.array(changeArb, { minLength: 1, maxLength: 6 }), (root, changes) => {
        const file = path.join(folder, "main.scene.json");
        const first = parseScene(JSON.stringify(sceneFile(root, "", [])), { file }).instantiate();
        try {
          const scene = ownNodes(first);
          const inside = insideNodes(first);
          changes.forEach((change, i) => {
            const pool = change.kind.startsWith("inside") ? inside : scene;
            if (pool.length > 0) applyChange(first, pool[change.at % pool.length], change, i);
          });
          const { second } = roundTrip(first);
          try {
            dropUnsaved(first);
            expect(dumpTree(second)).toEqual(dumpTree(first));
          } finally {
            second.free();
          }
        } finally {
          first.free();
        }
      }),
      { seed: CHAOS_SEED, numRuns: scaled(100, 1000) },
    );
  }, 120_000);
});

/** The nodes of `root`'s own scene (itself and what it owns, not inside instances). */
function ownNodes(root: Node): Node[] {
  const out = [root];
  for (let i = 0; i < out.length; i++)
    for (const child of out[i].getChildren()) if (child.owner === root) out.push(child);
  return out;
}

/** The nodes inside the instances of `root`'s scene (owned by an instance root, not by `root`). */
function insideNodes(root: Node): Node[] {
  const out: Node[] = [];
  const stack = [...root.getChildren()];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.owner !== root && node.owner !== null) out.push(node);
    stack.push(...node.getChildren());
  }
  return out;
}

function applyChange(root: Node, node: Node, change: { kind: string; value: number }, i: number): void {
  switch (change.kind) {
    case "owned": {
      const child = new Timer();
      child.name = `Added${i}`;
      child.waitTime = change.value;
      node.addChild(child);
      child.owner = root;
      break;
    }
    case "loose": {
      const child = new Node();
      child.name = `Loose${i}`;
      node.addChild(child);
      const below = new Node();
      below.name = "Below";
      child.addChild(below);
      below.owner = root; // owned, but under a node that is not saved: left out too
      break;
    }
    case "group":
      node.addToGroup(`g${change.value}`, true);
      break;
    case "runtimeGroup":
      node.addToGroup(`r${change.value}`);
      break;
    case "persist":
    case "code": {
      const callable = new Callable(root, "getIndex").bind(change.value);
      if (!node.isConnected("renamed", callable))
        node.connect("renamed", callable, change.kind === "persist" ? ConnectFlags.PERSIST : 0);
      break;
    }
    case "prop":
    case "insideProp":
      node.processPriority = change.value;
      break;
    case "insideGroup":
      node.addToGroup(`i${change.value}`, true);
      break;
    case "insideChild": {
      const child = new Node();
      child.name = `Inner${i}`;
      node.addChild(child);
      child.owner = root;
      break;
    }
    case "insideWire": {
      const callable = new Callable(root, "getIndex").bind(change.value);
      if (!node.isConnected("renamed", callable)) node.connect("renamed", callable, ConnectFlags.PERSIST);
      break;
    }
    case "reparentOwned":
      // A node given to the scene by code after it was built, then owned: saved like the others.
      if (node !== root) {
        const extra = new Node();
        extra.name = `Moved${i}`;
        root.addChild(extra);
        extra.owner = root;
        extra.reparent(node);
        extra.owner = root;
      }
      break;
  }
}

/** What `pack` must not keep, taken away by hand: unowned subtrees, runtime groups, code connections. */
function dropUnsaved(root: Node): void {
  const visit = (node: Node, inInstance: boolean): void => {
    for (const child of node.getChildren()) {
      const owned = child.owner === root || (inInstance && child.owner !== null);
      if (!owned) {
        child.free();
        continue;
      }
      visit(child, inInstance || (child.owner === root && child.sceneFilePath !== ""));
    }
    for (const [group, { persistent }] of groupEntries(node) ?? [])
      if (!persistent) node.removeFromGroup(group);
    for (const c of node.getSignalConnectionList("renamed"))
      if (!(c.flags & ConnectFlags.PERSIST)) node.disconnect("renamed", c.callable as never);
  };
  visit(root, false);
}
