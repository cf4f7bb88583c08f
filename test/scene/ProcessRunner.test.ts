import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { INTERNAL_PROCESS } from "../../src/scene/node/data";

/** Records its callback and its internal processing; `before` runs first in its `_process`. */
class Probe extends Node {
  before: (() => void) | null = null;
  constructor(
    name: string,
    private readonly record: string[],
  ) {
    super(name);
  }
  override _process(): void {
    this.record.push(`${this.name}`);
    this.before?.();
  }
  override [INTERNAL_PROCESS](): void {
    this.record.push(`${this.name}:internal`);
  }
}

// The runner plans what each node runs and patches the plan when a node earlier in the same pass
// changes a later one: these pin down that the patched entry is what runs.
describe("ProcessRunner", () => {
  let tree: SceneTree;
  let log: string[];
  let a: Probe;
  let b: Probe;

  beforeEach(() => {
    tree = new SceneTree();
    log = [];
    a = new Probe("A", log);
    b = new Probe("B", log);
    tree.root.addChild(a);
    tree.root.addChild(b);
    a.setProcess(true);
    b.setProcess(true);
  });

  afterEach(() => tree.finalize());

  test("a node turned off earlier in the pass is skipped in that pass", () => {
    a.before = () => b.setProcess(false);
    tree.step(1 / 60);
    expect(log).toEqual(["A"]);
  });

  test("internal processing turned on earlier in the pass runs first, then the callback", () => {
    tree.step(1 / 60);
    log.length = 0;
    a.before = () => b.setProcessInternal(true);
    tree.step(1 / 60);
    expect(log).toEqual(["A", "B:internal", "B"]);
  });

  test("internal processing turned off earlier in the pass leaves the callback alone", () => {
    b.setProcessInternal(true);
    tree.step(1 / 60);
    expect(log).toEqual(["A", "B:internal", "B"]);
    log.length = 0;
    a.before = () => b.setProcessInternal(false);
    tree.step(1 / 60);
    expect(log).toEqual(["A", "B"]);
    log.length = 0;
    a.before = null;
    tree.step(1 / 60);
    expect(log).toEqual(["A", "B"]);
  });

  test("a throwing callback is reported and the pass goes on with the next node", () => {
    const errors: string[] = [];
    const reporting = new SceneTree({ onError: (e) => errors.push(e.message) });
    const order: string[] = [];
    const x = new Probe("X", order);
    const y = new Probe("Y", order);
    x.before = () => {
      throw new Error("boom");
    };
    reporting.root.addChild(x);
    reporting.root.addChild(y);
    x.setProcess(true);
    y.setProcess(true);
    reporting.step(1 / 60);
    reporting.step(1 / 60);
    expect(order).toEqual(["X", "Y", "X", "Y"]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain("boom");
    reporting.finalize();
  });
});
