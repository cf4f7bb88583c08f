import "../../src"; // the package entry installs the built-in node types
import * as path from "node:path";
import { z } from "zod";
import { nodePathProp, nodePropsSchema, registerNodeType, unregisterNodeType } from "../../src/loader";
import { pathLink, type JsonPathSegment } from "../../src/loader/jsonPath";
import {
  createPlaceholder,
  setSyncSceneLoader,
  type PlaceholderOrigin,
} from "../../src/loader/placeholderLoader";
import { placeholderFiller } from "../../src/loader/placeholders";
import type { SceneError } from "../../src/loader/SceneError";
import type { NodeSpec, SubScene } from "../../src/loader/validate";
import { Node, ProcessMode } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";

// The InstancePlaceholder the loader makes for a `"placeholder": true` entry (src/loader/placeholderLoader.ts).

/** A type with no registered schema: its stored values are set as they are. */
class Unregistered extends Node {}

class Turret extends Node {
  range = 0;
  target: Node | null = null;
}

const failures: Array<{ at: readonly JsonPathSegment[]; message: string }> = [];
const origin: PlaceholderOrigin = {
  file: "/game/scenes/main.scene.json",
  failure(at, message) {
    failures.push({ at, message });
    return new Error(message) as SceneError;
  },
};

function spec(props: Array<[string, unknown]>): NodeSpec<SubScene> {
  return {
    name: "Turret",
    placeholder: "../parts/turret.scene.json",
    props,
    jsonPath: pathLink(pathLink(null, "root"), "children", 0),
  } as unknown as NodeSpec<SubScene>;
}

/** A scene that builds one Turret with a child Eye. */
const turretScene = {
  instantiate(): Node {
    const turret = new Turret("Root");
    turret.addChild(new Node("Eye"));
    return turret;
  },
};

let tree: SceneTree;
beforeAll(() =>
  registerNodeType(
    "PlaceholderTurret",
    Turret,
    nodePropsSchema.extend({ range: z.int().min(0).optional(), target: nodePathProp().optional() }),
  ),
);
afterAll(() => unregisterNodeType("PlaceholderTurret"));
beforeEach(() => {
  failures.length = 0;
  tree = new SceneTree({ fatalErrors: true });
});
afterEach(() => tree.finalize());

test("named as the entry, its path resolved from the scene's folder, its props copied and filled", () => {
  const shared = { list: [1] };
  const placeholder = createPlaceholder(
    origin,
    spec([
      ["range", 3],
      ["url", "ws://host/{index}"],
      ["data", shared],
    ]),
    placeholderFiller({ index: 7 }),
  );
  expect(placeholder.name).toBe("Turret");
  expect(placeholder.getInstancePath()).toBe(path.resolve("/game/parts/turret.scene.json"));
  const stored = placeholder.getStoredValues(true);
  expect(stored).toEqual({
    range: 3,
    url: "ws://host/7",
    data: { list: [1] },
    ".order": ["range", "url", "data"],
  });
  expect(stored.data).not.toBe(shared);
  const plain = createPlaceholder(origin, spec([["url", "ws://host/{index}"]]), null);
  expect(plain.getStoredValues()).toEqual({ url: "ws://host/{index}" });
});

test("createInstance loads the file through the sync loader and sets the values through the type's schema", () => {
  const asked: string[] = [];
  setSyncSceneLoader((file) => {
    asked.push(file);
    return turretScene;
  });
  const placeholder = createPlaceholder(
    origin,
    spec([
      ["range", 4],
      ["processMode", "ALWAYS"],
      ["target", "Eye"],
    ]),
    null,
  );
  tree.root.addChild(placeholder);
  const turret = placeholder.createInstance(true) as Turret;
  expect(asked).toEqual([placeholder.getInstancePath()]);
  expect(turret.name).toBe("Turret");
  expect(turret.range).toBe(4);
  expect(turret.processMode).toBe(ProcessMode.ALWAYS);
  expect(turret.target).toBe(turret.getNode("Eye")); // resolved inside the instance first
  expect(tree.root.getChild(0)).toBe(turret);
});

test("a NodePath resolves from the placeholder when the instance has no such node", () => {
  const other = new Node("Other");
  tree.root.addChild(other);
  const placeholder = createPlaceholder(origin, spec([["target", "../Other"]]), null);
  tree.root.addChild(placeholder);
  const turret = placeholder.createInstance(false, turretScene) as Turret;
  expect(turret.target).toBe(other);
});

test("a value the type refuses, or a path to nothing, fails at the entry's props; nothing is added", () => {
  const refused = createPlaceholder(origin, spec([["range", -1]]), null);
  tree.root.addChild(refused);
  expect(() => refused.createInstance(false, turretScene)).toThrow(
    /stored values don't fit PlaceholderTurret/,
  );
  expect(failures[0].at).toEqual(["root", "children", 0, "props"]);
  expect(failures[0].message).toMatch(/range/);
  const lost = createPlaceholder(origin, spec([["target", "Nowhere"]]), null);
  tree.root.addChild(lost);
  expect(() => lost.createInstance(false, turretScene)).toThrow('No node at "Nowhere"');
  expect(failures[1].at).toEqual(["root", "children", 0, "props", "target"]);
  expect(tree.root.getChildren().map((n) => n.name)).toEqual(
    ["Turret", "Turret2"].slice(0, 1).concat([lost.name]),
  );
});

test("a value that is a node already, and any value on an unregistered type, is set as it is", () => {
  const node = new Node("Given");
  tree.root.addChild(node);
  const placeholder = createPlaceholder(origin, spec([["range", 2]]), null);
  placeholder.set("target", node); // stored by hand, as a node: not a path to resolve
  tree.root.addChild(placeholder);
  const turret = placeholder.createInstance(false, turretScene) as Turret;
  expect([turret.target, turret.range]).toEqual([node, 2]);
  const loose = createPlaceholder(origin, spec([["anything", -1]]), null);
  tree.root.addChild(loose);
  const plain = loose.createInstance(false, { instantiate: () => new Unregistered("N") });
  expect((plain as unknown as Record<string, unknown>).anything).toBe(-1);
});
