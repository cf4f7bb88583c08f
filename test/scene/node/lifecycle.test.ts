import { SceneTree } from "../../../src/scene/SceneTree";
import { Node } from "../../../src/scene/Node";

/** Order of enter / ready / exit callbacks over a subtree (src/scene/node/lifecycle.ts). */
describe("node lifecycle order", () => {
  let tree: SceneTree;
  let log: string[];
  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = [];
  });
  afterEach(() => tree.finalize());

  class Traced extends Node {
    override _enterTree(): void {
      log.push(`enter ${this.name}`);
    }
    override _ready(): void {
      log.push(`ready ${this.name}`);
    }
    override _exitTree(): void {
      log.push(`exit ${this.name}`);
    }
  }

  /** P(A(A1, A2), B), every node traced, signals too. */
  function subtree(): Record<string, Node> {
    const nodes: Record<string, Node> = {};
    for (const name of ["P", "A", "A1", "A2", "B"]) {
      const node = (nodes[name] = new Traced(name));
      node.connect("treeEntered", () => log.push(`treeEntered ${name}`));
      node.connect("ready", () => log.push(`readySignal ${name}`));
      node.connect("treeExiting", () => log.push(`treeExiting ${name}`));
      node.connect("treeExited", () => log.push(`treeExited ${name}`));
    }
    nodes.P.addChild(nodes.A);
    nodes.A.addChild(nodes.A1);
    nodes.A.addChild(nodes.A2);
    nodes.P.addChild(nodes.B);
    return nodes;
  }

  test("entering: parents first; ready: children first", () => {
    const { P } = subtree();
    tree.root.addChild(P);
    const enter = log.filter((line) => /^(enter|treeEntered) /.test(line));
    expect(enter).toEqual([
      "enter P",
      "treeEntered P",
      "enter A",
      "treeEntered A",
      "enter A1",
      "treeEntered A1",
      "enter A2",
      "treeEntered A2",
      "enter B",
      "treeEntered B",
    ]);
    const ready = log.filter((line) => /^ready/.test(line));
    expect(ready).toEqual([
      "ready A1",
      "readySignal A1",
      "ready A2",
      "readySignal A2",
      "ready A",
      "readySignal A",
      "ready B",
      "readySignal B",
      "ready P",
      "readySignal P",
    ]);
    expect(log.indexOf("enter B")).toBeLessThan(log.indexOf("ready A1"));
    expect(P.isNodeReady()).toBe(true);
  });

  test("leaving: children first, last child first; treeExited after the whole subtree left", () => {
    const { P } = subtree();
    tree.root.addChild(P);
    log.length = 0;
    tree.root.removeChild(P);
    expect(log).toEqual([
      "exit B",
      "treeExiting B",
      "exit A2",
      "treeExiting A2",
      "exit A1",
      "treeExiting A1",
      "exit A",
      "treeExiting A",
      "exit P",
      "treeExiting P",
      "treeExited B",
      "treeExited A2",
      "treeExited A1",
      "treeExited A",
      "treeExited P",
    ]);
    expect(P.isInsideTree()).toBe(false);
  });

  test("ready runs once unless requested again; re-entering calls enter again", () => {
    const { P, A } = subtree();
    tree.root.addChild(P);
    tree.root.removeChild(P);
    log.length = 0;
    A.requestReady();
    tree.root.addChild(P);
    expect(log.filter((line) => line.startsWith("ready "))).toEqual(["ready A"]);
    expect(log.filter((line) => line.startsWith("enter "))).toEqual([
      "enter P",
      "enter A",
      "enter A1",
      "enter A2",
      "enter B",
    ]);
  });

  test("a child added during its parent's _enterTree enters in the same walk and is ready first", () => {
    class Adds extends Traced {
      override _enterTree(): void {
        super._enterTree();
        if (this.getChildCount() === 0) this.addChild(new Traced("Late"));
      }
    }
    tree.root.addChild(new Adds("P"));
    expect(log).toEqual(["enter P", "enter Late", "ready Late", "ready P"]);
  });

  test("an owner that is no longer an ancestor is cleared when the node leaves", () => {
    const { P, A, A1 } = subtree();
    A1.owner = P;
    tree.root.addChild(P);
    A.removeChild(A1);
    expect(A1.owner).toBeNull();
    expect(A.owner).toBeNull();
  });
});
