import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { SceneTreeError, UserCallbackError } from "../../src/core/errors";

/** free() while the engine is walking the node (Godot's busy guard): a typed error, never a crash. */
describe("freeing a busy node", () => {
  let tree: SceneTree;
  let errors: UserCallbackError[];

  beforeEach(() => {
    errors = [];
    tree = new SceneTree({ onError: (error) => errors.push(error) });
  });

  afterEach(() => tree.finalize());

  /** The SceneTreeErrors the user callbacks threw and the tree reported. */
  function busyErrors(): SceneTreeError[] {
    const out = errors.map((e) => e.cause as SceneTreeError);
    errors = [];
    for (const error of out) expect(error).toBeInstanceOf(SceneTreeError);
    return out;
  }

  class SelfFreeing extends Node {
    constructor(
      name = "",
      readonly when: "enter" | "ready" | "exit" = "enter",
    ) {
      super(name);
    }
    override _enterTree(): void {
      if (this.when === "enter") this.free();
    }
    override _ready(): void {
      if (this.when === "ready") this.free();
    }
    override _exitTree(): void {
      if (this.when === "exit") this.free();
    }
  }

  it("in its own _enterTree is ERR_BUSY saying to use queueFree(), and the tree goes on", () => {
    const node = new SelfFreeing("S");
    node.addChild(new Node("Child"));
    tree.root.addChild(node);
    const [error] = busyErrors();
    expect(error.code).toBe("ERR_BUSY");
    expect(error.message).toBe(
      'Can\'t free "/root/S" now: it is entering the tree (in _enterTree or a treeEntered handler). ' +
        "Use queueFree() instead, which frees it at the end of the frame.",
    );
    expect(node.isInstanceValid()).toBe(true);
    expect(node.isNodeReady()).toBe(true);
    expect(node.getNode("Child").isInsideTree()).toBe(true);
    tree.step(1 / 60);
    node.queueFree();
    tree.step(1 / 60);
    expect(node.isInstanceValid()).toBe(false);
    expect(errors).toEqual([]);
  });

  it("entering as part of a subtree, in _ready, and in _exitTree, are ERR_BUSY too", () => {
    const parent = new Node("P");
    parent.addChild(new SelfFreeing("E", "enter"));
    parent.addChild(new SelfFreeing("R", "ready"));
    parent.addChild(new SelfFreeing("X", "exit"));
    tree.root.addChild(parent);
    expect(busyErrors().map((e) => [e.code, e.message.split(":")[1]])).toEqual([
      [
        "ERR_BUSY",
        ' its parent "/root/P" is busy with its children (they are entering, getting ready or leaving). Use queueFree() instead, which frees it at the end of the frame.',
      ],
      [
        "ERR_BUSY",
        ' its parent "/root/P" is busy with its children (they are entering, getting ready or leaving). Use queueFree() instead, which frees it at the end of the frame.',
      ],
    ]);
    tree.root.removeChild(parent);
    expect(busyErrors().map((e) => e.code)).toEqual(["ERR_BUSY"]);
    expect(parent.getChildCount()).toBe(3);
    tree.root.addChild(parent);
    expect(busyErrors().map((e) => e.code)).toEqual(["ERR_BUSY"]); // E again; R is ready already
  });

  it("a node freeing its parent (or an ancestor) while it enters is ERR_BUSY", () => {
    class FreesParent extends Node {
      override _enterTree(): void {
        this.getParent()!.free();
      }
    }
    const top = new Node("Top");
    top.addChild(new FreesParent("C"));
    tree.root.addChild(top);
    expect(busyErrors().map((e) => e.message)).toEqual([
      'Can\'t free "/root/Top" now: it is busy with its children (they are entering, getting ready or leaving). Use queueFree() instead, which frees it at the end of the frame.',
    ]);
    const lone = new FreesParent("Lone");
    top.addChild(lone); // Top is not walking its children now, but its child is entering
    expect(busyErrors().map((e) => e.message)).toEqual([
      'Can\'t free "/root/Top" now: its descendant "/root/Top/Lone" is entering the tree (in _enterTree or a treeEntered handler). Use queueFree() instead, which frees it at the end of the frame.',
    ]);
    expect(top.isInstanceValid()).toBe(true);
  });

  it("from a treeEntered handler, and during propagateNotification, is ERR_BUSY", () => {
    const node = new Node("N");
    node.connect("treeEntered", () => node.free());
    tree.root.addChild(node);
    expect(busyErrors().map((e) => e.code)).toEqual(["ERR_BUSY"]);
    class Notified extends Node {
      override _notification(what: number): void {
        if (what === 1000) this.free();
      }
    }
    const notified = new Notified("M");
    tree.root.addChild(notified);
    notified.propagateNotification(1000);
    expect(busyErrors().map((e) => e.code)).toEqual(["ERR_BUSY"]);
    expect(notified.isInstanceValid()).toBe(true);
  });

  it("queueFree() in _enterTree frees the node at the end of the frame", () => {
    class Queues extends Node {
      override _enterTree(): void {
        this.queueFree();
      }
    }
    const node = new Queues("Q");
    tree.root.addChild(node);
    expect(node.isInstanceValid()).toBe(true);
    tree.step(1 / 60);
    expect(node.isInstanceValid()).toBe(false);
    expect(errors).toEqual([]);
  });

  it("a class's own free() override still runs when its parent is freed", () => {
    const seen: string[] = [];
    class Custom extends Node {
      override free(): void {
        seen.push(`free ${this.name}`);
        super.free();
      }
    }
    const parent = new Node("P");
    const child = new Custom("C");
    child.addChild(new Custom("G"));
    parent.addChild(child);
    parent.free();
    expect(seen).toEqual(["free C", "free G"]);
    expect(child.isInstanceValid()).toBe(false);
  });

  it("free() from the node's own PREDELETE is a no-op, not a second teardown", () => {
    const seen: string[] = [];
    class Again extends Node {
      override _notification(what: number): void {
        if (what !== Node.NOTIFICATION_PREDELETE) return;
        seen.push(this.name);
        this.free();
      }
    }
    const parent = new Again("P");
    parent.addChild(new Again("C"));
    tree.root.addChild(parent);
    parent.free();
    expect(seen).toEqual(["P", "C"]);
    expect(errors).toEqual([]);
  });
});
