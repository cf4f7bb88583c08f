import "../../src"; // the package entry installs the built-in node types
import * as path from "node:path";
import { z } from "zod";
import {
  loadScene,
  nodePathProp,
  nodePropsSchema,
  parseScene,
  registerNodeType,
  SceneError,
  unregisterNodeType,
  type PackedScene,
} from "../../src/loader";
import { InstancePlaceholder } from "../../src/nodes/InstancePlaceholder";
import { Node, ProcessMode } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

/**
 * In the style of Godot's tests/scene/test_instance_placeholder.h. Godot packs a live node into the
 * scene it instances; here the scene comes from a scene file (packing a live node is PackedScene.pack's
 * job). The node-array cases have no counterpart: scenetree has no typed arrays of NodePaths.
 */
class TestPlaceholderNode extends Node {
  intProperty = 0;
  referenceProperty: Node | null = null;
}

let box: SceneSandbox;
let tree: SceneTree;
let root: Node;
beforeAll(() =>
  registerNodeType(
    "TestPlaceholderNode",
    TestPlaceholderNode,
    nodePropsSchema.extend({ intProperty: z.int().optional(), referenceProperty: nodePathProp().optional() }),
  ),
);
afterAll(() => unregisterNodeType("TestPlaceholderNode"));
beforeEach(() => {
  box = makeSceneSandbox();
  tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  root = new Node();
  root.name = "Root";
  tree.root.addChild(root);
});
afterEach(() => {
  tree.finalize();
  box.dispose();
});

function scene(sceneRoot: object): PackedScene {
  return parseScene(JSON.stringify({ format: 1, root: sceneRoot }), {
    file: path.join(box.project, "s.scene.json"),
  });
}

/** A placeholder made by hand, as Godot's tests do, under the tree's Root. */
function placeholder(): InstancePlaceholder {
  const ip = new InstancePlaceholder();
  ip.name = "TestScene";
  root.addChild(ip);
  return ip;
}

describe("instantiate from placeholder with no overrides", () => {
  test("with non-node values", () => {
    const packed = scene({ name: "S", type: "TestPlaceholderNode", props: { intProperty: 12 } });
    const created = placeholder().createInstance(true, packed) as TestPlaceholderNode;
    expect([created.name, created.intProperty]).toEqual(["TestScene", 12]);
  });

  test("with node value: the reference is the new instance's own child", () => {
    const packed = scene({
      name: "S",
      type: "TestPlaceholderNode",
      props: { referenceProperty: "Referenced" },
      children: [{ name: "Referenced", type: "Node" }],
    });
    const other = packed.instantiate<TestPlaceholderNode>();
    const created = placeholder().createInstance(true, packed) as TestPlaceholderNode;
    expect(created.name).toBe("TestScene");
    expect(created.getChildCount()).toBe(1);
    expect(created.referenceProperty).toBe(created.getChild(0));
    expect(created.referenceProperty).not.toBe(other.referenceProperty);
    other.free();
  });
});

describe("instantiate from placeholder with overrides", () => {
  test("with non-node values", () => {
    const ip = placeholder();
    ip.set("intProperty", 45);
    const packed = scene({ name: "S", type: "TestPlaceholderNode", props: { intProperty: 12 } });
    expect((ip.createInstance(true, packed) as TestPlaceholderNode).intProperty).toBe(45);
  });

  test("with node values", () => {
    const ip = placeholder();
    const overriding = new Node();
    root.addChild(overriding);
    ip.set("referenceProperty", overriding);
    const packed = scene({
      name: "S",
      type: "TestPlaceholderNode",
      props: { referenceProperty: "Referenced" },
      children: [{ name: "Referenced", type: "Node" }],
    });
    const created = ip.createInstance(true, packed) as TestPlaceholderNode;
    expect([created.name, created.getChildCount()]).toEqual(["TestScene", 1]);
    expect(created.referenceProperty).toBe(overriding);
  });
});

