import * as fc from "fast-check";
import * as path from "node:path";
import {
  nodePathProp,
  nodePropsSchema,
  parseScene,
  registerNodeType,
  SceneError,
  unregisterNodeType,
} from "../../src";
import { Node } from "../../src/scene/Node";
import { cursorLabel, resolveOutlinePath, type OutlineNode } from "../../src/loader/outline";
import { SceneTree } from "../../src/scene/SceneTree";
import { CHAOS_SEED, scaled } from "../helpers/chaos";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

/**
 * Validation and instantiation agree: a scene the loader accepts always builds. Generated scenes mix
 * what the two must judge alike: sibling and unique names (few letters, so they collide), sub-scenes
 * instanced with name, uniqueNameInOwner and prop overrides, NodePath props and connections through
 * `..`, `%Name` and into sub-scenes, and `"editable"` entries changing and adding nodes inside
 * instances. A scene may be refused; once accepted, `instantiate()` must not throw, and the tree must
 * enter and leave a SceneTree. Replay with SCENETREE_CHAOS_SEED=<seed>.
 */

class AgreePointer extends Node {
  target: Node | null = null;
  hits = 0;
  hit(): void {
    this.hits++;
  }
}

// Few names, X most often: unique names and instance roots then collide, where the two could disagree.
const NAMES = ["X", "X", "A", "B"];
// Paths that often lead somewhere (a scene with a broken path is refused, and says nothing).
const PATHS = [".", ".", "..", "X", "%X", "%X", "A", "%A", "A/X", "X/A", "../X", "%B", "B/%X"];

interface TypedModel {
  name: string;
  type: "Node" | "Timer" | "AgreePointer";
  uniqueNameInOwner?: boolean;
  props?: { target?: string; processPriority?: number };
  children?: ChildModel[];
}
interface InstanceModel {
  instance: string;
  name?: string;
  uniqueNameInOwner?: boolean;
  props?: { target?: string; processPriority?: number };
  editable?: Record<string, EditModel>;
  children?: ChildModel[];
}
interface EditModel {
  props?: { target?: string; processPriority?: number };
  groups?: string[];
  children?: ChildModel[];
}

// Keys into a sub-scene (its nodes are named from NAMES too): most exist, some cross a nested instance.
const EDIT_KEYS = ["X", "A", "B", "X/X", "X/A", "A/X", "B/X"];
type ChildModel = TypedModel | InstanceModel;

function strip<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const flag = (...values: Array<boolean | undefined>) => fc.constantFrom(...values);

const propsArb = (targets: boolean) =>
  fc
    .record({
      target: targets ? maybe(fc.constantFrom(...PATHS)) : fc.constant(undefined),
      processPriority: maybe(fc.integer({ min: -5, max: 5 })),
    })
    .map((props) => strip(props));

interface Shape {
  /** Files an instance may name (none: typed nodes only). */
  subScenes: string[];
  /** Levels of children below this node. */
  depth: number;
  /** Whether AgreePointer targets are generated. */
  targets: boolean;
  /** Every instance edits nodes inside it. */
  edits?: boolean;
}

/** A child: a typed node (unique more often than not), or an instance whose flag is often overridden. */
function childArb(shape: Shape): fc.Arbitrary<ChildModel> {
  const typed = typedArb(fc.constantFrom(...NAMES), flag(true, true, false, undefined), shape);
  return shape.subScenes.length === 0 ? typed : fc.oneof(typed, instanceArb(shape));
}

/** An instance node, with name, flag and prop overrides, and sometimes children of its own beside the sub-scene's. */
function instanceArb(shape: Shape): fc.Arbitrary<InstanceModel> {
  return fc
    .record({
      instance: fc.constantFrom(...shape.subScenes),
      name: fc.option(fc.constantFrom(...NAMES), { nil: undefined, freq: 3 }),
      uniqueNameInOwner: flag(false, false, true, undefined),
      props: maybe(propsArb(shape.targets)),
      editable: shape.edits
        ? editableArb(shape, 1)
        : fc.option(editableArb(shape, 0), { nil: undefined, freq: 3 }),
      children:
        shape.depth <= 0
          ? fc.constant(undefined)
          : fc.option(childrenArb({ ...shape, depth: shape.depth - 1 }), { nil: undefined, freq: 4 }),
    })
    .map((model) => strip(model));
}

/** Editable children: props, groups and new children (whose names often collide) on nodes inside. */
function editableArb(shape: Shape, minKeys: number): fc.Arbitrary<Record<string, EditModel>> {
  const edit = fc
    .record({
      props: maybe(propsArb(false)),
      groups: maybe(fc.constant<string[]>(["edited"])),
      children:
        shape.depth <= 0 ? fc.constant(undefined) : maybe(childrenArb({ ...shape, depth: shape.depth - 1 })),
    })
    .map((model) => strip(model));
  return fc.dictionary(fc.constantFrom(...EDIT_KEYS), edit, { minKeys, maxKeys: 2 });
}

