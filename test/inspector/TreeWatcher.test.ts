import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import { Timer } from "../../src/nodes/Timer";
import { TreeWatcher } from "../../src/inspector/TreeWatcher";
import type { NodeRow } from "../../src/inspector/protocol";

function setup() {
  const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  const main = new Node("Main");
  const a = new Node("A");
  const b = new Node("B");
  main.addChild(a);
  main.addChild(b);
  a.addChild(new Timer());
  tree.root.addChild(main);
  const watcher = new TreeWatcher(tree);
  return { tree, main, a, b, watcher };
}

/** Rows with type names instead of indices, for readable expectations. */
function named(watcher: TreeWatcher, rows: NodeRow[]) {
  const types = watcher.typeNames();
  return rows.map(([id, parent, name, type]) => [id, parent, name, types[type]]);
}

describe("TreeWatcher", () => {
  it("snapshots the tree in tree order, each row naming its parent", () => {
    const { watcher } = setup();
    expect(named(watcher, watcher.snapshot())).toEqual([
      [1, 0, "root", "Node"],
      [2, 1, "Main", "Node"],
      [3, 2, "A", "Node"],
      [4, 3, "@Timer@2", "Timer"], // Godot's auto-name for an unnamed child
      [5, 2, "B", "Node"],
    ]);
    expect(watcher.takeDiff()).toBeNull();
  });

  it("batches any number of changes into one diff: added, removed, renamed, reordered", () => {
    const { tree, main, a, b, watcher } = setup();
    watcher.snapshot();
    const c = new Node("C");
    c.addChild(new Node("Inner"));
    main.addChild(c);
    b.name = "Bee";
    main.moveChild(c, 0);
    a.queueFree();
    tree.step(0); // the queued free happens at the end of the frame
    const diff = watcher.takeDiff()!;
    expect(diff.removed.sort()).toEqual([3, 4]);
    expect(named(watcher, diff.nodes)).toEqual([
      [6, 2, "C", "Node"],
      [7, 6, "Inner", "Node"],
    ]);
    expect(diff.order).toEqual(expect.arrayContaining([[2, [6, 5]]]));
    expect(diff.names).toEqual([[5, "Bee"]]);
    expect(watcher.takeDiff()).toBeNull(); // taken: nothing left
  });

  it("reports a reparented subtree as moved nodes keeping their ids, with both parents' children", () => {
    const { a, b, watcher } = setup();
    watcher.snapshot();
    a.reparent(b);
    const diff = watcher.takeDiff()!;
    expect(diff.removed).toEqual([]);
    expect(diff.nodes.map(([id, parent]) => [id, parent])).toEqual([
      [3, 5],
      [4, 3],
    ]);
    expect(diff.order).toEqual(
      expect.arrayContaining([
        [2, [5]],
        [5, [3]],
      ]),
    );
  });

  it("reports a move among siblings (moveChild) as the parent's new order", () => {
    const { main, b, watcher } = setup();
    watcher.snapshot();
    main.moveChild(b, 0);
    expect(watcher.takeDiff()).toEqual({ nodes: [], removed: [], order: [[2, [5, 3]]], names: [] });
  });

  it("follows the order of a node once it has two children (one child cannot be reordered)", () => {
    const { a, watcher } = setup();
    watcher.snapshot();
    expect(a.listenerCount("childOrderChanged")).toBe(0);
    const second = new Node("Second");
    a.addChild(second);
    expect(a.listenerCount("childOrderChanged")).toBe(1);
    watcher.takeDiff();
    a.moveChild(second, 0);
    expect(watcher.takeDiff()?.order).toEqual([[3, [6, 4]]]);
  });

  it("forgets a node that was added and freed within one batch", () => {
    const { main, watcher } = setup();
    watcher.snapshot();
    const brief = new Node("Brief");
    main.addChild(brief);
    brief.free();
    expect(watcher.takeDiff()).toEqual({ nodes: [], removed: [], order: [[2, [3, 5]]], names: [] });
  });

  it("tells the owner when something changed, so it never has to poll", () => {
    const { main, watcher } = setup();
    let calls = 0;
    watcher.onChange = () => calls++;
    main.addChild(new Node("X"));
    expect(calls).toBeGreaterThan(0);
  });

  it("sends a new type table when a node of a new type appears", () => {
    const { main, watcher } = setup();
    watcher.snapshot();
    class Bot extends Node {}
    main.addChild(new Bot("Bot"));
    const diff = watcher.takeDiff()!;
    expect(diff.types).toEqual(["Node", "Timer", "Bot"]);
    expect(named(watcher, diff.nodes)).toEqual([[6, 2, "Bot", "Bot"]]);
  });

  it("leaves no listener behind when disposed", () => {
    const { tree, main, a, watcher } = setup();
    expect(tree.listenerCount("nodeAdded")).toBe(1);
    expect(main.listenerCount("childOrderChanged")).toBe(1);
    watcher.dispose();
    expect(tree.listenerCount("nodeAdded")).toBe(0);
    expect(tree.listenerCount("nodeRemoved")).toBe(0);
    expect(tree.listenerCount("nodeRenamed")).toBe(0);
    expect(main.listenerCount("childOrderChanged")).toBe(0);
    expect(a.listenerCount("childOrderChanged")).toBe(0);
  });
});
