import * as fc from "fast-check";
import * as path from "node:path";
import { parseScene, SceneError, type PackedScene } from "../../src";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { Timer } from "../../src/nodes/Timer";
import { CHAOS_SEED, scaled } from "../helpers/chaos";
import { prototypeSnapshot } from "../helpers/hostileScenes";

/**
 * Generated scene files, valid and corrupted, through `parseScene` + `instantiate`: the outcome is a
 * correct tree or a SceneError, never another exception, and Object.prototype is never touched (how
 * long they take is measured in bench/scene-validate.ts). Replay with SCENETREE_CHAOS_SEED=<seed>.
 */

/** Where the generated scenes pretend to live: inside this project, so sub-scene paths resolve here. */
const FILE = path.join(__dirname, "generated.scene.json");

interface NodeModel {
  name: string;
  type: "Node" | "Timer";
  props?: { waitTime?: number; oneShot?: boolean; autostart?: boolean };
  groups?: string[];
  children?: NodeModel[];
}

// Node names: any unicode except the characters Godot reserves in paths, non-empty.
const nameArb = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
  .filter((name) => !/[.:@/"%]/.test(name) && name.trim() === name && name.length > 0);

const timerPropsArb = fc.record(
  {
    waitTime: fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
    oneShot: fc.boolean(),
    autostart: fc.boolean(),
  },
  { requiredKeys: [] },
);

const nodeArb: fc.Arbitrary<NodeModel> = fc.letrec<{ node: NodeModel }>((tie) => ({
  node: fc
    .record({
      name: nameArb,
      type: fc.constantFrom<"Node" | "Timer">("Node", "Timer"),
      timer: timerPropsArb,
      groups: fc.option(fc.array(nameArb, { maxLength: 3 }), { nil: undefined }),
      children: fc.option(
        fc.uniqueArray(tie("node"), {
          maxLength: 4,
          selector: (child) => child.name,
          depthIdentifier: "scene",
        }),
        { nil: undefined, depthSize: "small" },
      ),
    })
    .map(({ name, type, timer, groups, children }) => {
      const node: NodeModel = { name, type };
      if (type === "Timer" && Object.keys(timer).length > 0) node.props = timer;
      if (groups) node.groups = groups;
      if (children && children.length > 0) node.children = children;
      return node;
    }),
})).node;

/** Checks that the instantiated node matches its model: names, classes, props and children in order. */
function expectMatches(node: Node, model: NodeModel): void {
  expect(node.name).toBe(model.name);
  expect(node).toBeInstanceOf(model.type === "Timer" ? Timer : Node);
  if (model.type === "Timer" && model.props) {
    const timer = node as Timer;
    if (model.props.waitTime !== undefined) expect(timer.waitTime).toBe(model.props.waitTime);
    if (model.props.oneShot !== undefined) expect(timer.oneShot).toBe(model.props.oneShot);
  }
  for (const group of model.groups ?? []) expect(node.isInGroup(group)).toBe(true);
  const children = model.children ?? [];
  expect(node.getChildCount()).toBe(children.length);
  children.forEach((child, i) => expectMatches(node.getChild(i)!, child));
}

type Outcome = { ok: true; scene: PackedScene; root: Node } | { ok: false; error: SceneError };

/** Loads and builds; anything but a SceneError propagates and fails the property. */
function load(text: string): Outcome {
  let scene: PackedScene;
  try {
    scene = parseScene(text, { file: FILE });
  } catch (error) {
    if (error instanceof SceneError) return { ok: false, error };
    throw error;
  }
  // Accepted: building must succeed (only a node's own code could fail, and built-in nodes don't).
  return { ok: true, scene, root: scene.instantiate() };
}

// ---- corruption: JSON values in the wrong place, forbidden keys, huge numbers ----

const FORBIDDEN = ["__proto__", "constructor", "prototype"];
const HUGE = [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324, -0];

/** A JSON value made hostile: any JSON, a huge number, or an object with a forbidden key. */
const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...HUGE),
  fc.string(),
  fc
    .record({ key: fc.constantFrom(...FORBIDDEN), value: fc.jsonValue({ maxDepth: 2 }) })
    .map(({ key, value }) => {
      const object: Record<string, unknown> = {};
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      return object;
    }),
);

/** Every object and array inside `value`, with a way to change one of their entries. */
function containers(value: unknown, out: Array<Record<string, unknown> | unknown[]> = []): typeof out {
  if (value !== null && typeof value === "object") {
    out.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

interface Mutation {
  where: number;
  key: string | number;
  forbiddenKey: boolean;
  value: unknown;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  where: fc.nat(),
  key: fc.oneof(
    fc.constantFrom(
      "name",
      "type",
      "props",
      "children",
      "groups",
      "instance",
      "root",
      "format",
      "waitTime",
      0,
      1,
    ),
    fc.string({ maxLength: 8 }),
  ),
  forbiddenKey: fc.boolean(),
  value: hostileValueArb,
});

/** Applies mutations to a deep copy of `scene` and returns the JSON text. */
function corrupt(scene: unknown, mutations: Mutation[]): string {
  const copy = JSON.parse(JSON.stringify(scene)) as unknown;
  for (const m of mutations) {
    const all = containers(copy);
    const target = all[m.where % all.length];
    const key = m.forbiddenKey ? FORBIDDEN[m.where % FORBIDDEN.length] : m.key;
    Object.defineProperty(target, key, {
      value: m.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return JSON.stringify(copy);
}

describe(`hostile scene files, generated (seed ${CHAOS_SEED})`, () => {
  const total = scaled(10_000, 100_000);
  const before = prototypeSnapshot();

  afterAll(() => {
    expect(prototypeSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test(`${Math.round(total * 0.3)} valid scenes load into exactly the tree they describe, and enter a tree`, () => {
    fc.assert(
      fc.property(nodeArb, (model) => {
        const outcome = load(JSON.stringify({ format: 1, root: model }));
        if (!outcome.ok) throw new Error(`a valid scene was refused: ${outcome.error.message}`);
        expectMatches(outcome.root, model);
        const tree = new SceneTree({ fatalErrors: true });
        tree.root.addChild(outcome.root);
        tree.step(1 / 60);
        tree.finalize();
      }),
      { seed: CHAOS_SEED, numRuns: Math.round(total * 0.3) },
    );
  }, 60_000);

  test(`${Math.round(total * 0.5)} corrupted scenes: a SceneError or a correct tree, nothing else`, () => {
    let refused = 0;
    fc.assert(
      fc.property(nodeArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (model, mutations) => {
        const outcome = load(corrupt({ format: 1, root: model }, mutations));
        if (outcome.ok) outcome.root.free();
        else {
          refused++;
          for (const problem of outcome.error.problems) {
            expect(problem.line).toBeGreaterThanOrEqual(1);
            expect(problem.column).toBeGreaterThanOrEqual(1);
            expect(problem.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { seed: CHAOS_SEED + 1, numRuns: Math.round(total * 0.5) },
    );
    expect(refused).toBeGreaterThan(0);
  }, 60_000);

  test(`${Math.round(total * 0.2)} arbitrary JSON documents: a SceneError or a tree, never another exception`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 6 }), hostileValueArb), (value) => {
        const outcome = load(JSON.stringify(value) ?? "null");
        if (outcome.ok) outcome.root.free();
      }),
      { seed: CHAOS_SEED + 2, numRuns: Math.round(total * 0.2) },
    );
  }, 60_000);
});
