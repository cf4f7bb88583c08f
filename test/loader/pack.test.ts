import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  Callable,
  ConnectFlags,
  loadScene,
  Node,
  NodeTypeRegistry,
  PackedScene,
  PackError,
  InstancePlaceholder,
  parseScene,
  ProcessMode,
  registerBuiltinNodeTypes,
  registerNodeType,
  saveScene,
  sceneFileText,
  SceneError,
  Timer,
  unregisterNodeType,
} from "../../src";
import { dumpTree } from "../helpers/sceneDump";
import { PropsProbe, propsProbeSchema } from "../helpers/propsProbe";

/** Every kind of prop a scene file can hold, and a signal of its own. */
class Probe extends PropsProbe {}

/** Not registered: packing it is an error. */
class Stranger extends Node {}

beforeAll(() => {
  registerNodeType("Probe", Probe, propsProbeSchema);
});
afterAll(() => unregisterNodeType("Probe"));

let folder: string;
beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-pack-"));
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

function write(name: string, scene: unknown): string {
  const file = path.join(folder, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(scene));
  return file;
}

function named<T extends Node>(node: T, name: string, parent?: Node, owner?: Node | null): T {
  node.name = name;
  if (parent) parent.addChild(node);
  if (owner) node.owner = owner;
  return node;
}

/** The packed scene's file text, parsed. */
function written(packed: PackedScene): Record<string, unknown> {
  return JSON.parse(sceneFileText(packed)) as Record<string, unknown>;
}

