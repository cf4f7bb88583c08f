import { SceneTree } from "../../../src/scene/SceneTree";
import { Node } from "../../../src/scene/Node";
import { ProcessMode } from "../../../src/scene/node/processMode";

/** Processing flags, inherited process modes and pause notifications (src/scene/node/processing.ts). */
describe("node processing", () => {
  let tree: SceneTree;
  let log: string[];
  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = [];
  });
  afterEach(() => tree.finalize());

  class Ticker extends Node {
    override _process(): void {
      log.push(this.name);
    }
    override _notification(what: number): void {
      const names: Record<number, string> = {
        [Node.NOTIFICATION_PAUSED]: "paused",
        [Node.NOTIFICATION_UNPAUSED]: "unpaused",
        [Node.NOTIFICATION_DISABLED]: "disabled",
        [Node.NOTIFICATION_ENABLED]: "enabled",
      };
      if (names[what]) log.push(`${names[what]} ${this.name}`);
    }
  }

  test("overriding _process turns processing on at ready; setProcess(false) takes the node out", () => {
    const a = new Ticker("A");
    tree.root.addChild(a);
    expect(a.isProcessing()).toBe(true);
    tree.step(0.016);
    expect(log).toEqual(["A"]);
    a.setProcess(false);
    tree.step(0.016);
    expect(log).toEqual(["A"]);
    expect(a.isPhysicsProcessing()).toBe(false);
  });

  test("INHERIT follows the nearest ancestor with a mode; the tree's pause stops PAUSABLE nodes", () => {
    const parent = new Ticker("P");
    const child = new Ticker("C");
    parent.addChild(child);
    tree.root.addChild(parent);
    parent.processMode = ProcessMode.ALWAYS;
    tree.paused = true;
    expect(child.canProcess()).toBe(true);
    log.length = 0;
    tree.step(0.016);
    expect(log).toEqual(["P", "C"]);
    parent.processMode = ProcessMode.PAUSABLE; // the subtree stops: both hear it, parent first
    expect(log.slice(2)).toEqual(["paused P", "paused C"]);
    expect(child.canProcess()).toBe(false);
    log.length = 0;
    tree.step(0.016);
    expect(log).toEqual([]);
    tree.paused = false;
    expect(log).toEqual(["unpaused P", "unpaused C"]);
  });

  test("DISABLED goes down only through children that inherit", () => {
    const parent = new Ticker("P");
    const inherits = new Ticker("I");
    const own = new Ticker("O");
    parent.addChild(inherits);
    parent.addChild(own);
    own.processMode = ProcessMode.ALWAYS;
    tree.root.addChild(parent);
    parent.processMode = ProcessMode.DISABLED;
    expect(log).toEqual(["paused P", "disabled P", "paused I", "disabled I"]);
    expect([parent.canProcess(), inherits.canProcess(), own.canProcess()]).toEqual([false, false, true]);
    log.length = 0;
    parent.processMode = ProcessMode.INHERIT;
    expect(log).toEqual(["unpaused P", "enabled P", "unpaused I", "enabled I"]);
  });

  test("a mode change while the tree is suspended sends DISABLED / ENABLED but no PAUSED / UNPAUSED", () => {
    const node = new Ticker("S");
    tree.root.addChild(node);
    tree.setSuspend(true);
    tree.step(1 / 60); // a suspension asked for between frames applies at once; this makes sure of it
    log.length = 0;
    node.processMode = ProcessMode.DISABLED;
    node.processMode = ProcessMode.PAUSABLE;
    // Godot compares can_process() before and after, and a suspended tree makes it false both times.
    expect(log).toEqual(["disabled S", "enabled S"]);
    expect(node.canProcess()).toBe(false);
  });

  test("the root can't inherit, and an unknown mode is refused", () => {
    expect(() => (tree.root.processMode = ProcessMode.INHERIT)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
    expect(() => (new Node("X").processMode = 42 as ProcessMode)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
    const outside = new Node("Y");
    outside.processMode = ProcessMode.INHERIT; // outside a tree a node may inherit
    expect(outside.canProcess()).toBe(false);
  });
});
