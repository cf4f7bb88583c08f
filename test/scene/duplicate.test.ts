import * as path from "node:path";
import { z } from "zod";
import { SceneTree } from "../../src/scene/SceneTree";
import { DuplicateFlags, Node, ProcessMode } from "../../src/scene/Node";
import { Callable } from "../../src/scene/Callable";
import { ConnectFlags } from "../../src/scene/GodotObject";
import { signal } from "../../src/core/signals/SignalSet";
import { Timer } from "../../src/nodes/Timer";
import { loadScene, PackedScene, parseScene } from "../../src";
import { nodePropsSchema } from "../../src/nodes/nodeProps";
import { nodePathProp } from "../../src/nodes/propSchemas";
import { registerNodeType, unregisterNodeType } from "../../src/loader/registry";
import { timerPropsSchema } from "../../src/nodes/Timer.props";
import { Log, RecordingNode } from "../helpers/recording";
import type { Pointer } from "../fixtures/scenes/fixtureTypes";

const FIXTURES = path.join(__dirname, "..", "fixtures", "scenes");

/** A scripted node with exported props (registered) and a field that is not exported. */
class Mover extends Node {
  speed = 1;
  path: number[] = [];
  meta: { a: { b: number } } = { a: { b: 1 } };
  target: Node | null = null;
  targets: Node[] = [];
  scratch = 0;
  hits: unknown[][] = [];
  hit(...args: unknown[]): void {
    this.hits.push(args);
  }
}

/** A script with a signal of its own. */
class Scorer extends Mover {
  static override readonly signals = Mover.signals.extend({ scored: signal<[points: number]>("points") });
}

class SlowTimer extends Timer {
  extra = 1;
}

const NO_INSTANTIATION = DuplicateFlags.DEFAULT & ~DuplicateFlags.USE_INSTANTIATION;

beforeAll(() => {
  registerNodeType(
    "Mover",
    Mover,
    nodePropsSchema.extend({
      speed: z.number().optional(),
      path: z.array(z.number()).optional(),
      meta: z.object({ a: z.object({ b: z.number() }) }).optional(),
      target: nodePathProp().optional(),
      targets: z.array(z.string()).optional(),
    }),
  );
  registerNodeType("SlowTimer", SlowTimer, timerPropsSchema.extend({ extra: z.number().optional() }));
});

afterAll(() => {
  unregisterNodeType("Mover");
  unregisterNodeType("SlowTimer");
});