describe("a scene file with a placeholder entry", () => {
  beforeEach(() => {
    box.write("project/internal.scene.json", {
      format: 1,
      root: {
        name: "InternalNode",
        type: "TestPlaceholderNode",
        props: { referenceProperty: "OriginalReference" },
        children: [{ name: "OriginalReference", type: "Node" }],
      },
    });
  });

  function main(entry: object): string {
    return box.write(
      "project/main.scene.json",
      JSON.stringify(
        {
          format: 1,
          root: {
            name: "MainNode",
            type: "Node",
            children: [
              { name: "Internal", instance: "internal.scene.json", placeholder: true, ...entry },
              { name: "OverridingReference", type: "Node" },
            ],
          },
        },
        null,
        2,
      ),
    );
  }

  test("loads as an InstancePlaceholder; createInstance(true) builds the scene in its place, NodePaths resolved inside it", async () => {
    const mainNode = (
      await loadScene(main({ props: { referenceProperty: "OriginalReference" } }))
    ).instantiate();
    root.addChild(mainNode);
    expect(mainNode.getChildCount()).toBe(2);
    const ip = mainNode.getChild(0) as InstancePlaceholder;
    expect(ip).toBeInstanceOf(InstancePlaceholder);
    expect(ip.owner).toBe(mainNode);
    expect(ip.getInstancePath()).toBe(path.join(box.project, "internal.scene.json"));
    const finalNode = ip.createInstance(true) as TestPlaceholderNode;
    expect(finalNode.getChildCount()).toBe(1);
    expect(finalNode.referenceProperty).toBe(finalNode.getChild(0));
    expect(mainNode.getChildren().map((n) => n.name)).toEqual(["Internal", "OverridingReference"]);
    expect(ip.getParent()).toBeNull();
    tree.step(1 / 60);
    expect(ip.isInstanceValid()).toBe(false); // queued for deletion, as Godot's queue_delete
  });

  test("duplicate() keeps the path, the stored values and the loader: the copy creates the same instance", async () => {
    // Godot's Node::_duplicate: `nip->set_instance_path(ip->get_instance_path())`; the stored values
    // are the placeholder's storage properties (its _get_property_list), which _duplicate_properties
    // copies (a node of the copied branch remapped to its copy).
    const mainNode = (
      await loadScene(main({ props: { intProperty: 7, referenceProperty: "OriginalReference" } }))
    ).instantiate();
    root.addChild(mainNode);
    const ip = mainNode.getChild(0) as InstancePlaceholder;
    ip.set("referenceProperty", mainNode.getNode("OverridingReference"));
    const copyMain = mainNode.duplicate();
    const copy = copyMain.getChild(0) as InstancePlaceholder;
    expect(copy).toBeInstanceOf(InstancePlaceholder);
    expect(copy.getInstancePath()).toBe(ip.getInstancePath());
    const stored = copy.getStoredValues(true);
    expect([stored.intProperty, stored[".order"]]).toEqual([7, ["intProperty", "referenceProperty"]]);
    expect(stored.referenceProperty).toBe(copyMain.getNode("OverridingReference"));
    root.addChild(copyMain);
    const made = copy.createInstance(true) as TestPlaceholderNode;
    expect([made.name, made.intProperty]).toEqual(["Internal", 7]);
    expect(made.referenceProperty).toBe(copyMain.getNode("OverridingReference"));
    // The original is untouched.
    expect(ip.getStoredValues().referenceProperty).toBe(mainNode.getNode("OverridingReference"));

    // Made in code (no scene to instance again): copied node by node, the same state.
    const loose = placeholder();
    loose.setInstancePath(ip.getInstancePath());
    loose.set("intProperty", 3);
    const looseCopy = loose.duplicate();
    expect([looseCopy.getInstancePath(), looseCopy.getStoredValues(true)]).toEqual([
      ip.getInstancePath(),
      { intProperty: 3, ".order": ["intProperty"] },
    ]);
    looseCopy.free();
  });

  test("a NodePath not inside the instance resolves from the placeholder", async () => {
    const mainNode = (
      await loadScene(main({ props: { referenceProperty: "../OverridingReference" } }))
    ).instantiate();
    root.addChild(mainNode);
    const finalNode = (mainNode.getChild(0) as InstancePlaceholder).createInstance(
      true,
    ) as TestPlaceholderNode;
    expect(finalNode.referenceProperty).toBe(mainNode.getNode("OverridingReference"));
  });

  test("stored values are set as props: enum names become numbers, in their order (getStoredValues)", async () => {
    const mainNode = (
      await loadScene(main({ props: { processMode: "ALWAYS", intProperty: 7 }, groups: ["later"] }))
    ).instantiate();
    root.addChild(mainNode);
    const ip = mainNode.getChild(0) as InstancePlaceholder;
    expect(ip.isInGroup("later")).toBe(true); // groups are the placeholder's own, as in Godot
    expect(ip.getStoredValues()).toEqual({ processMode: "ALWAYS", intProperty: 7 });
    expect(ip.getStoredValues(true)).toEqual({
      processMode: "ALWAYS",
      intProperty: 7,
      ".order": ["processMode", "intProperty"],
    });
    const made = ip.createInstance() as TestPlaceholderNode;
    expect([made.processMode, made.intProperty]).toEqual([ProcessMode.ALWAYS, 7]);
    // Without replace: at the placeholder's index (it moves one on), and a name of its own.
    expect(mainNode.getChildren().indexOf(made)).toBe(0);
    expect(ip.getIndex()).toBe(1);
    expect(made.name).not.toBe("Internal");
  });

  test("the sub-scene is not read until createInstance(): a missing one loads, then fails with its problem", async () => {
    box.write("project/main2.scene.json", {
      format: 1,
      root: {
        name: "M",
        type: "Node",
        children: [{ name: "Gone", instance: "gone.scene.json", placeholder: true }],
      },
    });
    const mainNode = (await loadScene(path.join(box.project, "main2.scene.json"))).instantiate();
    root.addChild(mainNode);
    const ip = mainNode.getChild(0) as InstancePlaceholder;
    expect(() => ip.createInstance(true)).toThrow(SceneError);
    try {
      ip.createInstance(true);
    } catch (error) {
      expect((error as SceneError).problems.map((p) => p.code)).toEqual(["ERR_MISSING_FILE"]);
    }
    expect(ip.getParent()).toBe(mainNode); // nothing changed
  });

  test("what a placeholder names is judged with the load, though not read: a scene file, inside the project if confined", async () => {
    box.write("outside/far.scene.json", { format: 1, root: { name: "Far", type: "Node" } });
    const file = box.write("project/refs.scene.json", {
      format: 1,
      root: {
        name: "M",
        type: "Node",
        children: [
          { name: "Text", instance: "notes.txt", placeholder: true },
          { name: "Far", instance: "../outside/far.scene.json", placeholder: true },
        ],
      },
    });
    const codes = async (confine: boolean) => {
      try {
        await loadScene(file, { confineInstancesToProject: confine });
      } catch (error) {
        return (error as SceneError).problems.map((p) => [p.code, p.path]);
      }
      return [];
    };
    expect(await codes(false)).toEqual([["ERR_INVALID_VALUE", "root.children[0].instance"]]);
    expect(await codes(true)).toEqual([
      ["ERR_INVALID_VALUE", "root.children[0].instance"],
      ["ERR_OUTSIDE_PROJECT", "root.children[1].instance"],
    ]);
  });

  test("a stored value the instance's type refuses: ERR_INSTANTIATE at the entry's props, nothing added", async () => {
    const file = main({ props: { intProperty: "many" } });
    const mainNode = (await loadScene(file)).instantiate();
    root.addChild(mainNode);
    const ip = mainNode.getChild(0) as InstancePlaceholder;
    let error: SceneError | null = null;
    try {
      ip.createInstance(true);
    } catch (e) {
      error = e as SceneError;
    }
    expect(error?.problems.map((p) => [p.code, p.file, p.line, p.path])).toEqual([
      ["ERR_INSTANTIATE", file, 11, "root.children[0].props"],
    ]);
    expect(mainNode.getChildCount()).toBe(2);
  });

  test("a placeholder entry needs a name, can't have children or editable, and can't be the root", () => {
    const problemsOf = (sceneRoot: object) => {
      try {
        parseScene(JSON.stringify({ format: 1, root: sceneRoot }), {
          file: path.join(box.project, "bad.scene.json"),
        });
      } catch (error) {
        return (error as SceneError).problems.map((p) => [p.code, p.path]);
      }
      return [];
    };
    const entry = { instance: "internal.scene.json", placeholder: true };
    expect(problemsOf({ ...entry, name: "R", children: [{ name: "C", type: "Node" }] })).toEqual([
      ["ERR_SCHEMA", "root.placeholder"],
      ["ERR_SCHEMA", "root.children"],
    ]);
    expect(problemsOf({ name: "R", type: "Node", children: [{ ...entry, editable: {} }] })).toEqual([
      ["ERR_SCHEMA", "root.children[0]"],
      ["ERR_SCHEMA", "root.children[0].editable"],
    ]);
  });
});

test("createInstance outside the tree is ERR_NOT_IN_TREE; without scene or loader, ERR_INVALID_ARGUMENT", () => {
  const loose = new InstancePlaceholder();
  expect(() => loose.createInstance()).toThrow(expect.objectContaining({ code: "ERR_NOT_IN_TREE" }));
  loose.free();
  expect(() => placeholder().createInstance()).toThrow(
    expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
  );
});
