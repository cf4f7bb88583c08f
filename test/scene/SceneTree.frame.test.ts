import { SceneTree, GroupCallFlags } from "../../src/scene/SceneTree";
import { Node, ProcessMode } from "../../src/scene/Node";
import { Timer } from "../../src/nodes/Timer";
import { FRAME, Log, ProcessingNode } from "../helpers/recording";

describe("SceneTree", () => {
  let tree: SceneTree;
  let log: Log;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = new Log();
  });

  afterEach(() => tree.finalize());

  function processing(name: string, parent: Node = tree.root): ProcessingNode {
    const node = new ProcessingNode(name, log);
    parent.addChild(node);
    return node;
  }

  describe("#step", () => {
    it("runs the physics step, then the idle step, in Godot 4's phase order", () => {
      const a = processing("A");
      tree.on("physicsFrame", () => log.push("tree:physicsFrame"));
      tree.on("processFrame", () => log.push("tree:processFrame"));
      tree.createTimer(FRAME / 2, true, true).on("timeout", () => log.push("physicsTimer:timeout"));
      tree.createTimer(FRAME / 2).on("timeout", () => log.push("timer:timeout"));
      a.onPhysics = () => a.callDeferred(() => log.push("deferredFromPhysics"));
      a.onProcess = () => {
        a.callDeferred(() => log.push("deferredFromProcess"));
        a.queueFree();
      };
      a.on("treeExiting", () => log.push("A:freed"));
      log.take();
      tree.step(FRAME);
      expect(log.take()).toEqual([
        "tree:physicsFrame",
        "A:physics",
        "deferredFromPhysics",
        "physicsTimer:timeout",
        "tree:processFrame",
        "A:process",
        "deferredFromProcess",
        "timer:timeout",
        "A:exit",
        "A:freed",
      ]);
      expect(a.isInstanceValid()).toBe(false);
    });

    it("flushes calls deferred before processing (e.g. from processFrame) ahead of the nodes", () => {
      processing("A");
      tree.once("processFrame", () => tree.root.callDeferred(() => log.push("deferred")));
      log.take();
      tree.step(FRAME);
      expect(log.take()).toEqual(["A:physics", "deferred", "A:process"]);
    });

    it("runs calls deferred during a flush in the same flush", () => {
      const node = new Node("N");
      tree.root.addChild(node);
      node.callDeferred(() => {
        log.push("first");
        node.callDeferred(() => {
          log.push("second");
          node.callDeferred(() => log.push("third"));
        });
      });
      tree.step(FRAME);
      expect(log.take()).toEqual(["first", "second", "third"]);
    });

    it("calls a deferred method by name with its arguments", () => {
      class Target extends Node {
        hit(a: number, b: string) {
          log.push(`hit(${a},${b})`);
        }
      }
      const target = new Target("T");
      tree.root.addChild(target);
      target.callDeferred("hit", 1, "x");
      expect(log.take()).toEqual([]);
      tree.step(FRAME);
      expect(log.take()).toEqual(["hit(1,x)"]);
    });

    it("drops deferred calls of a node freed before the flush", () => {
      const node = new Node("N");
      tree.root.addChild(node);
      node.callDeferred(() => log.push("should not run"));
      node.free();
      tree.step(FRAME);
      expect(log.take()).toEqual([]);
    });

    it("runs one physics step per frame at 60 fps, several when a frame is long, at most 8", () => {
      const a = processing("A");
      log.take();
      const count = () => log.take().filter((e) => e === "A:physics").length;
      tree.step(FRAME);
      expect(count()).toBe(1);
      tree.step(FRAME * 3);
      expect(count()).toBe(3);
      tree.step(1);
      expect(count()).toBe(8);
      tree.step(FRAME / 2);
      tree.step(FRAME / 2);
      expect(count()).toBe(1);
      for (let i = 0; i < 600; i++) tree.step(FRAME);
      expect(count()).toBe(600);
      void a;
    });

    it("passes the frame delta to _process and 1/ticks to _physicsProcess", () => {
      const deltas: number[] = [];
      class D extends Node {
        override _process(delta: number) {
          deltas.push(delta);
        }
        override _physicsProcess(delta: number) {
          deltas.push(delta);
        }
      }
      tree.root.addChild(new D("D"));
      tree.step(0.02);
      expect(deltas).toEqual([1 / 60, 0.02]);
    });

    it("counts frames", () => {
      expect(tree.getFrame()).toBe(0);
      tree.step(FRAME);
      tree.step(FRAME);
      expect(tree.getFrame()).toBe(2);
      expect(tree.getPhysicsFrame()).toBe(2);
    });

    it("counts every physics step of a late frame in a tree with nothing to run in them", () => {
      tree.root.addChild(new Timer("Idle")); // idle processing only
      tree.step(FRAME * 5);
      expect(tree.getPhysicsFrame()).toBe(5);
      tree.step(1);
      expect(tree.getPhysicsFrame()).toBe(13);
      // A call deferred between frames still runs in the first physics step of the next one.
      const seen: string[] = [];
      tree.callDeferred(() => seen.push(`deferred@${tree.getPhysicsFrame()}`));
      tree.step(FRAME * 2);
      expect(seen).toEqual(["deferred@13"]);
      expect(tree.getPhysicsFrame()).toBe(15);
      tree.on("physicsFrame", () => seen.push(`physics@${tree.getPhysicsFrame()}`));
      tree.step(FRAME * 3);
      expect(seen).toEqual(["deferred@13", "physics@15", "physics@16", "physics@17"]);
      expect(tree.getPhysicsFrame()).toBe(18);
    });
  });

  describe("processing order", () => {
    it("processes only nodes that override _process or asked to, in tree order", () => {
      const parent = processing("P");
      processing("P1", parent);
      const idle = new Node("Idle");
      tree.root.addChild(idle);
      processing("Q");
      log.take();
      tree.step(FRAME);
      expect(log.take().filter((e) => e.endsWith(":process"))).toEqual([
        "P:process",
        "P1:process",
        "Q:process",
      ]);
      idle.setProcess(true); // a plain Node has no _process body: nothing to log, but it is now processing
      expect(idle.isProcessing()).toBe(true);
    });

    it("sorts by processPriority (ascending, global), ties in tree order", () => {
      const a = processing("A");
      const b = processing("B");
      const a1 = processing("A1", a);
      b.processPriority = -1;
      a1.processPriority = -1;
      log.take();
      tree.step(FRAME);
      expect(log.take().filter((e) => e.endsWith(":process"))).toEqual([
        "A1:process",
        "B:process",
        "A:process",
      ]);
    });

    it("re-sorts after moveChild", () => {
      processing("A");
      const b = processing("B");
      tree.root.moveChild(b, 0);
      log.take();
      tree.step(FRAME);
      expect(log.take().filter((e) => e.endsWith(":process"))).toEqual(["B:process", "A:process"]);
    });

    it("lets a node turn processing off in _ready", () => {
      class Quiet extends ProcessingNode {
        override _ready() {
          this.setProcess(false);
        }
      }
      tree.root.addChild(new Quiet("Q", log));
      log.take();
      tree.step(FRAME);
      expect(log.take()).toEqual(["Q:physics"]);
    });

    it("lets a node queued for deletion finish the frame, and frees it after the timers", () => {
      const a = processing("A");
      const b = processing("B");
      a.onProcess = () => b.queueFree();
      tree.createTimer(FRAME / 2).on("timeout", () => log.push(`timer sees B valid=${b.isInstanceValid()}`));
      log.take();
      tree.step(FRAME);
      expect(log.take()).toEqual([
        "A:physics",
        "B:physics",
        "A:process",
        "B:process",
        "timer sees B valid=true",
        "B:exit",
      ]);
      expect(b.isQueuedForDeletion()).toBe(true);
      expect(b.isInstanceValid()).toBe(false);
      tree.step(FRAME);
      expect(log.take()).toEqual(["A:physics", "A:process"]);
    });

    it("skips nodes removed earlier in the same pass, and does not process nodes added during it", () => {
      const a = processing("A");
      const b = processing("B");
      a.onProcess = () => {
        a.onProcess = undefined;
        tree.root.removeChild(b);
        processing("C");
      };
      log.take();
      tree.step(FRAME);
      expect(log.take()).toEqual(["A:physics", "B:physics", "A:process", "B:exit", "C:enter", "C:ready"]);
      tree.step(FRAME);
      expect(log.take()).toEqual(["A:physics", "C:physics", "A:process", "C:process"]);
    });
  });

  describe("pause and process modes", () => {
    function modes() {
      const make = (name: string, mode: ProcessMode, parent: Node = tree.root) => {
        const node = processing(name, parent);
        node.processMode = mode;
        return node;
      };
      const pausable = make("Pausable", ProcessMode.PAUSABLE);
      const inherits = make("Inherit", ProcessMode.INHERIT, pausable);
      make("WhenPaused", ProcessMode.WHEN_PAUSED);
      const always = make("Always", ProcessMode.ALWAYS);
      make("AlwaysChild", ProcessMode.INHERIT, always);
      make("Disabled", ProcessMode.DISABLED);
      log.take();
      return { pausable, inherits };
    }

    const processed = () =>
      log
        .take()
        .filter((e) => e.endsWith(":process"))
        .map((e) => e.split(":")[0]);

    it("runs PAUSABLE and INHERIT nodes when not paused, WHEN_PAUSED and ALWAYS when paused, DISABLED never", () => {
      modes();
      tree.step(FRAME);
      expect(processed()).toEqual(["Pausable", "Inherit", "Always", "AlwaysChild"]);
      tree.paused = true;
      tree.step(FRAME);
      expect(processed()).toEqual(["WhenPaused", "Always", "AlwaysChild"]);
    });

    it("applies a pause toggled mid-frame to the nodes after the toggling one", () => {
      const { pausable } = modes();
      pausable.onProcess = () => {
        tree.paused = true;
      };
      tree.step(FRAME);
      expect(processed()).toEqual(["Pausable", "WhenPaused", "Always", "AlwaysChild"]);
    });

    it("reports canProcess() from the inherited mode", () => {
      const { inherits } = modes();
      expect(inherits.canProcess()).toBe(true);
      tree.paused = true;
      expect(inherits.canProcess()).toBe(false);
    });

    it("pauses tree timers unless they process always", () => {
      tree.paused = true;
      tree.createTimer(FRAME / 2).on("timeout", () => log.push("always"));
      tree.createTimer(FRAME / 2, false).on("timeout", () => log.push("pausable"));
      tree.step(FRAME);
      expect(log.take()).toEqual(["always"]);
      tree.paused = false;
      tree.step(FRAME);
      expect(log.take()).toEqual(["pausable"]);
    });
  });

  describe("groups", () => {
    it("lists members in tree order and works for nodes added to a group before entering", () => {
      const a = new Node("A");
      const b = new Node("B");
      const a1 = new Node("A1");
      a.addChild(a1);
      b.addToGroup("g");
      a1.addToGroup("g");
      a.addToGroup("g");
      expect(tree.getNodesInGroup("g")).toEqual([]);
      tree.root.addChild(a);
      tree.root.addChild(b);
      expect(tree.getNodesInGroup("g").map((n) => n.name)).toEqual(["A", "A1", "B"]);
      expect(a1.isInGroup("g")).toBe(true);
      expect(a1.getGroups()).toEqual(["g"]);
      tree.root.removeChild(a);
      expect(tree.getNodesInGroup("g").map((n) => n.name)).toEqual(["B"]);
      a1.removeFromGroup("g");
      expect(a1.isInGroup("g")).toBe(false);
    });

    class Member extends Node {
      hit(value: number) {
        log.push(`${this.name}:hit(${value})`);
      }
    }

    function members() {
      for (const name of ["M1", "M2", "M3"]) {
        const m = new Member(name);
        m.addToGroup("g");
        tree.root.addChild(m);
      }
      const other = new Node("NoMethod");
      other.addToGroup("g");
      tree.root.addChild(other);
    }

    it("callGroup calls now, in tree order, skipping members without the method", () => {
      members();
      tree.callGroup("g", "hit", 1);
      expect(log.take()).toEqual(["M1:hit(1)", "M2:hit(1)", "M3:hit(1)"]);
    });

    it("callGroupFlags REVERSE, DEFERRED and UNIQUE", () => {
      members();
      tree.callGroupFlags(GroupCallFlags.REVERSE, "g", "hit", 2);
      expect(log.take()).toEqual(["M3:hit(2)", "M2:hit(2)", "M1:hit(2)"]);
      tree.callGroupFlags(GroupCallFlags.DEFERRED, "g", "hit", 3);
      expect(log.take()).toEqual([]);
      tree.callGroupFlags(GroupCallFlags.DEFERRED | GroupCallFlags.UNIQUE, "g", "hit", 4);
      tree.callGroupFlags(GroupCallFlags.DEFERRED | GroupCallFlags.UNIQUE, "g", "hit", 5);
      tree.step(FRAME);
      // Unique group calls run before the deferred flush (Godot's _flush_ugc), and only once.
      expect(log.take()).toEqual([
        "M1:hit(4)",
        "M2:hit(4)",
        "M3:hit(4)",
        "M1:hit(3)",
        "M2:hit(3)",
        "M3:hit(3)",
      ]);
    });

    it("a UNIQUE | DEFERRED call made while the frame's unique calls run is refused (Godot's ugc_locked)", () => {
      const errors: string[] = [];
      const soft = new SceneTree({
        onError: (error) => errors.push(`${(error.cause as { code?: string }).code}: ${error.message}`),
      });
      class Chain extends Node {
        first() {
          log.push("first");
          soft.callGroupFlags(GroupCallFlags.UNIQUE | GroupCallFlags.DEFERRED, "g", "second");
        }
        second() {
          log.push("second");
        }
      }
      const node = new Chain("Chain");
      node.addToGroup("g");
      soft.root.addChild(node);
      soft.callGroupFlags(GroupCallFlags.UNIQUE | GroupCallFlags.DEFERRED, "g", "first");
      soft.step(FRAME);
      soft.step(FRAME);
      expect(log.take()).toEqual(["first"]);
      expect(errors).toEqual([
        expect.stringMatching(/^ERR_BUSY: first\(\) \(group "g"\) on \/root\/Chain threw/),
      ]);
      soft.finalize();
    });

    it("quit() still makes the unique calls queued in its frame, before the nodes leave (Godot's finalize)", () => {
      class Saver extends Node {
        save() {
          log.push(`save inside=${this.isInsideTree()}`);
        }
        override _exitTree() {
          log.push("exit");
        }
      }
      const saver = new Saver("Saver");
      saver.addToGroup("savers");
      tree.root.addChild(saver);
      tree.createTimer(0).connect("timeout", () => {
        tree.callGroupFlags(GroupCallFlags.UNIQUE | GroupCallFlags.DEFERRED, "savers", "save");
        tree.quit();
      });
      tree.step(FRAME);
      expect(tree.isFinalized()).toBe(true);
      expect(log.take()).toEqual(["save inside=true", "exit"]);
    });

    it("an empty group name is refused, as Godot's add_to_group refuses it", () => {
      const node = new Node("N");
      expect(() => node.addToGroup("")).toThrow(
        expect.objectContaining({
          code: "ERR_INVALID_ARGUMENT",
          message: expect.stringContaining("empty name"),
        }),
      );
      expect(node.getGroups()).toEqual([]);
      node.free();
    });

    it("notifyGroup / setGroup reach every member in tree order; the flags reverse or defer them", () => {
      class Listener extends Node {
        level = 0;
        override _notification(what: number): void {
          if (what === 9001) log.push(`${this.name}:9001`);
        }
      }
      const a = new Listener("A");
      const b = new Listener("B");
      const plain = new Node("Plain"); // no "level": setGroup leaves it alone, as Godot's set does
      for (const node of [a, b, plain]) {
        node.addToGroup("g");
        tree.root.addChild(node);
      }
      tree.notifyGroup("g", 9001);
      expect(log.take()).toEqual(["A:9001", "B:9001"]);
      tree.notifyGroupFlags(GroupCallFlags.REVERSE, "g", 9001);
      expect(log.take()).toEqual(["B:9001", "A:9001"]);
      tree.setGroup("g", "level", 3);
      expect([a.level, b.level, "level" in plain]).toEqual([3, 3, false]);
      tree.setGroupFlags(GroupCallFlags.DEFERRED, "g", "level", 4);
      tree.notifyGroupFlags(GroupCallFlags.DEFERRED, "g", 9001);
      expect([a.level, log.take()]).toEqual([3, []]);
      tree.step(FRAME);
      expect([a.level, b.level, log.take()]).toEqual([4, 4, ["A:9001", "B:9001"]]);
    });

    it("treeChanged comes once a node has entered and readied, for each node leaving, and on a move or rename", () => {
      const changes: string[] = [];
      tree.connect("treeChanged", () => changes.push(`changed (${tree.root.getChildCount()})`));
      const parent = new Node("P");
      parent.addChild(new Node("C"));
      parent.connect("ready", () => changes.push("ready P"));
      tree.root.addChild(parent);
      expect(changes).toEqual(["ready P", "changed (1)"]);
      changes.length = 0;
      const other = new Node("O");
      tree.root.addChild(other);
      tree.root.moveChild(other, 0);
      other.name = "Renamed";
      expect(changes).toEqual(["changed (2)", "changed (2)", "changed (2)"]);
      changes.length = 0;
      // C leaves, then P, and nothing more: Godot's _set_tree reads `tree_changed_a = data.tree` after
      // `_propagate_exit_tree()` has cleared data.tree, so the removal as a whole tells nobody (the
      // godot3 tree_signals trace: one tree_changed per node leaving).
      tree.root.removeChild(parent);
      expect(changes).toEqual(["changed (2)", "changed (2)"]);
      expect(tree.root.getChildCount()).toBe(1);
      parent.free();
    });

    it("skips a member removed by an earlier member during callGroup", () => {
      members();
      class Remover extends Node {
        hit() {
          log.push("Remover:hit");
          tree.root.removeChild(tree.root.getNode("M2"));
        }
      }
      const remover = new Remover("Remover");
      remover.addToGroup("g");
      tree.root.addChild(remover);
      tree.root.moveChild(remover, 0);
      tree.callGroup("g", "hit", 0);
      expect(log.take()).toEqual(["Remover:hit", "M1:hit(0)", "M3:hit(0)"]);
    });
  });

  describe("timers", () => {
    it("fires a 1 s createTimer on frame 60 and a Timer node on frame 60 at 60 fps", () => {
      const timer = new Timer("T");
      timer.waitTime = 1;
      timer.autostart = true;
      tree.root.addChild(timer);
      const frames: string[] = [];
      timer.on("timeout", () => frames.push(`node@${tree.getFrame() + 1}`));
      tree.createTimer(1).on("timeout", () => frames.push(`tree@${tree.getFrame() + 1}`));
      for (let i = 0; i < 130; i++) tree.step(FRAME);
      expect(frames).toEqual(["node@60", "tree@60", "node@120"]);
    });

    it("fires a 0.5 s Timer on frame 31, because 30 x 1/60 leaves a hair above zero (as in Godot)", () => {
      const timer = new Timer("T");
      timer.waitTime = 0.5;
      timer.oneShot = true;
      tree.root.addChild(timer);
      timer.start();
      let firedAt = -1;
      timer.on("timeout", () => (firedAt = tree.getFrame() + 1));
      for (let i = 0; i < 40; i++) tree.step(FRAME);
      expect(firedAt).toBe(31);
      expect(timer.isStopped()).toBe(true);
    });

    it("ticks a Timer at its own place in process order, before its _process", () => {
      class LoggingTimer extends Timer {
        override _process() {
          log.push(`T:process timeLeft=${this.timeLeft.toFixed(3)}`);
        }
      }
      const before = processing("Before");
      const timer = new LoggingTimer("T");
      timer.waitTime = 0.025;
      tree.root.addChild(timer);
      processing("After");
      timer.start();
      timer.on("timeout", () => log.push("T:timeout"));
      log.take();
      tree.step(FRAME);
      tree.step(FRAME);
      // The overshoot carries over: 0.025 - 2/60 + 0.025 = 0.01667 left after the timeout.
      expect(log.take().filter((e) => !e.endsWith(":physics"))).toEqual([
        "Before:process",
        "T:process timeLeft=0.008",
        "After:process",
        "Before:process",
        "T:timeout",
        "T:process timeLeft=0.017",
        "After:process",
      ]);
      void before;
    });
  });

  describe("#quit", () => {
    it("finishes the frame, then every node leaves the tree children first and run() resolves", async () => {
      const main = processing("Main");
      processing("A", main);
      processing("B", main);
      main.onProcess = () => tree.quit(3);
      log.take();
      tree.step(FRAME);
      expect(log.take()).toEqual([
        "Main:physics",
        "A:physics",
        "B:physics",
        "Main:process",
        "A:process",
        "B:process",
        "B:exit",
        "A:exit",
        "Main:exit",
      ]);
      expect(tree.isFinalized()).toBe(true);
      expect(main.isInstanceValid()).toBe(false);
      await expect(tree.whenFinalized()).resolves.toBe(3);
    });
  });

  describe("#changeSceneToNode", () => {
    it("removes the old scene now, frees it and adds the new one after the deferred flush", () => {
      const first = processing("First");
      tree.currentScene = first;
      const second = new ProcessingNode("Second", log);
      log.take();
      tree.changeSceneToNode(second);
      expect(log.take()).toEqual(["First:exit"]);
      expect(tree.currentScene).toBeNull();
      tree.step(FRAME);
      expect(log.take()).toEqual(["Second:enter", "Second:ready"]);
      expect(tree.currentScene).toBe(second);
      expect(first.isInstanceValid()).toBe(false);
      tree.step(FRAME);
      expect(log.take()).toEqual(["Second:physics", "Second:process"]);
    });

    it("two changes in one frame, from the scene's own _process: it stays valid through the call, the last one enters", () => {
      const entered: string[] = [];
      class Menu extends Node {
        next: Node[] = [];
        validAfter: boolean | null = null;
        override _process(): void {
          for (const node of this.next.splice(0)) tree.changeSceneToNode(node);
          this.validAfter = this.isInstanceValid();
        }
      }
      const menu = new Menu("Menu");
      tree.root.addChild(menu);
      tree.currentScene = menu;
      const loading = new Node("Loading");
      const level = new Node("Level");
      level.connect("treeEntered", () => entered.push("Level"));
      loading.connect("treeEntered", () => entered.push("Loading"));
      menu.next = [loading, level];
      tree.step(FRAME);
      expect(menu.validAfter).toBe(true); // Godot keeps prev_scene_id: freed at the safe point, not in the call
      expect([menu.isInstanceValid(), loading.isInstanceValid()]).toEqual([false, false]);
      expect(entered).toEqual(["Level"]);
      expect(tree.currentScene).toBe(level);
    });

    it("unloadCurrentScene() after changeSceneToNode() finds no current scene: the new one still enters", () => {
      const old = new Node("Old");
      tree.root.addChild(old);
      tree.currentScene = old;
      const next = new Node("Next");
      tree.changeSceneToNode(next);
      tree.unloadCurrentScene();
      tree.step(FRAME);
      expect(tree.currentScene).toBe(next);
      expect(tree.root.getChildren()).toEqual([next]);
      expect(old.isInstanceValid()).toBe(false);
    });
  });
});
