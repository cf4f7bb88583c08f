import { SceneTree } from "../../../src/scene/SceneTree";
import { Node } from "../../../src/scene/Node";

/** The orders the engine walks a subtree in (src/scene/node/walk.ts), seen through Node's API. */
describe("node walks", () => {
  let tree: SceneTree;
  let log: string[];
  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = [];
  });
  afterEach(() => tree.finalize());

  class Walked extends Node {
    visit(tag: string): void {
      log.push(`${tag}${this.name}`);
    }
    override _notification(what: number): void {
      if (what === 9001) log.push(this.name);
    }
  }

  /** R(A(A1, A2), B(B1)), built A, B then moved B first: child order B, A; insertion order A, B. */
  function subtree(): Walked {
    const make = (name: string, ...kids: Node[]) => {
      const node = new Walked(name);
      for (const kid of kids) node.addChild(kid);
      return node;
    };
    const root = make("R", make("A", make("A1"), make("A2")), make("B", make("B1")));
    root.moveChild(root.getNode("B"), 0);
    return root;
  }

  test("findChildren walks in child order, parents first", () => {
    const root = subtree();
    expect(root.findChildren("*", undefined, true, false).map((n) => n.name)).toEqual([
      "B",
      "B1",
      "A",
      "A1",
      "A2",
    ]);
    root.free();
  });

  test("propagateCall: children first by default, parents first on request, in insertion order", () => {
    const root = subtree();
    root.propagateCall("visit", ["-"]);
    expect(log).toEqual(["-A1", "-A2", "-A", "-B1", "-B", "-R"]);
    log.length = 0;
    root.propagateCall("visit", ["+"], true);
    expect(log).toEqual(["+R", "+A", "+A1", "+A2", "+B", "+B1"]);
    root.free();
  });

  test("propagateNotification: parents first, and the walk holds any depth", () => {
    const root = subtree();
    root.propagateNotification(9001);
    expect(log).toEqual(["R", "A", "A1", "A2", "B", "B1"]);
    log.length = 0;
    let deepest: Node = root;
    for (let i = 0; i < 5_000; i++) {
      const next = new Walked(`D${i}`);
      deepest.addChild(next);
      deepest = next;
    }
    root.propagateNotification(9001);
    expect(log).toHaveLength(6 + 5_000);
    expect(log[log.length - 1]).toBe("D4999");
    root.free();
  });

  test("a parent is busy while its children are visited; a throw is reported and the walk goes on", () => {
    const errors: string[] = [];
    const quiet = new SceneTree({ onError: (error) => errors.push(error.message) });
    const root = subtree();
    let refused: unknown = null;
    class Thrower extends Walked {
      override visit(tag: string): void {
        try {
          this.getParent()!.removeChild(this);
        } catch (error) {
          refused = error;
        }
        throw new Error(`boom ${tag}`);
      }
    }
    const a = root.getNode("A");
    a.addChild(new Thrower("T"));
    quiet.root.addChild(root);
    root.propagateCall("visit", ["+"], true);
    expect(refused).toEqual(expect.objectContaining({ code: "ERR_PARENT_BUSY" }));
    expect(errors).toEqual([expect.stringContaining("/root/R/A/T")]);
    expect(log).toEqual(["+R", "+A", "+A1", "+A2", "+B", "+B1"]);
    a.removeChild(a.getNode("T")); // nothing stays blocked
    expect(a.getChildCount()).toBe(2);
    quiet.finalize();
  });
});