const ENEMY = {
  format: 1,
  root: {
    name: "Enemy",
    type: "Probe",
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
  connections: [{ from: "Body/Gun", signal: "timeout", to: ".", method: "onHit", binds: ["gun"] }],
};

// Godot's tests/scene/test_packed_scene.cpp, case by case, then the rules of SceneState::pack one by one.
describe("PackedScene.pack", () => {
  test("Pack Scene and Retrieve State", () => {
    const scene = named(new Node(), "TestScene");
    const packedScene = PackedScene.pack(scene); // Godot: err == OK (pack throws otherwise)
    const state = packedScene.getState();
    expect(state.getNodeCount()).toBe(1);
    expect(state.getNodeName(0)).toBe("TestScene");
    scene.free();
  });

  test("Pack Scene and Retrieve State: one node", () => {
    const scene = named(new Node(), "TestScene");
    const packed = PackedScene.pack(scene);
    expect(packed.canInstantiate()).toBe(true);
    expect(written(packed)).toEqual({ format: 1, root: { name: "TestScene", type: "Node" } });
    const instance = packed.instantiate();
    expect(instance.name).toBe("TestScene");
    expect(instance).not.toBe(scene);
    scene.free();
    instance.free();
  });

  test("Can Instantiate Packed Scene", () => {
    const scene = named(new Node(), "TestScene");
    expect(PackedScene.pack(scene).canInstantiate()).toBe(true);
    scene.free();
  });

  test("Instantiate Packed Scene", () => {
    const scene = named(new Node(), "TestScene");
    const instance = PackedScene.pack(scene).instantiate();
    expect(instance).not.toBeNull();
    expect(instance.name).toBe("TestScene");
    scene.free();
    instance.free();
  });

  test("Instantiate Packed Scene With Children: owned children kept in order, the others left out", () => {
    const scene = named(new Node(), "TestScene");
    named(new Node(), "Child1", scene, scene);
    named(new Node(), "Child2", scene, scene);
    named(new Node(), "Child3", scene); // not owned: not persistent
    const instance = PackedScene.pack(scene).instantiate();
    expect(instance.getChildren().map((c) => c.name)).toEqual(["Child1", "Child2"]);
    expect(instance.getChildren().map((c) => c.owner)).toEqual([instance, instance]);
    scene.free();
    instance.free();
  });

  test("a node not owned by the root is left out with its whole subtree, owned descendants included", () => {
    const scene = named(new Node(), "Main");
    const loose = named(new Node(), "Loose", scene);
    named(new Node(), "Owned", loose, scene);
    const foreign = named(new Node(), "Foreign", scene, null);
    const other = named(new Node(), "OtherRoot");
    other.addChild(scene);
    foreign.owner = other; // owned, but by another node: not part of this scene
    const instance = PackedScene.pack(scene).instantiate();
    expect(instance.getChildCount()).toBe(0);
    other.free();
    instance.free();
  });

  test("Signals Preserved when Packing Scene with connections on reparented nodes", () => {
    const main = named(new Node(), "some_name");
    const sub = named(new Node(), "Sub", main, main);
    const sub2 = named(new Node(), "Sub2", main, main);
    sub.connect("ready", new Callable(sub2, "isNodeReady"), ConnectFlags.PERSIST);
    const packed = PackedScene.pack(main);
    expect(written(packed).connections).toEqual([
      { from: "Sub", signal: "ready", to: "Sub2", method: "isNodeReady" },
    ]);
    // The instance's nodes moved under a dangling root keep the connection, which packs again.
    const newRoot = packed.instantiate();
    const dangling = named(new Node(), "Dangling");
    for (const node of [newRoot.getChild(0)!, newRoot.getChild(1)!]) {
      node.owner = null;
      node.reparent(dangling);
      node.owner = dangling;
    }
    expect(written(PackedScene.pack(dangling)).connections).toHaveLength(1);
    for (const node of [main, newRoot, dangling]) node.free();
  });

  describe("Signals Preserved when Packing Scene (main scene with an instanced sub-scene)", () => {
    let main: Node;
    let subNode: Node;
    let subScene: Probe;
    let subSceneNode: Timer;
    beforeEach(async () => {
      const enemy = await loadScene(write("enemy.scene.json", ENEMY));
      main = named(new Node(), "Main");
      subNode = named(new Node(), "SubNode", main, main);
      subScene = named(enemy.instantiate<Probe>(), "SubScene", main, main);
      subSceneNode = subScene.getNode<Timer>("Body/Gun");
    });
    afterEach(() => main.free());

    test("Signals that should be saved", () => {
      const flags = ConnectFlags.PERSIST;
      subNode.connect("ready", new Callable(main, "isNodeReady"), flags); // sub node to the main scene
      subScene.connect("ready", new Callable(main, "isNodeReady"), flags); // sub-scene root to the main scene
      subScene.connect("ready", new Callable(subScene, "isNodeReady"), flags); // made within the main scene
      const packedScene = PackedScene.pack(main);
      // Make sure the right connections are in packed scene.
      expect(packedScene.getState().getConnectionCount()).toBe(3);
      const connections = written(packedScene).connections as unknown[];
      expect(connections).toEqual([
        { from: "SubNode", signal: "ready", to: ".", method: "isNodeReady" },
        { from: "SubScene", signal: "ready", to: ".", method: "isNodeReady" },
        { from: "SubScene", signal: "ready", to: "SubScene", method: "isNodeReady" },
      ]);
    });

    test("Signals that should not be saved: the sub-scene's own, and connections made in code", () => {
      // Gun.timeout → Enemy.onHit comes from enemy.scene.json: the instance makes it again.
      expect(subSceneNode.getSignalConnectionList("timeout")).toHaveLength(1);
      subNode.connect("ready", new Callable(main, "isNodeReady")); // no PERSIST: made by code
      subNode.connect("ready", () => undefined, ConnectFlags.PERSIST); // a function, not a method
      expect(written(PackedScene.pack(main)).connections).toBeUndefined();
    });
  });

  test("props are saved only when they differ from a fresh node of the class; enums by name", () => {
    const main = named(new Probe(), "Main");
    main.speed = 1; // the default: not saved
    main.label = "boss";
    main.tags = ["a", "b"];
    main.stats = { hp: 3 };
    main.processMode = ProcessMode.ALWAYS;
    const clock = named(new Timer(), "Clock", main, main);
    clock.oneShot = true;
    main.target = clock;
    const root = written(PackedScene.pack(main)).root as Record<string, unknown>;
    expect(root.props).toEqual({
      processMode: "ALWAYS",
      label: "boss",
      tags: ["a", "b"],
      stats: { hp: 3 },
      target: "Clock",
    });
    expect((root.children as unknown[])[0]).toEqual({
      name: "Clock",
      type: "Timer",
      props: { oneShot: true },
    });
    const copy = PackedScene.pack(main).instantiate<Probe>();
    expect([copy.label, copy.tags, copy.stats, copy.processMode]).toEqual([
      "boss",
      ["a", "b"],
      { hp: 3 },
      ProcessMode.ALWAYS,
    ]);
    expect(copy.target).toBe(copy.getNode("Clock"));
    main.free();
    copy.free();
  });

  test("groups: only persistent ones; unique names", () => {
    const main = named(new Node(), "Main");
    const a = named(new Node(), "A", main, main);
    a.addToGroup("saved", true);
    a.addToGroup("runtime");
    a.uniqueNameInOwner = true;
    const copy = PackedScene.pack(main).instantiate();
    expect(copy.getNode("%A").getGroups()).toEqual(["saved"]);
    expect(copy.getNode("%A").owner).toBe(copy);
    main.free();
    copy.free();
  });

  test("connections keep binds and flags (PERSIST implied), and run on the copy", () => {
    const main = named(new Probe(), "Main");
    const other = named(new Probe(), "Other", main, main);
    other.connect(
      "hit",
      new Callable(main, "onHit").bind("x", 2),
      ConnectFlags.PERSIST | ConnectFlags.ONE_SHOT,
    );
    const packed = PackedScene.pack(main);
    expect(written(packed).connections).toEqual([
      { from: "Other", signal: "hit", to: ".", method: "onHit", binds: ["x", 2], flags: ["ONE_SHOT"] },
    ]);
    const copy = packed.instantiate<Probe>();
    const [c] = copy.getNode("Other").getSignalConnectionList("hit");
    expect(c.flags).toBe(ConnectFlags.PERSIST | ConnectFlags.ONE_SHOT);
    copy.getNode<Probe>("Other").emitSignal("hit", 7);
    copy.getNode<Probe>("Other").emitSignal("hit", 8);
    expect(copy.hits).toEqual([[7, "x", 2]]); // one shot
    main.free();
    copy.free();
  });

  test("a connection to a node that is not saved is left out", () => {
    const main = named(new Node(), "Main");
    const a = named(new Node(), "A", main, main);
    const loose = named(new Node(), "Loose", main);
    a.connect("ready", new Callable(loose, "isNodeReady"), ConnectFlags.PERSIST);
    loose.connect("ready", new Callable(a, "isNodeReady"), ConnectFlags.PERSIST);
    expect(written(PackedScene.pack(main)).connections).toBeUndefined();
    main.free();
  });

  describe("instanced sub-scenes stay instances, with only their overrides", () => {
    test("nothing changed: only the name and the file", async () => {
      const enemy = await loadScene(write("parts/enemy.scene.json", ENEMY));
      const main = named(new Node(), "Main");
      named(enemy.instantiate(), "E1", main, main);
      const text = sceneFileText(PackedScene.pack(main), path.join(folder, "main.scene.json"));
      expect(JSON.parse(text).root.children).toEqual([{ name: "E1", instance: "./parts/enemy.scene.json" }]);
      main.free();
    });

    test("props, groups and unique flag that differ from the sub-scene's own; children the root owns", async () => {
      const enemy = await loadScene(write("parts/enemy.scene.json", ENEMY));
      const main = named(new Node(), "Main");
      const e1 = named(enemy.instantiate<Probe>(), "E1", main, main);
      e1.speed = 3; // the sub-scene's own value: not an override
      e1.label = "first";
      e1.addToGroup("foes", true); // already in it: not saved
      e1.addToGroup("wave1", true);
      e1.uniqueNameInOwner = true;
      named(new Timer(), "Extra", e1, main);
      named(new Node(), "Mine", e1.getNode("Body"), e1); // owned by the instance, but not in its scene
      const entry = (written(PackedScene.pack(main)).root as { children: unknown[] }).children[0];
      expect(entry).toEqual({
        name: "E1",
        instance: path.join(folder, "parts", "enemy.scene.json"),
        props: { label: "first" },
        groups: ["wave1"],
        uniqueNameInOwner: true,
        children: [{ name: "Extra", type: "Timer" }],
      });
      const copy = PackedScene.pack(main).instantiate();
      expect(copy.getNode("%E1").getNode("Extra").owner).toBe(copy);
      expect(copy.getNode("E1/Body/Gun").owner).toBe(copy.getNode("E1"));
      expect(copy.getNode("E1").sceneFilePath).toBe(path.join(folder, "parts", "enemy.scene.json"));
      main.free();
      copy.free();
    });

    test("an instance of a packed scene never saved has no file: saved as a plain node, as in Godot", () => {
      const part = named(new Node(), "Part");
      named(new Node(), "Inner", part, part);
      const packed = PackedScene.pack(part);
      const main = named(new Node(), "Main");
      const instance = named(packed.instantiate(), "P", main, main);
      expect(instance.sceneFilePath).toBe("");
      expect((written(PackedScene.pack(main)).root as { children: unknown[] }).children).toEqual([
        { name: "P", type: "Node" }, // Inner is owned by P, not by Main
      ]);
      part.free();
      main.free();
    });

    test("a node prop pointing into an instance is written as a path through it", async () => {
      const enemy = await loadScene(write("enemy.scene.json", ENEMY));
      const main = named(new Probe(), "Main");
      const e1 = named(enemy.instantiate(), "E1", main, main);
      main.target = e1.getNode("Body/Gun");
      expect((written(PackedScene.pack(main)).root as { props: unknown }).props).toEqual({
        target: "E1/Body/Gun",
      });
      main.free();
    });
  });

  describe("changes inside an instance: editable entries", () => {
    const SQUAD = {
      format: 1,
      root: {
        name: "Squad",
        type: "Node",
        children: [{ name: "Lead", instance: "./enemy.scene.json" }],
      },
    };

    test("props and groups of its nodes, children under them; keys cross nested instances", async () => {
      write("enemy.scene.json", ENEMY);
      const squad = await loadScene(write("squad.scene.json", SQUAD));
      const main = named(new Node(), "Main");
      const s1 = named(squad.instantiate(), "S1", main, main);
      const gun = s1.getNode<Timer>("Lead/Body/Gun");
      gun.waitTime = 5;
      gun.addToGroup("armed", true);
      gun.addToGroup("runtime");
      named(new Node(), "Scope", gun, main);
      named(new Node(), "Loose", s1.getNode("Lead/Body")); // nobody's: left out
      s1.getNode<Probe>("Lead").label = "boss";
      const packed = PackedScene.pack(main);
      const entry = (written(packed).root as { children: unknown[] }).children[0];
      expect(entry).toEqual({
        name: "S1",
        instance: path.join(folder, "squad.scene.json"),
        editable: {
          Lead: { props: { label: "boss" } },
          "Lead/Body/Gun": {
            props: { waitTime: 5 },
            groups: ["armed"],
            children: [{ name: "Scope", type: "Node" }],
          },
        },
      });
      const copy = packed.instantiate();
      expect(copy.getNode("S1/Lead/Body/Gun/Scope").owner).toBe(copy); // added by the outer scene
      expect(copy.getNode("S1/Lead/Body/Gun").owner).toBe(copy.getNode("S1/Lead")); // the instance's own
      expect(copy.getNode<Timer>("S1/Lead/Body/Gun").waitTime).toBe(5);
      main.getNode("S1/Lead/Body/Loose").free();
      gun.removeFromGroup("runtime");
      expect(dumpTree(copy)).toEqual(dumpTree(main));
      main.free();
      copy.free();
    });

    test("a persistent connection from inside makes the instance editable even with nothing else changed", async () => {
      const enemy = await loadScene(write("enemy.scene.json", ENEMY));
      const main = named(new Probe(), "Main");
      const e1 = named(enemy.instantiate(), "E1", main, main);
      e1.getNode("Body/Gun").connect("timeout" as never, new Callable(main, "onHit"), ConnectFlags.PERSIST);
      const packed = PackedScene.pack(main);
      const doc = written(packed) as {
        root: { children: Array<{ editable?: unknown }> };
        connections: unknown;
      };
      expect(doc.root.children[0].editable).toEqual({});
      expect(doc.connections).toEqual([{ from: "E1/Body/Gun", signal: "timeout", to: ".", method: "onHit" }]);
      const copy = packed.instantiate();
      expect(dumpTree(copy)).toEqual(dumpTree(main));
      main.free();
      copy.free();
    });
  });

  test("an InstancePlaceholder stays a placeholder entry with its stored values", async () => {
    write("enemy.scene.json", ENEMY);
    const loaded = await loadScene(
      write("level.scene.json", {
        format: 1,
        root: {
          name: "Level",
          type: "Node",
          children: [
            {
              name: "Later",
              instance: "./enemy.scene.json",
              placeholder: true,
              props: { speed: 9 },
              groups: ["lazy"],
            },
          ],
        },
      }),
    );
    const level = loaded.instantiate();
    const packed = PackedScene.pack(level);
    expect((written(packed).root as { children: unknown[] }).children[0]).toEqual({
      name: "Later",
      instance: path.join(folder, "enemy.scene.json"),
      placeholder: true,
      props: { speed: 9 },
      groups: ["lazy"],
    });
    const file = path.join(folder, "copy", "level.scene.json");
    fs.mkdirSync(path.dirname(file));
    await saveScene(file, packed);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).root.children[0].instance).toBe("../enemy.scene.json");
    const again = (await loadScene(file)).instantiate();
    expect(dumpTree(again)).toEqual(dumpTree(level));
    level.free();
    again.free();
  });

  describe("misuse", () => {
    test("a node of an unregistered class is ERR_UNKNOWN_TYPE naming its path", () => {
      const main = named(new Node(), "Main");
      named(new Stranger(), "Odd", named(new Node(), "Mid", main, main), main);
      expect(() => PackedScene.pack(main)).toThrow(
        expect.objectContaining({ name: "PackError", code: "ERR_UNKNOWN_TYPE", nodePath: "Main/Mid/Odd" }),
      );
      main.free();
    });

    test("{ registry }: types are looked up there, so a class only the default registry has is unknown", () => {
      const registry = new NodeTypeRegistry();
      registerBuiltinNodeTypes(registry);
      const main = named(new Node(), "Main");
      named(new Timer(), "Clock", main, main);
      const packed = PackedScene.pack(main, { registry });
      expect(JSON.parse(sceneFileText(packed)).root.children[0]).toMatchObject({
        name: "Clock",
        type: "Timer",
      });
      named(new Probe(), "Probe", main, main);
      expect(() => PackedScene.pack(main)).not.toThrow();
      expect(() => PackedScene.pack(main, { registry })).toThrow(
        expect.objectContaining({ name: "PackError", code: "ERR_UNKNOWN_TYPE", nodePath: "Main/Probe" }),
      );
      main.free();
    });

    test("a prop JSON can't hold is ERR_INVALID_VALUE naming the node and the prop", () => {
      const main = named(new Probe(), "Main");
      main.speed = Number.NaN;
      const error = catchError(() => PackedScene.pack(main));
      expect(error).toBeInstanceOf(PackError);
      expect(error).toMatchObject({ code: "ERR_INVALID_VALUE", nodePath: "Main", prop: "speed" });
      main.speed = 1;
      main.stats = new Map() as unknown as Record<string, number>;
      expect(catchError(() => PackedScene.pack(main))).toMatchObject({
        code: "ERR_INVALID_VALUE",
        prop: "stats",
      });
      main.free();
    });

    test("a value the prop's schema refuses is ERR_INVALID_VALUE (it would not load)", () => {
      const main = named(new Timer(), "Main");
      (main as unknown as { autostart: unknown }).autostart = "yes";
      expect(catchError(() => PackedScene.pack(main))).toMatchObject({
        code: "ERR_INVALID_VALUE",
        prop: "autostart",
      });
      main.free();
    });

    test("a node prop pointing at a node left out is ERR_BAD_NODE_PATH", () => {
      const main = named(new Probe(), "Main");
      main.target = named(new Node(), "Loose", main);
      expect(catchError(() => PackedScene.pack(main))).toMatchObject({
        code: "ERR_BAD_NODE_PATH",
        nodePath: "Main",
        prop: "target",
      });
      main.free();
    });

    test("a placeholder storing a node is saved as its path; a node left out or of another tree is ERR_BAD_NODE_PATH", () => {
      const main = named(new Node(), "Main");
      const later = named(new InstancePlaceholder(), "Later", main, main);
      later.setInstancePath(path.join(folder, "enemy.scene.json"));
      later.set("target", named(new Node(), "Kept", main, main));
      expect((written(PackedScene.pack(main)).root as { children: unknown[] }).children[0]).toMatchObject({
        props: { target: "../Kept" },
      });
      later.set("target", named(new Node(), "Loose", main));
      expect(catchError(() => PackedScene.pack(main))).toMatchObject({
        code: "ERR_BAD_NODE_PATH",
        nodePath: "Main/Later",
        prop: "target",
      });
      const elsewhere = new Node();
      later.set("target", elsewhere);
      expect(catchError(() => PackedScene.pack(main))).toMatchObject({
        code: "ERR_BAD_NODE_PATH",
        nodePath: "Main/Later",
        prop: "target",
      });
      elsewhere.free();
      main.free();
    });

    test("names scene files can't hold, binds JSON can't hold, unbinds: coded errors", () => {
      const main = named(new Node(), "Main");
      const child = new Node();
      main.addChild(child); // an automatic @Node@ name
      child.owner = main;
      expect(catchError(() => PackedScene.pack(main))).toMatchObject({ code: "ERR_INVALID_NAME" });
      child.name = "Child";
      const connect = (callable: Callable) => child.connect("ready", callable, ConnectFlags.PERSIST);
      const disconnect = connect(new Callable(main, "isNodeReady").bind(new Date()));
      expect(catchError(() => PackedScene.pack(main))).toMatchObject({
        code: "ERR_INVALID_VALUE",
        nodePath: "Main/Child",
      });
      disconnect();
      connect(new Callable(main, "isNodeReady").unbind(1));
      expect(catchError(() => PackedScene.pack(main))).toMatchObject({ code: "ERR_BAD_CONNECTION" });
      main.free();
    });

    test("a freed node is ERR_INVALID_ARGUMENT", () => {
      const node = named(new Node(), "Gone");
      node.free();
      expect(catchError(() => PackedScene.pack(node))).toMatchObject({
        code: "ERR_INVALID_ARGUMENT",
        message: "PackedScene.pack needs a node that was not freed.",
      });
    });

    test("what is not a node at all is ERR_INVALID_ARGUMENT, said so", () => {
      const packed = parseScene('{ "format": 1, "root": { "name": "A", "type": "Node" } }');
      for (const [value, got] of [
        [{}, "an object"],
        [null, "null"],
        ["Main", "a string"],
        [packed, "a PackedScene"],
      ] as const) {
        expect(catchError(() => PackedScene.pack(value as never))).toMatchObject({
          name: "PackError",
          code: "ERR_INVALID_ARGUMENT",
          message: `PackedScene.pack needs a Node, got ${got}.`,
        });
      }
    });

    test("what the loader would refuse anyway comes back as its SceneError", () => {
      const main = named(new Node(), "Main");
      main.addUserSignal("custom");
      main.connect("custom" as never, new Callable(main, "isNodeReady"), ConnectFlags.PERSIST);
      const error = catchError(() => PackedScene.pack(main));
      expect(error).toBeInstanceOf(SceneError);
      expect(error).toMatchObject({ code: "ERR_BAD_CONNECTION", path: "connections[0].signal" });
      main.free();
    });

    test("a persistent connection with a flag bit no ConnectFlags member has: the loader's ERR_INVALID_VALUE", () => {
      const main = named(new Node(), "Main");
      const child = named(new Node(), "Child", main, main);
      child.connect("ready", new Callable(main, "isNodeReady"), ConnectFlags.PERSIST | 64);
      const error = catchError(() => PackedScene.pack(main));
      expect(error).toBeInstanceOf(SceneError);
      expect(error).toMatchObject({ code: "ERR_INVALID_VALUE", path: "connections[0].flags" });
      expect((error as SceneError).problems[0].message).toBe(
        '"flags" can\'t be 64: it has bits no ConnectFlags member has (64).',
      );
      main.free();
    });
  });
});

