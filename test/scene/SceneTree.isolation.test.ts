import { Node, ProcessMode } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { ConnectFlags, GodotObject } from "../../src/scene/GodotObject";
import { Callable } from "../../src/scene/Callable";
import { nodeData } from "../../src/scene/node/data";
import type { UserCallbackError } from "../../src/core/errors";

const FRAME = 1 / 60;

class Counter extends Node {
  frames = 0;
  notes: number[] = [];
  override _process(): void {
    this.frames++;
  }
  override _notification(what: number): void {
    if (what === Node.NOTIFICATION_PAUSED || what === Node.NOTIFICATION_UNPAUSED) this.notes.push(what);
  }
}

describe("SceneTree: two trees in one process never affect each other", () => {
  let a: SceneTree;
  let b: SceneTree;
  let errorsA: UserCallbackError[];
  let errorsB: UserCallbackError[];

  beforeEach(() => {
    errorsA = [];
    errorsB = [];
    a = new SceneTree({ onError: (e) => errorsA.push(e) });
    b = new SceneTree({ onError: (e) => errorsB.push(e) });
  });

  afterEach(() => {
    a.finalize();
    b.finalize();
  });

  it("auto names count per parent: the same additions give the same names in either tree", () => {
    const names = (tree: SceneTree): string[] => {
      const parent = new Node("P");
      tree.root.addChild(parent);
      for (let i = 0; i < 3; i++) parent.addChild(new Node());
      return parent.getChildren().map((n) => n.name);
    };
    const first = names(a);
    // Nodes made and named in between, in another tree and outside any tree, change nothing.
    for (let i = 0; i < 5; i++) b.root.addChild(new Node());
    const loose = new Node("Loose");
    loose.addChild(new Node());
    expect(names(b)).toEqual(first);
    expect(first).toEqual(["@Node@2", "@Node@3", "@Node@4"]);
  });

  it("an auto name skips one a moved-in child already holds", () => {
    const from = new Node("From");
    from.addChild(new Node());
    const moved = from.getChild(0)!;
    expect(moved.name).toBe("@Node@2");
    from.removeChild(moved);
    const to = new Node("To");
    to.addChild(moved);
    to.addChild(new Node());
    expect(to.getChildren().map((n) => n.name)).toEqual(["@Node@2", "@Node@3"]);
  });

  it("process mode epochs are per tree: a mode change in one leaves the other's cache alone", () => {
    const inA = new Counter("InA");
    const inB = new Counter("InB");
    a.root.addChild(inA);
    b.root.addChild(inB);
    a.step(FRAME);
    b.step(FRAME);
    const epochB = nodeData(inB).tree!.modeEpoch;
    const cachedB = nodeData(inB).modeEpoch;
    inA.processMode = ProcessMode.DISABLED;
    inA.processMode = ProcessMode.ALWAYS;
    expect(nodeData(inB).tree!.modeEpoch).toBe(epochB);
    expect(nodeData(inB).modeEpoch).toBe(cachedB);
    expect(nodeData(inA).tree!.modeEpoch).toBeGreaterThan(0);
  });

  it("pause is per tree, and so are its notifications", () => {
    const inA = new Counter("InA");
    const inB = new Counter("InB");
    a.root.addChild(inA);
    b.root.addChild(inB);
    a.paused = true;
    a.step(FRAME);
    b.step(FRAME);
    expect(inA.frames).toBe(0);
    expect(inB.frames).toBe(1);
    expect(inA.notes).toEqual([Node.NOTIFICATION_PAUSED]);
    expect(inB.notes).toEqual([]);
    expect(b.paused).toBe(false);
  });

  it("groups are per tree", () => {
    const inA = new Node("InA");
    const inB = new Node("InB");
    inA.addToGroup("g");
    inB.addToGroup("g");
    a.root.addChild(inA);
    b.root.addChild(inB);
    expect(a.getNodesInGroup("g")).toEqual([inA]);
    expect(b.getNodesInGroup("g")).toEqual([inB]);
    const calls: string[] = [];
    (inA as unknown as { hit(): void }).hit = () => calls.push("A");
    (inB as unknown as { hit(): void }).hit = () => calls.push("B");
    b.callGroup("g", "hit");
    expect(calls).toEqual(["B"]);
  });

  it("a node's deferred calls run on its own tree's flush, never on another tree's", () => {
    const inA = new Node("InA");
    a.root.addChild(inA);
    const ran: string[] = [];
    inA.callDeferred(() => ran.push("A"));
    b.step(FRAME); // the most recently created tree, which used to take such calls
    expect(ran).toEqual([]);
    a.step(FRAME);
    expect(ran).toEqual(["A"]);
  });

  it("a node outside any tree keeps its deferred calls and its queueFree for the tree it next enters", () => {
    const loose = new Node("Loose");
    const ran: string[] = [];
    loose.callDeferred(() => ran.push(loose.getTree() === a ? "on A" : "elsewhere"));
    loose.queueFree();
    b.step(FRAME);
    a.step(FRAME);
    expect(ran).toEqual([]);
    expect(loose.isInstanceValid()).toBe(true);
    a.root.addChild(loose);
    b.step(FRAME);
    expect(ran).toEqual([]);
    a.step(FRAME);
    expect(ran).toEqual(["on A"]);
    expect(loose.isInstanceValid()).toBe(false);
  });

  it("a node just removed from a tree still defers to, and reports to, that tree while it runs", () => {
    const node = new Node("Removed");
    a.root.addChild(node);
    a.root.removeChild(node);
    const ran: string[] = [];
    node.callDeferred(() => ran.push("ran"));
    node.callDeferred(() => {
      throw new Error("boom");
    });
    b.step(FRAME);
    expect(ran).toEqual([]);
    a.step(FRAME);
    expect(ran).toEqual(["ran"]);
    expect(errorsA.map((e) => e.message)).toEqual([expect.stringContaining("boom")]);
    expect(errorsB).toEqual([]);
  });

  it("a DEFERRED connection runs on its target's tree; a target in none waits on the source's, or is dropped freed", () => {
    class Target extends Node {
      hits: string[] = [];
      hit(): void {
        this.hits.push(
          this.isInsideTree() ? this.getTree().root.name + (this.getTree() === a ? "A" : "B") : "out",
        );
      }
    }
    const source = new Node("Source");
    b.root.addChild(source);
    const inA = new Target("InA");
    a.root.addChild(inA);
    source.connect("renamed", new Callable(inA, "hit"), ConnectFlags.DEFERRED);
    source.name = "Renamed";
    b.step(FRAME);
    expect(inA.hits).toEqual([]);
    a.step(FRAME);
    expect(inA.hits).toEqual(["rootA"]);

    const loose = new Target("Loose");
    source.connect("renamed", new Callable(loose, "hit"), ConnectFlags.DEFERRED);
    source.name = "Again";
    loose.free();
    b.step(FRAME);
    expect(loose.hits).toEqual([]);
    expect(errorsB).toEqual([]);
  });

  it("a plain object belongs to no tree: callDeferred is ERR_NO_TREE, whatever trees exist", () => {
    class Inventory extends GodotObject {}
    const inventory = new Inventory();
    expect(() => inventory.callDeferred(() => undefined)).toThrow(
      expect.objectContaining({ code: "ERR_NO_TREE" }),
    );
  });

  it("an error of a node in one tree is reported to that tree only", () => {
    class Bad extends Node {
      override _ready(): void {
        throw new Error("bad ready");
      }
    }
    b.root.addChild(new Bad("Bad"));
    expect(errorsB.map((e) => e.nodePath)).toEqual(["/root/Bad"]);
    expect(errorsA).toEqual([]);
  });

  it("finalizing one tree leaves the other running", () => {
    const inB = new Counter("InB");
    b.root.addChild(inB);
    a.finalize();
    b.step(FRAME);
    expect(inB.frames).toBe(1);
    const ran: string[] = [];
    inB.callDeferred(() => ran.push("B"));
    b.step(FRAME);
    expect(ran).toEqual(["B"]);
  });

  it("one onError handler serves several trees: it is told which tree each error came from", () => {
    const seen: Array<[string, number]> = [];
    const onError = (error: UserCallbackError, tree: SceneTree): void => {
      seen.push([error.nodePath, tree.instance.index]);
    };
    const trees = [0, 1].map((index) => new SceneTree({ onError, instance: { index, count: 2, seed: 0 } }));
    class Bad extends Node {
      override _process(): void {
        throw new Error("bad process");
      }
    }
    trees[1].root.addChild(new Bad("Bad1"));
    trees[0].root.addChild(new Bad("Bad0"));
    for (const tree of trees) tree.step(FRAME);
    for (const tree of trees) tree.finalize();
    expect(seen).toEqual([
      ["/root/Bad0", 0],
      ["/root/Bad1", 1],
    ]);
  });
});