function childrenArb(shape: Shape): fc.Arbitrary<ChildModel[]> {
  return fc.uniqueArray(childArb(shape), {
    minLength: 1,
    maxLength: 3,
    selector: (child) => ("instance" in child ? (child.name ?? child.instance) : child.name),
  });
}

function typedArb(
  name: fc.Arbitrary<string>,
  unique: fc.Arbitrary<boolean | undefined>,
  shape: Shape,
): fc.Arbitrary<TypedModel> {
  const children =
    shape.depth <= 0 ? fc.constant(undefined) : maybe(childrenArb({ ...shape, depth: shape.depth - 1 }));
  return fc
    .record({
      name,
      type: fc.constantFrom<TypedModel["type"]>("Node", "Timer", "AgreePointer"),
      uniqueNameInOwner: unique,
      props: maybe(propsArb(shape.targets)),
      children,
    })
    .map((model) => {
      const node = strip(model) as TypedModel;
      if (node.type !== "AgreePointer" && node.props) delete node.props.target;
      return node;
    });
}

const connectionArb = fc
  .record({
    from: fc.constantFrom(...PATHS),
    signal: fc.constantFrom("ready", "renamed", "timeout"),
    to: fc.constantFrom(...PATHS),
    method: fc.constantFrom("queueFree", "queueFree", "hit", "stop"),
    flags: maybe(fc.constantFrom<unknown>("DEFERRED", "REFERENCE_COUNTED", ["ONE_SHOT", "DEFERRED"], 0)),
  })
  .map((connection) => strip(connection));

/** The main scene, named "Main", instancing the sub-scenes in `subScenes`. */
const mainArb = (subScenes: string[]) =>
  fc.record({
    root: typedArb(fc.constant("Main"), fc.constant(undefined), { subScenes, depth: 2, targets: true }),
    connections: fc.oneof(fc.constant([]), fc.array(connectionArb, { minLength: 1, maxLength: 2 })),
  });

/**
 * A sub-scene: small, so that most are valid (an invalid one makes every scene instancing it invalid
 * too), its root named X and unique most often, or itself an instance of an earlier sub-scene.
 */
const subArb = (subScenes: string[]) => {
  const shape = { subScenes, depth: 1, targets: false };
  const typed = typedArb(fc.constantFrom(...NAMES), flag(true, true, false, undefined), shape);
  return fc.record({ root: subScenes.length === 0 ? typed : fc.oneof(typed, instanceArb(shape)) });
};

/**
 * From every node of the built scene (sub-scenes' included), every path of PATHS leads where the
 * validator's outline says it does: to nothing in both, or to the node with the same path.
 */
function expectSameResolution(outline: OutlineNode, root: Node): void {
  const nodes: Node[] = [root];
  for (let i = 0; i < nodes.length; i++) nodes.push(...nodes[i].getChildren());
  for (const node of nodes) {
    const base = node === root ? "." : root.getPathTo(node);
    for (const path of PATHS) {
      const full = `${base}/${path}`;
      const built = root.getNodeOrNull(full);
      const modelled = resolveOutlinePath(outline, full);
      const where =
        built === null ? null : built === root ? root.name : `${root.name}/${root.getPathTo(built)}`;
      expect([full, modelled && cursorLabel(modelled)]).toEqual([full, where]);
    }
  }
}

