/**
 * Godot 4's tests/scene/test_instance_placeholder.cpp (commit 09f2afe8), translated case by case (each TEST_CASE is a
 * `describe`, each SUBCASE an `it`). Godot's `PackedScene::pack` is `PackedScene.pack`,
 * `ResourceSaver::save` is `saveScene` and `ResourceLoader::load` is `loadScene`; `create_instance` is
 * `createInstance`, `set` on the placeholder is `set`.
 *
 * `_TestInstancePlaceholderNode` is registered as a node type (packing needs one): its bound properties
 * are fields with a props schema, `int_property` a number and `reference_property` (OBJECT with
 * PROPERTY_HINT_NODE_TYPE) a `nodePathProp()`, so a scene file holds it as a NodePath, as Godot's does.
 *
 * Not translated, as scenetree has no equivalent:
 * - `reference_array_property` (a typed `Array[Node]`, hint "24/34:Node") and every check on it: the
 *   "with node-array value" subcases of the first two cases, and the array part of the last case.
 *   scenetree props are JSON values; a node prop is one `nodePathProp()`, and there are no typed arrays
 *   of nodes or NodePaths (a props schema can't hold an array of nodes; packing one is ERR_INVALID_VALUE).
 * - `GEN_EDIT_STATE_MAIN_INHERITED` and `set_scene_instance_load_placeholder(true)` on a live instance
 *   (editor-only, TOOLS_ENABLED): scenetree has no edit states and no "load as placeholder" flag on an
 *   instanced node. A placeholder in a live tree is an `InstancePlaceholder`, so the last two cases build
 *   one (its path the saved internal scene) where Godot flags the instanced internal scene; packing
 *   either gives the same scene entry (an instance marked as placeholder, with the values set on it).
 * - `ResourceFormatLoader::CACHE_MODE_IGNORE`: `loadScene` reads the file each time.
 */
import * as path from "node:path";
import { z } from "zod";
import "../../src"; // the package entry installs the built-in node types and the placeholder's loader
import {
  loadScene,
  nodePathProp,
  nodePropsSchema,
  PackedScene,
  registerNodeType,
  saveScene,
  unregisterNodeType,
} from "../../src/loader";
import { InstancePlaceholder } from "../../src/nodes/InstancePlaceholder";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

/** Godot's `_TestInstancePlaceholderNode`, less `reference_array_property` (see above). */
class TestInstancePlaceholderNode extends Node {
  intProperty = 0;
  referenceProperty: Node | null = null;
}

let box: SceneSandbox;
let tree: SceneTree;

// GDREGISTER_CLASS(_TestInstancePlaceholderNode)
beforeAll(() =>
  registerNodeType(
    "TestInstancePlaceholderNode",
    TestInstancePlaceholderNode,
    nodePropsSchema.extend({
      intProperty: z.int().optional(),
      referenceProperty: nodePathProp().optional(),
    }),
  ),
);
afterAll(() => unregisterNodeType("TestInstancePlaceholderNode"));

beforeEach(() => {
  box = makeSceneSandbox();
  tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
});
afterEach(() => {
  tree.finalize();
  box.dispose();
});

/** TestUtils::get_temp_path(name) */
function tempPath(name: string): string {
  return path.join(box.project, name);
}

describe("[SceneTree][InstancePlaceholder] Instantiate from placeholder with no overrides", () => {
  it("with non-node values", () => {
    const ip = new InstancePlaceholder();
    ip.name = "TestScene";
    const root = new Node();
    tree.root.addChild(root);

    root.addChild(ip);
    // Create a scene to instance.
    const scene = new TestInstancePlaceholderNode();
    scene.name = "Scene"; // unnamed in Godot; a packed node needs a name (ERR_INVALID_NAME)
    scene.intProperty = 12;

    // Pack the scene. Godot: `err == OK`; scenetree's pack throws a PackError when it can't.
    const packedScene = PackedScene.pack(scene);

    // Instantiate the scene.
    const created = ip.createInstance(true, packedScene);
    expect(created).toBeInstanceOf(TestInstancePlaceholderNode);
    expect(created.name).toBe("TestScene");
    expect((created as TestInstancePlaceholderNode).intProperty).toBe(12);

    root.queueFree();
    scene.free();
  });

  it("with node value", () => {
    const ip = new InstancePlaceholder();
    ip.name = "TestScene";
    const root = new Node();
    tree.root.addChild(root);

    root.addChild(ip);
    // Create a scene to instance.
    const scene = new TestInstancePlaceholderNode();
    scene.name = "Scene"; // unnamed in Godot; a packed node needs a name (ERR_INVALID_NAME)
    const referenced = new Node();
    referenced.name = "Referenced"; // Godot's is @Node@N, which scene files reserve (ERR_INVALID_NAME)
    scene.addChild(referenced);
    referenced.owner = scene;
    scene.referenceProperty = referenced;
    // Pack the scene.
    const packedScene = PackedScene.pack(scene);

    // Instantiate the scene.
    const created = ip.createInstance(true, packedScene) as TestInstancePlaceholderNode;
    expect(created).toBeInstanceOf(TestInstancePlaceholderNode);
    expect(created.name).toBe("TestScene");
    expect(created.getChildCount()).toBe(1);
    expect(created.referenceProperty).toBe(created.getChild(0, false));
    expect(created.referenceProperty).not.toBe(referenced);

    root.queueFree();
    scene.free();
  });

  // SUBCASE "with node-array value": not translated (no typed arrays of nodes, see the top of the file).
});