// Godot's tests/scene/test_node.h, "Exported node checks", the two TOOLS_ENABLED subcases that pack.
describe("Exported node checks (test_node.h)", () => {
  async function savedScene(): Promise<PackedScene> {
    const node = named(new Probe(), "TestNode");
    const child = named(new Node(), "Child", node, node);
    named(new Node(), "Child2", node, node);
    node.target = child; // exported_node
    const file = path.join(folder, "test_scene.scene.json");
    await saveScene(file, PackedScene.pack(node));
    node.free();
    return loadScene(file);
  }

  test("Saving instance with exported nodes should not store the unchanged property", async () => {
    const root = named(new Node(), "Root");
    named((await savedScene()).instantiate(), "TestNode", root, root);
    const text = sceneFileText(PackedScene.pack(root));
    expect(text).not.toContain('"target"');
    root.free();
  });

  test("Saving instance with exported nodes should store property if changed", async () => {
    const root = named(new Node(), "Root");
    const sub = named((await savedScene()).instantiate<Probe>(), "TestNode", root, root);
    sub.target = sub.getChild(1);
    const entry = (written(PackedScene.pack(root)).root as { children: Array<{ props?: unknown }> })
      .children[0];
    expect(entry.props).toEqual({ target: "Child2" });
    root.free();
  });
});