describe(`validation and instantiation agree (seed ${CHAOS_SEED})`, () => {
  let box: SceneSandbox;
  beforeAll(() => {
    registerNodeType(
      "AgreePointer",
      AgreePointer,
      nodePropsSchema.extend({ target: nodePathProp().optional() }),
    );
    box = makeSceneSandbox();
  });
  afterAll(() => {
    unregisterNodeType("AgreePointer");
    box.dispose();
  });

  /** Writes the sub-scenes, validates the main scene, and builds it if accepted; true when accepted. */
  let run = 0;
  function acceptedBuilds(sub0: object, sub1: object, main: object): boolean {
    const folder = `run${run++}`;
    const write = (name: string, scene: object) =>
      box.write(`project/${folder}/${name}`, JSON.stringify({ format: 1, ...scene }));
    write("sub0.scene.json", sub0);
    write("sub1.scene.json", sub1);
    let packed;
    try {
      packed = parseScene(JSON.stringify({ format: 1, ...main }), {
        file: path.join(box.project, folder, "main.scene.json"),
      });
    } catch (error) {
      if (error instanceof SceneError) return false;
      throw error;
    }
    const root = packed.instantiate(); // must not throw: the scene was accepted
    expectSameResolution(packed.outline, root);
    const tree = new SceneTree({ fatalErrors: true });
    tree.root.addChild(root);
    tree.step(1 / 60);
    tree.finalize();
    return true;
  }

  const subs = ["./sub0.scene.json", "./sub1.scene.json"];

  test(`${scaled(400, 4000)} generated scenes with sub-scenes: every accepted one builds and runs`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(subArb([]), subArb(subs.slice(0, 1)), mainArb(subs), (sub0, sub1, main) => {
        if (acceptedBuilds(sub0, sub1, main)) accepted++;
      }),
      { seed: CHAOS_SEED, numRuns: scaled(400, 4000) },
    );
    // Not vacuous: a fair share of the generated scenes is valid.
    expect(accepted).toBeGreaterThan(scaled(400, 4000) / 10);
  }, 120_000);

  test(`${scaled(400, 4000)} scenes about unique names only: instance roots, overrides, %Name connections`, () => {
    let accepted = 0;
    const byUniqueName = fc
      .record({
        from: fc.constantFrom("%X", "%A", "%B", "."),
        signal: fc.constant("ready"),
        to: fc.constantFrom("%X", "%A", "."),
        method: fc.constant("queueFree"),
      })
      .map((c) => ({ ...c, flags: "REFERENCE_COUNTED" }));
    const mainArb = fc.record({
      root: typedArb(fc.constant("Main"), fc.constant(undefined), {
        subScenes: subs,
        depth: 2,
        targets: false,
      }),
      connections: fc.array(byUniqueName, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(subArb([]), subArb(subs.slice(0, 1)), mainArb, (sub0, sub1, main) => {
        if (acceptedBuilds(sub0, sub1, main)) accepted++;
      }),
      { seed: CHAOS_SEED + 1, numRuns: scaled(400, 4000) },
    );
    expect(accepted).toBeGreaterThan(scaled(400, 4000) / 10);
  }, 120_000);

  test(`${scaled(200, 2000)} scenes editing their instances: keys, added children, %Name and paths through them`, () => {
    let accepted = 0;
    // The nodes each fixed sub-scene below has (sub1's X is an instance of sub0: its keys cross it).
    const keysOf: Record<string, string[]> = {
      "./sub0.scene.json": ["X", "A", "B", "B/X"],
      "./sub1.scene.json": ["X", "A", "X/X", "X/A", "X/B", "X/B/X"],
    };
    const addedArb = fc
      .record({
        name: fc.constantFrom("C", "D", "X"),
        type: fc.constantFrom<TypedModel["type"]>("Node", "Timer", "AgreePointer"),
        uniqueNameInOwner: flag(undefined, undefined, true),
        props: maybe(propsArb(true)),
      })
      .map((model) => {
        const node = strip(model) as TypedModel;
        if (node.type !== "AgreePointer" && node.props) delete node.props.target;
        return node;
      });
    const editArb = fc
      .record({
        props: maybe(fc.record({ processPriority: fc.integer({ min: -5, max: 5 }) })),
        groups: maybe(fc.constant<string[]>(["edited"])),
        children: maybe(fc.uniqueArray(addedArb, { minLength: 1, maxLength: 2, selector: (c) => c.name })),
      })
      .map((model) => strip(model));
    const editedArb = fc.constantFrom(...subs).chain((sub) =>
      fc
        .record({
          instance: fc.constant(sub),
          name: fc.option(fc.constantFrom(...NAMES), { nil: undefined, freq: 3 }),
          uniqueNameInOwner: flag(false, false, undefined),
          editable: fc.dictionary(fc.constantFrom(...keysOf[sub]), editArb, { minKeys: 1, maxKeys: 2 }),
        })
        .map((model) => strip(model) as InstanceModel),
    );
    const mainArb = fc.record({
      root: fc.record({
        name: fc.constant("Main"),
        type: fc.constant("Node"),
        children: fc.uniqueArray(editedArb, {
          minLength: 1,
          maxLength: 2,
          selector: (c) => c.name ?? c.instance,
        }),
      }),
      connections: fc.oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.array(connectionArb, { minLength: 1, maxLength: 1 }) },
      ),
    });
    // Sub-scenes with the nodes EDIT_KEYS name, most often: random ones rarely have them.
    const sub0: fc.Arbitrary<object> = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constant({
          root: {
            name: "X",
            type: "Node",
            uniqueNameInOwner: true,
            children: [
              { name: "X", type: "Timer", uniqueNameInOwner: true },
              { name: "A", type: "AgreePointer" },
              { name: "B", type: "Node", children: [{ name: "X", type: "Node" }] },
            ],
          },
        }),
      },
      { weight: 1, arbitrary: subArb([]) },
    );
    const sub1: fc.Arbitrary<object> = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constant({
          root: {
            name: "B",
            type: "Node",
            children: [
              { name: "X", instance: "./sub0.scene.json", uniqueNameInOwner: false },
              { name: "A", type: "Node", uniqueNameInOwner: true },
            ],
          },
        }),
      },
      { weight: 1, arbitrary: subArb(subs.slice(0, 1)) },
    );
    fc.assert(
      fc.property(sub0, sub1, mainArb, (s0, s1, main) => {
        if (acceptedBuilds(s0, s1, main)) accepted++;
      }),
      { seed: CHAOS_SEED + 2, numRuns: scaled(200, 2000) },
    );
    expect(accepted).toBeGreaterThan(scaled(200, 2000) / 10);
  }, 120_000);
});
