import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { ConnectFlags } from "../../src/scene/GodotObject";
import { Timer } from "../../src/nodes/Timer";
import { FRAME, Log, ProcessingNode, RecordingNode } from "../helpers/recording";

/** Re-entrant use of the engine from user callbacks: no crash, and Godot's outcome. */
describe("re-entrancy", () => {
  let tree: SceneTree;
  let log: Log;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = new Log();
  });

  afterEach(() => tree.finalize());

  it("a node freeing itself from its own signal handler is gone, and the emission finishes", () => {
    const timer = new Timer("T");
    timer.waitTime = FRAME / 2;
    timer.autostart = true;
    tree.root.addChild(timer);
    timer.on("timeout", () => {
      log.push("first handler");
      timer.free();
    });
    timer.on("timeout", () => log.push(`second handler, valid=${timer.isInstanceValid()}`));
    tree.step(FRAME);
    tree.step(FRAME);
    expect(log.take()).toEqual(["first handler", "second handler, valid=false"]);
    expect(tree.root.getChildCount()).toBe(0);
  });

  it("queueFree from a handler of the node's own signal waits for the end of the frame", () => {
    const node = new ProcessingNode("N", log);
    tree.root.addChild(node);
    node.connect("renamed", () => node.queueFree(), ConnectFlags.ONE_SHOT);
    node.onProcess = () => {
      if (node.name === "N") node.name = "Renamed";
    };
    log.take();
    tree.step(FRAME);
    expect(log.take()).toEqual(["N:physics", "N:process", "Renamed:exit"]);
  });

  it("adding children during _ready readies them at once, nested", () => {
    class Spawner extends RecordingNode {
      constructor(
        name: string,
        log: Log,
        private depth: number,
      ) {
        super(name, log);
      }
      override _ready() {
        super._ready();
        if (this.depth > 0) this.addChild(new Spawner(`${this.name}-c`, this.events, this.depth - 1));
      }
    }
    tree.root.addChild(new Spawner("S", log, 2));
    expect(log.take()).toEqual([
      "S:enter",
      "S:ready",
      "S-c:enter",
      "S-c:ready",
      "S-c-c:enter",
      "S-c-c:ready",
    ]);
  });

  it("quitting from inside _exitTree during teardown does not crash", async () => {
    class Quitter extends Node {
      override _exitTree() {
        log.push("exit");
        this.getTree().quit(9);
      }
    }
    const quitter = new Quitter("Q");
    tree.root.addChild(quitter);
    tree.root.removeChild(quitter); // quit from _exitTree outside teardown
    tree.root.addChild(quitter);
    tree.step(FRAME);
    expect(tree.isFinalized()).toBe(true);
    await expect(tree.whenFinalized()).resolves.toBe(9);
    expect(log.take()).toEqual(["exit", "exit"]);
  });

  it("changing scene from a deferred call swaps scenes at the safe point", () => {
    const first = new RecordingNode("First", log);
    tree.root.addChild(first);
    tree.currentScene = first;
    const second = new RecordingNode("Second", log);
    log.take();
    first.callDeferred(() => tree.changeSceneToNode(second));
    tree.step(FRAME);
    expect(log.take()).toEqual(["First:exit", "Second:enter", "Second:ready"]);
    expect(tree.currentScene).toBe(second);
    expect(first.isInstanceValid()).toBe(false);
  });

  it("freeing a parent from a child's _process skips the rest of the subtree this frame", () => {
    const parent = new ProcessingNode("P", log);
    const child = new ProcessingNode("C", log);
    const grandchild = new ProcessingNode("G", log);
    parent.addChild(child);
    child.addChild(grandchild);
    tree.root.addChild(parent);
    child.onProcess = () => parent.free();
    log.take();
    tree.step(FRAME);
    expect(log.take()).toEqual([
      "P:physics",
      "C:physics",
      "G:physics",
      "P:process",
      "C:process",
      "G:exit",
      "C:exit",
      "P:exit",
    ]);
    expect(grandchild.isInstanceValid()).toBe(false);
  });

  it("step() from inside a frame is refused with a hint", () => {
    const node = new ProcessingNode("N", log);
    tree.root.addChild(node);
    let caught: unknown;
    node.onProcess = () => {
      try {
        tree.step(FRAME);
      } catch (error) {
        caught = error;
      }
    };
    tree.step(FRAME);
    expect(caught).toMatchObject({ code: "ERR_STEP_REENTERED" });
  });
});