describe("[SceneTree][InstancePlaceholder] Instantiate from placeholder with overrides", () => {
  it("with non-node values", () => {
    const ip = new InstancePlaceholder();
    const root = new Node();
    tree.root.addChild(root);

    root.addChild(ip);
    ip.name = "TestScene";
    ip.set("intProperty", 45);
    // Create a scene to pack.
    const scene = new TestInstancePlaceholderNode();
    scene.name = "Scene"; // unnamed in Godot; a packed node needs a name (ERR_INVALID_NAME)
    scene.intProperty = 12;

    // Pack the scene.
    const packedScene = PackedScene.pack(scene);

    // Instantiate the scene.
    const created = ip.createInstance(true, packedScene) as TestInstancePlaceholderNode;
    expect(created).toBeInstanceOf(TestInstancePlaceholderNode);
    expect(created.intProperty).toBe(45);

    root.queueFree();
    scene.free();
  });

  it("with node values", () => {
    const ip = new InstancePlaceholder();
    ip.name = "TestScene";
    const root = new Node();
    const overriding = new Node();
    tree.root.addChild(root);

    root.addChild(ip);
    root.addChild(overriding);
    ip.set("referenceProperty", overriding);
    // Create a scene to instance.
    const scene = new TestInstancePlaceholderNode();
    scene.name = "Scene"; // unnamed in Godot; a packed node needs a name (ERR_INVALID_NAME)
    const referenced = new Node();
    referenced.name = "Referenced"; // as above
    scene.addChild(referenced);
    referenced.owner = scene;
    scene.referenceProperty = referenced;
    // Pack the scene.
    const packedScene = PackedScene.pack(scene);

    // Instantiate the scene.
    const created = ip.createInstance(true, packedScene) as TestInstancePlaceholderNode;
    expect(created).toBeInstanceOf(TestInstancePlaceholderNode);
    expect(created.name).toBe("TestScene");
    expect(created.getChildCount()).toBe(1);
    expect(created.referenceProperty).toBe(overriding);
    expect(created.referenceProperty).not.toBe(referenced);

    root.queueFree();
    scene.free();
  });

  // SUBCASE "with node-array value": not translated (no typed arrays of nodes, see the top of the file).
});

// #ifdef TOOLS_ENABLED in Godot (for GEN_EDIT_STATE_MAIN_INHERITED, see the top of the file).
describe("[SceneTree][InstancePlaceholder] Instance a PackedScene containing an InstancePlaceholder with no overrides", () => {
  it("resolves a stored NodePath inside the new instance", async () => {
    // Create the internal scene.
    const internal = new TestInstancePlaceholderNode();
    internal.name = "InternalNode";
    const referenced = new Node();
    referenced.name = "OriginalReference";
    internal.addChild(referenced);
    referenced.owner = internal;
    internal.referenceProperty = referenced;

    // Pack the internal scene.
    const internalScene = PackedScene.pack(internal);

    const internalPath = tempPath("instance_placeholder_test_internal.scene.json");
    await saveScene(internalPath, internalScene);

    const internalSceneLoaded = await loadScene(internalPath);
    expect(internalSceneLoaded.file).toBe(internalPath); // Godot: err == OK (loadScene rejects otherwise)

    // Create the main scene.
    const root = new Node();
    root.name = "MainNode";
    const overriding = new Node();
    overriding.name = "OverridingReference";

    // Godot: internal_scene_loaded->instantiate(GEN_EDIT_STATE_MAIN_INHERITED), then
    // set_scene_instance_load_placeholder(true) on it: here, a placeholder for that file.
    const internalCreated = new InstancePlaceholder();
    internalCreated.name = "InternalNode";
    internalCreated.setInstancePath(internalPath);
    root.addChild(internalCreated);
    internalCreated.owner = root;

    root.addChild(overriding);
    overriding.owner = root;
    // Here we introduce an error, we override the property with an internal node to the instance placeholder.
    // The InstancePlaceholder is now forced to properly resolve the Node.
    internalCreated.set("referenceProperty", "OriginalReference"); // NodePath("OriginalReference")

    // Pack the main scene.
    const mainScene = PackedScene.pack(root);

    const mainPath = tempPath("instance_placeholder_test_main.scene.json");
    await saveScene(mainPath, mainScene);

    // Instantiate the scene.
    const mainSceneLoaded = await loadScene(mainPath);

    const instancedMainNode = mainSceneLoaded.instantiate();
    expect(instancedMainNode).toBeInstanceOf(Node);
    tree.root.addChild(instancedMainNode);
    expect(instancedMainNode.name).toBe("MainNode");
    expect(instancedMainNode.getChildCount()).toBe(2);
    const instancedPlaceholder = instancedMainNode.getChild(0, true) as InstancePlaceholder;
    expect(instancedPlaceholder).toBeInstanceOf(InstancePlaceholder);

    const finalNode = instancedPlaceholder.createInstance(true) as TestInstancePlaceholderNode;
    expect(finalNode).toBeInstanceOf(TestInstancePlaceholderNode);
    expect(finalNode.getChildCount()).toBe(1);
    expect(finalNode.referenceProperty).toBe(finalNode.getChild(0, true));

    instancedMainNode.queueFree();
    root.free(); // memdelete(overriding) and memdelete(root): overriding is root's child here
    internal.free();
    // DirAccess::remove_file_or_error: the sandbox is removed in afterEach.
  });
});

