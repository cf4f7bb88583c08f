import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { MAX_TREE_STRING_LENGTH } from "../../src/scene/treeString";

/** Far deeper than any recursion the JavaScript stack allows (it overflowed at ~4,500 levels). */
const DEPTH = 100_000;

/** Counts its lifecycle so a 100,000-level walk can be checked without a 100,000-entry log. */
class Counted extends Node {
  static entered = 0;
  static readied = 0;
  static exited = 0;
  static firstEntered: string | null = null;
  static firstReady: string | null = null;
  static lastReady: string | null = null;

  override _enterTree(): void {
    if (Counted.entered++ === 0) Counted.firstEntered = this.name;
  }
  override _ready(): void {
    if (Counted.readied++ === 0) Counted.firstReady = this.name;
    Counted.lastReady = this.name;
  }
  override _exitTree(): void {
    Counted.exited++;
  }

  static reset(): void {
    Counted.entered = Counted.readied = Counted.exited = 0;
    Counted.firstEntered = Counted.firstReady = Counted.lastReady = null;
  }
}

/** A chain `d0/d1/.../d{depth-1}`, built from the bottom so every addChild is O(1). */
function chain(depth: number): { top: Node; leaf: Node } {
  const leaf = new Counted(`d${depth - 1}`);
  let top: Node = leaf;
  for (let i = depth - 2; i >= 0; i--) {
    const parent = new Counted(`d${i}`);
    parent.addChild(top);
    top = parent;
  }
  return { top, leaf };
}

function depthBelow(node: Node): number {
  let depth = 1;
  for (let n = node; n.getChildCount() > 0; n = n.getChild(0)!) depth++;
  return depth;
}

describe(`a tree ${DEPTH} levels deep`, () => {
  let tree: SceneTree;

  beforeEach(() => {
    Counted.reset();
    tree = new SceneTree({ fatalErrors: true });
  });

  afterEach(() => tree.finalize());

  it("enters top-down and readies bottom-up, exits, and enters again", () => {
    const { top, leaf } = chain(DEPTH);
    tree.root.addChild(top);
    expect([Counted.entered, Counted.readied]).toEqual([DEPTH, DEPTH]);
    expect([Counted.firstEntered, Counted.firstReady, Counted.lastReady]).toEqual([
      "d0",
      `d${DEPTH - 1}`,
      "d0",
    ]);
    expect(leaf.isNodeReady()).toBe(true);
    expect(tree.getNodeCount()).toBe(DEPTH + 1);

    let exited = 0;
    leaf.connect("treeExited", () => exited++);
    tree.root.removeChild(top);
    expect([Counted.exited, exited, leaf.isInsideTree()]).toEqual([DEPTH, 1, false]);
    tree.root.addChild(top);
    expect(Counted.entered).toBe(2 * DEPTH);
    tree.step(1 / 60);
    // Nothing was left blocked: the deepest node takes a child.
    leaf.addChild(new Node("Below"));
    expect(leaf.getChild(0)!.isInsideTree()).toBe(true);
  });

  it("has an absolute path, and a tree string over the limit is ERR_LIMIT, not a stack overflow", () => {
    const { top, leaf } = chain(DEPTH);
    tree.root.addChild(top);
    const path = leaf.getPath();
    expect(path.startsWith("/root/d0/d1/d2/")).toBe(true);
    expect(path.endsWith(`/d${DEPTH - 1}`)).toBe(true);
    expect(path.split("/").length).toBe(DEPTH + 2);
    expect(tree.root.getNode(path.slice("/root/".length))).toBe(leaf);
    expect(() => top.getTreeStringPretty()).toThrow(expect.objectContaining({ code: "ERR_LIMIT" }));
    const write = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(() => top.printTreePretty()).toThrow(expect.objectContaining({ code: "ERR_LIMIT" }));
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
    tree.step(1 / 60);
  });

  it("duplicates, and frees the copy", () => {
    const { top } = chain(DEPTH);
    top.addToGroup("deep");
    const copy = top.duplicate();
    expect(depthBelow(copy)).toBe(DEPTH);
    expect(copy.isInGroup("deep")).toBe(true);
    let deepest = copy;
    while (deepest.getChildCount() > 0) deepest = deepest.getChild(0)!;
    expect(deepest.name).toBe(`d${DEPTH - 1}`);
    expect(deepest).toBeInstanceOf(Counted);
    copy.free();
    expect(deepest.isInstanceValid()).toBe(false);
    top.free();
  });

  it("is freed by queueFree at the end of the frame, and by quit()", () => {
    const first = chain(DEPTH);
    tree.root.addChild(first.top);
    first.top.queueFree();
    tree.step(1 / 60);
    expect([first.leaf.isInstanceValid(), Counted.exited]).toEqual([false, DEPTH]);

    const second = chain(DEPTH);
    tree.root.addChild(second.top);
    tree.quit(3);
    tree.step(1 / 60);
    expect(tree.isFinalized()).toBe(true);
    expect(tree.exitCode).toBe(3);
    expect([second.leaf.isInstanceValid(), Counted.exited]).toEqual([false, 2 * DEPTH]);
  });

  it("walks propagateNotification and propagateCall, and pauses", () => {
    const { top, leaf } = chain(DEPTH);
    tree.root.addChild(top);
    let notified = 0;
    let called = 0;
    let paused = 0;
    leaf._notification = (what: number) => {
      if (what === 1000) notified++;
      if (what === Node.NOTIFICATION_PAUSED) paused++;
    };
    (leaf as unknown as { ping: () => void }).ping = () => called++;
    top.propagateNotification(1000);
    top.propagateCall("ping");
    tree.paused = true;
    expect([notified, called, paused]).toEqual([1, 1, 1]);
    expect(leaf.canProcess()).toBe(false);
  });
});

it("draws a deep but not too deep tree in full", () => {
  const depth = 2_000;
  const { top } = chain(depth);
  const lines = top.getTreeStringPretty().split("\n");
  expect(lines.length).toBe(depth + 1); // and the final newline
  expect(lines[0]).toBe(" ┖╴d0");
  expect(lines[depth - 1]).toBe("   ".repeat(depth - 1) + ` ┖╴d${depth - 1}`);
  expect(MAX_TREE_STRING_LENGTH).toBeGreaterThan(3 * depth * depth);
});