describe("Node#duplicate", () => {
  let tree: SceneTree;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
  });

  afterEach(() => tree.finalize());

  describe("props", () => {
    it("copies the class's registered props deeply, and leaves other fields at their defaults", () => {
      const mover = new Mover("M");
      mover.speed = 5;
      mover.path = [1, 2];
      mover.meta = { a: { b: 2 } };
      mover.scratch = 9; // not exported: Godot copies storage properties only
      mover.processMode = ProcessMode.ALWAYS;
      mover.processPriority = 3;
      mover.uniqueNameInOwner = true;
      const copy = mover.duplicate();
      expect(copy).toBeInstanceOf(Mover);
      expect([copy.speed, copy.path, copy.meta, copy.scratch]).toEqual([5, [1, 2], { a: { b: 2 } }, 0]);
      expect(copy.path).not.toBe(mover.path);
      expect(copy.meta.a).not.toBe(mover.meta.a);
      expect([copy.processMode, copy.processPriority, copy.uniqueNameInOwner]).toEqual([
        ProcessMode.ALWAYS,
        3,
        true,
      ]);
    });

    it("INTERNAL_STATE also copies the fields that are not stored, and owners inside the copied branch", () => {
      // Godot 4.5's DUPLICATE_INTERNAL_STATE (16): _duplicate_properties skips a property without
      // PROPERTY_USAGE_STORAGE only `if (!(p_flags & DUPLICATE_INTERNAL_STATE))`. Node's `owner` is
      // such a property: a node value inside the branch is set to its copy; one outside can't be set
      // (set_owner refuses an owner that is not an ancestor), so the copy has none.
      const outer = new Node("Outer");
      const mover = new Mover("M");
      const child = new Node("Child");
      const stranger = new Node("Stranger");
      outer.addChild(mover);
      mover.addChild(child);
      mover.addChild(stranger);
      mover.owner = outer;
      child.owner = mover;
      stranger.owner = outer;
      mover.scratch = 9;
      mover.hits = [[child]];
      expect(DuplicateFlags.INTERNAL_STATE).toBe(16);
      expect(mover.duplicate().scratch).toBe(0); // DEFAULT (15) leaves it out

      const copy = mover.duplicate(DuplicateFlags.DEFAULT | DuplicateFlags.INTERNAL_STATE);
      expect(copy.scratch).toBe(9);
      expect(copy.hits).not.toBe(mover.hits);
      expect(copy.hits[0]).not.toBe(mover.hits[0]); // copied deeply; a node inside is shared
      expect(copy.hits[0][0]).toBe(child);
      const [copyChild, copyStranger] = copy.getChildren();
      expect(copy.owner).toBeNull();
      expect(copyChild.owner).toBe(copy);
      expect(copyStranger.owner).toBeNull();
      expect(mover.duplicate().getChild(0)!.owner).toBeNull();
      const engineOnly = mover.duplicate(DuplicateFlags.INTERNAL_STATE);
      expect("scratch" in engineOnly).toBe(false); // a plain Node gets no script fields
      outer.free();
    });

    it("points node props inside the copied subtree at the copies, and outside at the same node", () => {
      const parent = new Node("P");
      const outside = new Node("Outside");
      const mover = new Mover("M");
      const child = new Node("Child");
      parent.addChild(outside);
      parent.addChild(mover);
      mover.addChild(child);
      mover.target = child;
      mover.targets = [child, outside, mover];
      const copy = mover.duplicate();
      expect(copy.target).toBe(copy.getChild(0));
      expect(copy.targets).toEqual([copy.getChild(0), outside, copy]);
      mover.target = outside;
      expect(mover.duplicate().target).toBe(outside);
    });

    it("copies an engine class's props by its registered schema (a Timer's)", () => {
      const timer = new Timer("T");
      timer.waitTime = 2.5;
      timer.oneShot = true;
      const copy = timer.duplicate();
      expect([copy.waitTime, copy.oneShot]).toEqual([2.5, true]);
    });
  });

  describe("flags", () => {
    it("GROUPS copies the groups; without it the copy is in none", () => {
      const node = new Node("N");
      node.addToGroup("a");
      node.addToGroup("b", true);
      expect(node.duplicate().getGroups()).toEqual(["a", "b"]);
      expect(node.duplicate(DuplicateFlags.SCRIPTS).getGroups()).toEqual([]);
    });

    it("SCRIPTS keeps the class; without it each copy is of the nearest engine class", () => {
      const mover = new Mover("M");
      const slow = new SlowTimer("S");
      slow.waitTime = 4;
      mover.addChild(slow);
      const copy = mover.duplicate(DuplicateFlags.GROUPS);
      expect(copy.constructor).toBe(Node);
      expect("speed" in copy).toBe(false); // the script's props are not put on a plain Node
      const timer = copy.getChild(0)!;
      expect(timer.constructor).toBe(Timer);
      expect((timer as Timer).waitTime).toBe(4);
      expect(mover.duplicate().getChild(0)).toBeInstanceOf(SlowTimer);
    });

    it("SIGNALS copies persistent connections, retargeted inside the copy, with their binds", () => {
      const root = new Mover("Root");
      const emitter = new Node("Emitter");
      const outside = new Mover("Outside");
      const holder = new Node("Holder");
      holder.addChild(root);
      holder.addChild(outside);
      root.addChild(emitter);
      emitter.connect("renamed", new Callable(root, "hit").bind("inside"), ConnectFlags.PERSIST);
      emitter.connect("renamed", new Callable(outside, "hit").bind("outside"), ConnectFlags.PERSIST);
      emitter.connect("renamed", new Callable(root, "hit").bind("code")); // not PERSIST: not copied
      emitter.connect("renamed", () => root.hit("function"), ConnectFlags.PERSIST); // no target: not copied

      const copy = root.duplicate();
      const copiedEmitter = copy.getNode("Emitter");
      tree.root.addChild(copy);
      copiedEmitter.name = "Renamed";
      expect(copy.hits).toEqual([["inside"]]);
      expect(outside.hits).toEqual([["outside"]]);
      expect(root.hits).toEqual([]);
      expect(copiedEmitter.isConnected("renamed", new Callable(copy, "hit").bind("inside") as never)).toBe(
        true,
      );

      const unconnected = root.duplicate(DuplicateFlags.GROUPS | DuplicateFlags.SCRIPTS);
      expect(unconnected.getNode("Emitter").listenerCount("renamed")).toBe(0);
      unconnected.free();
    });
  });

  describe("connections on signals the copy lacks", () => {
    it("without SCRIPTS, a connection on a script's own or a user signal is left out and the rest copied", () => {
      // Godot's _duplicate_signals calls copy->connect(), which fails on a signal the copy's class
      // lacks ("Attempt to connect nonexistent signal"), and goes on with the next connection.
      const root = new Scorer("Root");
      const emitter = new Scorer("Emitter");
      root.addChild(emitter);
      emitter.addUserSignal("poked");
      // Mover types its signals as Node's; the class declares `scored` at run time.
      emitter.connect(
        "scored" as never,
        new Callable(root, "hit").bind("scored") as never,
        ConnectFlags.PERSIST,
      );
      emitter.connect(
        "poked" as never,
        new Callable(root, "hit").bind("poked") as never,
        ConnectFlags.PERSIST,
      );
      emitter.connect("renamed", new Callable(root, "hit").bind("renamed"), ConnectFlags.PERSIST);

      const copy = root.duplicate(DuplicateFlags.DEFAULT & ~DuplicateFlags.SCRIPTS);
      const copiedEmitter = copy.getNode("Emitter");
      expect(copiedEmitter.constructor).toBe(Node);
      expect(copiedEmitter.getSignalConnectionList("renamed")).toHaveLength(1);
      expect(copiedEmitter.hasSignal("poked")).toBe(false); // user signals are not copied, as in Godot
      copy.free();

      const scripted = root.duplicate();
      expect(scripted.getNode("Emitter").getSignalConnectionList("scored")).toHaveLength(1);
      scripted.free();
    });
  });

  describe("connections with unbinds", () => {
    it("SIGNALS keeps a callable's unbinds and binds in their order, as Godot re-applies both", () => {
      const root = new Mover("Root");
      const emitter = new Node("Emitter");
      root.addChild(emitter);
      emitter.connect("childEnteredTree", new Callable(root, "hit").unbind(1), ConnectFlags.PERSIST);
      emitter.connect(
        "childEnteredTree",
        new Callable(root, "hit").unbind(1).bind("b"),
        ConnectFlags.PERSIST,
      );
      emitter.connect(
        "childEnteredTree",
        new Callable(root, "hit").bind("c").unbind(1),
        ConnectFlags.PERSIST,
      );

      const copy = root.duplicate();
      tree.root.addChild(root);
      tree.root.addChild(copy);
      const child = new Node("Child");
      const copyChild = new Node("Child");
      emitter.addChild(child);
      copy.getNode("Emitter").addChild(copyChild);
      // bind(b) then unbind(1) from the outside in: [child] → [child, b] → [child].
      expect(root.hits).toEqual([[], [child], ["c"]]);
      expect(copy.hits).toEqual([[], [copyChild], ["c"]]);
      expect(copy.hits[1][0]).toBe(copyChild);
    });
  });

  describe("owners and unique names", () => {
    it("leaves the copies of a tree built in code without owners, as Godot (owner is not a stored property)", () => {
      const main = new Node("Main");
      const a = new Node("A");
      main.addChild(a);
      a.owner = main;
      a.uniqueNameInOwner = true;
      const copy = main.duplicate();
      const copyA = copy.getNode("A");
      expect(copyA.owner).toBeNull();
      expect(copyA.uniqueNameInOwner).toBe(true);
      expect(copy.getNodeOrNull("%A")).toBeNull();
    });
  });

  describe("scene instances (USE_INSTANTIATION)", () => {
    const sceneText = JSON.stringify({
      format: 1,
      root: {
        name: "Main",
        type: "Mover",
        children: [
          { name: "T", type: "Timer", uniqueNameInOwner: true, props: { waitTime: 2 } },
          { name: "Last", type: "Node" },
        ],
      },
      connections: [{ from: "T", signal: "timeout", to: ".", method: "hit" }],
    });

    function instance(): Mover {
      const root = parseScene(sceneText, { file: "main.scene.json" }).instantiate<Mover>();
      root.getNode<Timer>("T").waitTime = 7; // changed after instancing: the copy keeps the change
      root.addChild(new Node("Extra")); // added by code: not part of the scene
      root.moveChild(root.getNode("Extra"), 1);
      root.getNode("T").addChild(new Node("Hidden")); // below a scene node: one of Godot's hidden roots
      return root;
    }

    it("instances the scene again: owners and %unique names work in the copy, connections once", () => {
      const original = instance();
      expect(original.sceneFilePath).toBe("main.scene.json");
      const copy = original.duplicate();
      expect(copy.sceneFilePath).toBe("main.scene.json");
      expect(copy.getChildren().map((c) => c.name)).toEqual(["T", "Extra", "Last"]);
      const t = copy.getNode<Timer>("%T");
      expect(t).toBe(copy.getNode("T"));
      expect([t.owner, copy.getNode("Last").owner, copy.getNode("Extra").owner]).toEqual([copy, copy, null]);
      expect(t.waitTime).toBe(7);
      expect(t.getNode("Hidden").owner).toBeNull();
      expect(t.listenerCount("timeout")).toBe(1);
      t.emitSignal("timeout");
      expect(copy.hits).toEqual([[]]);
      expect(original.hits).toEqual([]);
    });

    it("without USE_INSTANTIATION copies node by node: no owners, the connection copied as PERSIST", () => {
      const original = instance();
      const copy = original.duplicate(NO_INSTANTIATION);
      expect(copy.sceneFilePath).toBe("main.scene.json"); // Godot keeps scene_file_path either way
      expect(copy.getChildren().map((c) => c.name)).toEqual(["T", "Extra", "Last"]);
      const t = copy.getNode<Timer>("T");
      expect([t.owner, t.waitTime]).toEqual([null, 7]);
      expect(t.listenerCount("timeout")).toBe(1);
      t.emitSignal("timeout");
      expect(copy.hits).toEqual([[]]);
    });

    it("an instance of a scene with no file (packed, never saved) is copied node by node, as Godot", () => {
      // Godot: `if ((p_flags & DUPLICATE_USE_INSTANTIATION) && is_instance())`, and is_instance() is
      // `!data.scene_file_path.is_empty()`: there is no file to load the scene again from.
      const main = new Node("Main");
      const child = new Node("Child");
      main.addChild(child);
      child.owner = main;
      const original = PackedScene.pack(main).instantiate();
      main.free();
      expect([original.sceneFilePath, original.getNode("Child").owner]).toEqual(["", original]);
      const copy = original.duplicate();
      expect(copy.sceneFilePath).toBe("");
      expect(copy.getNode("Child").owner).toBeNull();
      original.free();
      copy.free();
    });

    it("instances sub-scenes again inside an instanced scene, their nodes owned by their own root", async () => {
      const scene = await loadScene(path.join(FIXTURES, "with-sub.scene.json"));
      const original = scene.instantiate<Pointer>();
      const copy = original.duplicate<Pointer>();
      const first = copy.getNode("First");
      expect(first.owner).toBe(copy);
      expect(first.getNode("Inner").owner).toBe(first);
      expect(first.sceneFilePath).toBe(original.getNode("First").sceneFilePath);
      expect(first.sceneFilePath).not.toBe("");
      expect(copy.target).toBe(first.getNode("Inner"));
      expect(copy.getNode("%Inner")).toBe(copy.getNode("Inner"));
      original.free();
      copy.free();
    });
  });

  it("copies a node inside the tree to a copy outside it, without running its lifecycle", () => {
    const log = new Log();
    class Recorder extends RecordingNode {
      constructor(name = "") {
        super(name, log);
      }
    }
    const node = new Recorder("N");
    node.addChild(new Recorder("C"));
    tree.root.addChild(node);
    log.take();
    const copy = node.duplicate();
    expect(copy.isInsideTree()).toBe(false);
    expect(log.take()).toEqual([]);
    tree.root.removeChild(node);
    log.take();
    tree.root.addChild(copy);
    expect(log.take()).toEqual(["N:enter", "C:enter", "C:ready", "N:ready"]);
  });

  it("frees the partial copy and passes on the error when a constructor throws", () => {
    const freed: string[] = [];
    let failing = false;
    class Fragile extends Node {
      constructor() {
        super();
        if (failing) throw new Error("no copies");
      }
    }
    class Watched extends Node {
      override _notification(what: number): void {
        if (what === Node.NOTIFICATION_PREDELETE) freed.push(this.name);
      }
    }
    const root = new Watched("Root");
    root.addChild(new Fragile());
    failing = true;
    expect(() => root.duplicate()).toThrow("no copies");
    expect(freed).toEqual(["Root"]); // the copy of Root, not Root
    expect(root.isInstanceValid()).toBe(true);
  });

  it("refuses a class whose constructor needs arguments, unless copied as its engine class", () => {
    const node = new RecordingNode("N", new Log());
    expect(() => node.duplicate()).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    expect(node.duplicate(DuplicateFlags.GROUPS).constructor).toBe(Node);
  });

  it("refuses a freed node", () => {
    const node = new Node("N");
    node.free();
    expect(() => node.duplicate()).toThrow(expect.objectContaining({ code: "ERR_FREED" }));
  });
});
