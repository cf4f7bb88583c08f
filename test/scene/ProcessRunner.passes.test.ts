import type { UserCallbackError } from "../../src/core/errors";
import { Node, ProcessMode } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";

// The runner is driven through the tree, whose passes it runs: what it decides shows in which
// callbacks are called, in which order, within one pass.
const FRAME = 1 / 60;
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("ProcessRunner (through SceneTree passes)", () => {
  let tree: SceneTree;
  let errors: UserCallbackError[];
  let log: string[];

  class Worker extends Node {
    onProcess: ((self: Worker) => unknown) | null = null;
    override _process(): unknown {
      log.push(`process ${this.name}`);
      return this.onProcess?.(this);
    }
    override _physicsProcess(): void {
      log.push(`physics ${this.name}`);
    }
  }

  function worker(name: string): Worker {
    const node = new Worker();
    node.name = name;
    tree.root.addChild(node);
    return node;
  }

  beforeEach(() => {
    errors = [];
    log = [];
    tree = new SceneTree({ onError: (e) => errors.push(e) });
  });
  afterEach(() => tree.finalize());

  test("physics then idle, each over the processing nodes in tree order", () => {
    worker("A");
    worker("B");
    tree.step(FRAME);
    expect(log).toEqual(["physics A", "physics B", "process A", "process B"]);
  });

  test("a node turned off or removed earlier in the same pass is skipped in that pass", () => {
    const a = worker("A");
    const b = worker("B");
    const c = worker("C");
    a.onProcess = () => {
      b.setProcess(false);
      tree.root.removeChild(c);
    };
    tree.step(FRAME);
    expect(log.filter((l) => l.startsWith("process"))).toEqual(["process A"]);
    c.free();
  });

  test("a node turned on again later runs again; a pause re-plans the rest of the pass", () => {
    const a = worker("A");
    const b = worker("B");
    b.setProcess(false);
    tree.step(FRAME);
    b.setProcess(true);
    a.onProcess = () => {
      tree.paused = true;
    };
    log = [];
    tree.step(FRAME);
    expect(log.filter((l) => l.startsWith("process"))).toEqual(["process A"]);
    b.processMode = ProcessMode.ALWAYS;
    log = [];
    tree.step(FRAME);
    expect(log).toEqual(["physics B", "process B"]);
  });

  test("a throwing callback is reported with its path and the pass goes on; so is a rejected promise", async () => {
    worker("A").onProcess = () => {
      throw new Error("boom");
    };
    worker("B").onProcess = async () => {
      await null;
      throw new Error("later");
    };
    worker("C");
    tree.step(FRAME);
    await settle();
    expect(log.filter((l) => l.startsWith("process"))).toEqual(["process A", "process B", "process C"]);
    expect(errors.map((e) => `${e.callback}@${e.nodePath}: ${(e.cause as Error).message}`)).toEqual([
      "_process@/root/A: boom",
      "_process@/root/B: later",
    ]);
  });
});
