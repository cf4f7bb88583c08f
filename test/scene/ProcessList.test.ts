import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";

class Tracer extends Node {
  constructor(
    name: string,
    private readonly trace: string[],
  ) {
    super(name);
  }
  override _process(): void {
    this.trace.push(this.name);
  }
}

describe("ProcessList", () => {
  // A list keeps a few members in an array and moves them to a Set past that: both must give the same order.
  it.each([3, 8, 9, 20])(
    "with %i processing nodes: priority order, ties in tree order, as they join and leave",
    (count) => {
      const tree = new SceneTree();
      const trace: string[] = [];
      const nodes: Tracer[] = [];
      for (let i = 0; i < count; i++) {
        const node = new Tracer(`N${i}`, trace);
        node.processPriority = i % 3 === 0 ? -1 : 0;
        tree.root.addChild(node);
        nodes.push(node);
      }
      const expected = (live: Tracer[]): string[] => [
        ...live.filter((n) => n.processPriority === -1).map((n) => n.name),
        ...live.filter((n) => n.processPriority === 0).map((n) => n.name),
      ];
      tree.step(1 / 60);
      expect(trace).toEqual(expected(nodes));

      const left = nodes.filter((_, i) => i % 2 === 1);
      for (const node of left) node.setProcess(false);
      tree.root.removeChild(nodes[0]);
      const live = nodes.filter((n, i) => i !== 0 && !left.includes(n));
      trace.length = 0;
      tree.step(1 / 60);
      expect(trace).toEqual(expected(live));

      for (const node of left) node.setProcess(true);
      trace.length = 0;
      tree.step(1 / 60);
      expect(trace).toEqual(expected(nodes.slice(1)));
      nodes[0].free();
      tree.finalize();
    },
  );
});