describe("saveScene / sceneFileText", () => {
  test("writes the README's format: 2-space JSON, key order, short arrays on one line", () => {
    const main = named(new Probe(), "Main");
    main.addToGroup("bots", true);
    const clock = named(new Timer(), "Clock", main, main);
    clock.waitTime = 0.5;
    clock.autostart = true;
    clock.uniqueNameInOwner = true;
    clock.connect(
      "timeout",
      new Callable(main, "onHit").bind("clock"),
      ConnectFlags.PERSIST | ConnectFlags.DEFERRED,
    );
    expect(sceneFileText(PackedScene.pack(main))).toBe(
      [
        "{",
        '  "format": 1,',
        '  "root": {',
        '    "name": "Main",',
        '    "type": "Probe",',
        '    "groups": ["bots"],',
        '    "children": [',
        "      {",
        '        "name": "Clock",',
        '        "type": "Timer",',
        '        "props": {',
        '          "waitTime": 0.5,',
        '          "autostart": true',
        "        },",
        '        "uniqueNameInOwner": true',
        "      }",
        "    ]",
        "  },",
        '  "connections": [',
        "    {",
        '      "from": "Clock",',
        '      "signal": "timeout",',
        '      "to": ".",',
        '      "method": "onHit",',
        '      "binds": ["clock"],',
        '      "flags": ["DEFERRED"]',
        "    }",
        "  ]",
        "}",
        "",
      ].join("\n"),
    );
    main.free();
  });

  test("instance and script paths are written relative to the saved file's folder", async () => {
    const enemy = await loadScene(write("parts/enemy.scene.json", ENEMY));
    const main = named(new Node(), "Main");
    named(enemy.instantiate(), "E1", main, main);
    const packed = PackedScene.pack(main);
    const file = path.join(folder, "out", "deep", "main.scene.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await saveScene(file, packed);
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(saved.root.children[0].instance).toBe("../../parts/enemy.scene.json");
    expect(fs.readdirSync(path.dirname(file))).toEqual(["main.scene.json"]); // no temporary left
    const again = (await loadScene(file)).instantiate();
    expect(dumpTree(again)).toEqual(dumpTree(main));
    main.free();
    again.free();
  });

  test("a loaded scene saved elsewhere keeps its sub-scenes found", async () => {
    write("parts/enemy.scene.json", ENEMY);
    const loaded = await loadScene(
      write("main.scene.json", {
        format: 1,
        root: { name: "Main", type: "Node", children: [{ name: "E", instance: "./parts/enemy.scene.json" }] },
      }),
    );
    const file = path.join(folder, "copies", "main.scene.json");
    fs.mkdirSync(path.dirname(file));
    await saveScene(file, loaded);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).root.children[0].instance).toBe(
      "../parts/enemy.scene.json",
    );
    const [a, b] = [loaded.instantiate(), (await loadScene(file)).instantiate()];
    expect(dumpTree(b)).toEqual(dumpTree(a));
    a.free();
    b.free();
  });

  test("the scripts of the root's own scene come along, relative to the new file", async () => {
    const script = path.join(folder, "types.js");
    fs.writeFileSync(script, "");
    const loaded = await loadScene(
      write("main.scene.json", { format: 1, scripts: ["./types.js"], root: { name: "Main", type: "Node" } }),
      { allowScriptsOutsideProject: true },
    );
    const root = loaded.instantiate();
    const packed = PackedScene.pack(root);
    expect(written(packed).scripts).toEqual([fs.realpathSync(script)]);
    const file = path.join(fs.realpathSync(folder), "sub", "again.scene.json");
    expect(JSON.parse(sceneFileText(packed, file)).scripts).toEqual(["../types.js"]);
    root.free();
  });

  test("misuse: a path that is not a .json file, or not a PackedScene", async () => {
    const packed = parseScene('{ "format": 1, "root": { "name": "A", "type": "Node" } }');
    await expect(saveScene(path.join(folder, "a.tscn"), packed)).rejects.toMatchObject({
      code: "ERR_INVALID_ARGUMENT",
      message: `saveScene writes JSON scene files: give a path ending in .json (such as main.scene.json), not ${JSON.stringify(path.join(folder, "a.tscn"))}.`,
    });
    await expect(saveScene(path.join(folder, "a.json"), {} as PackedScene)).rejects.toMatchObject({
      code: "ERR_INVALID_ARGUMENT",
      message:
        "saveScene needs a PackedScene (from PackedScene.pack(node) or loadScene(file)), got an object.",
    });
    const node = new Node("A");
    await expect(saveScene(path.join(folder, "a.json"), node as never)).rejects.toMatchObject({
      message: "saveScene needs a PackedScene (from PackedScene.pack(node) or loadScene(file)), got a Node.",
    });
    node.free();
    expect(() => sceneFileText(null as never)).toThrow(
      "sceneFileText needs a PackedScene (from PackedScene.pack(node) or loadScene(file)), got null.",
    );
    await saveScene(path.join(folder, "plain.json"), packed); // any .json path is accepted
    expect(fs.readdirSync(folder)).toEqual(["plain.json"]);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("Expected an error.");
}