describe("[SceneTree][InstancePlaceholder] Instance a PackedScene containing an InstancePlaceholder with overrides", () => {
  it("resolves a stored node outside the new instance from the placeholder", async () => {
    // Create the internal scene.
    const internal = new TestInstancePlaceholderNode();
    internal.name = "InternalNode";
    const referenced = new Node();
    referenced.name = "OriginalReference";
    internal.addChild(referenced);
    referenced.owner = internal;
    internal.referenceProperty = referenced;

    const arrayRef1 = new Node();
    arrayRef1.name = "ArrayRef1";
    internal.addChild(arrayRef1);
    arrayRef1.owner = internal;
    const arrayRef2 = new Node();
    arrayRef2.name = "ArrayRef2";
    internal.addChild(arrayRef2);
    arrayRef2.owner = internal;
    // Not translated: referenced_array = [ArrayRef1, ArrayRef2] set as reference_array_property.

    // Pack the internal scene.
    const internalScene = PackedScene.pack(internal);

    const internalPath = tempPath("instance_placeholder_test_internal_override.scene.json");
    await saveScene(internalPath, internalScene);

    const internalSceneLoaded = await loadScene(internalPath);
    expect(internalSceneLoaded.file).toBe(internalPath); // Godot: err == OK (loadScene rejects otherwise)

    // Create the main scene.
    const root = new Node();
    root.name = "MainNode";
    const overriding = new Node();
    overriding.name = "OverridingReference";
    const arrayExt = new Node();
    arrayExt.name = "ExternalArrayMember";

    // Godot: the instanced internal scene flagged "load as placeholder" (see the case above).
    const internalCreated = new InstancePlaceholder();
    internalCreated.name = "InternalNode";
    internalCreated.setInstancePath(internalPath);
    root.addChild(internalCreated);
    internalCreated.owner = root;

    root.addChild(overriding);
    overriding.owner = root;
    root.addChild(arrayExt);
    arrayExt.owner = root;
    // Here we introduce an error, we override the property with an internal node to the instance placeholder.
    // The InstancePlaceholder is now forced to properly resolve the Node.
    internalCreated.set("referenceProperty", overriding); // set_reference_property(overriding)
    // Not translated: override_array = the internal array + ExternalArrayMember, set as
    // reference_array_property.

    // Pack the main scene. Godot writes a node value as a NodePath relative to the node
    // ("../OverridingReference"), which the loaded placeholder stores and resolves in create_instance.
    const mainScene = PackedScene.pack(root);

    const mainPath = tempPath("instance_placeholder_test_main_override.scene.json");
    await saveScene(mainPath, mainScene);

    // Instantiate the scene.
    const mainSceneLoaded = await loadScene(mainPath);

    const instancedMainNode = mainSceneLoaded.instantiate();
    expect(instancedMainNode).toBeInstanceOf(Node);
    tree.root.addChild(instancedMainNode);
    expect(instancedMainNode.name).toBe("MainNode");
    expect(instancedMainNode.getChildCount()).toBe(3);
    const instancedPlaceholder = instancedMainNode.getChild(0, true) as InstancePlaceholder;
    expect(instancedPlaceholder).toBeInstanceOf(InstancePlaceholder);

    const finalNode = instancedPlaceholder.createInstance(true) as TestInstancePlaceholderNode;
    expect(finalNode).toBeInstanceOf(TestInstancePlaceholderNode);
    expect(finalNode.getChildCount()).toBe(3);
    expect(finalNode.referenceProperty).toBe(instancedMainNode.getChild(1, true));
    // Not translated: final_array has 3 nodes, ExternalArrayMember (instanced_main_node's child 2),
    // and ArrayRef1, ArrayRef2 (final_node's children 1 and 2).

    instancedMainNode.queueFree();
    root.free(); // memdelete(array_ext), memdelete(overriding), memdelete(root)
    internal.free();
  });
});
