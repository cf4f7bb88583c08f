import { SceneTree } from "../../src/scene/SceneTree";
import { MetricsError } from "../../src/metrics/errors";
import { Metrics } from "../../src/metrics/Metrics";
import { hasMetrics, useMetrics } from "../../src/metrics/treeMetrics";

test("tree.metrics is made when first read, then always the same registry", () => {
  const tree = new SceneTree();
  expect(hasMetrics(tree)).toBe(false);
  const metrics = tree.metrics;
  expect(metrics).toBeInstanceOf(Metrics);
  expect(hasMetrics(tree)).toBe(true);
  expect(tree.metrics).toBe(metrics);
  expect(new SceneTree().metrics).not.toBe(metrics);
  tree.root.getTree().metrics.counter("from_a_node").add(1);
  expect(metrics.counter("from_a_node").count).toBe(1);
  tree.finalize();
});

test("useMetrics: trees of a fleet share one registry", () => {
  const shared = new Metrics();
  const a = new SceneTree();
  const b = new SceneTree();
  useMetrics(a, shared);
  useMetrics(b, shared);
  a.metrics.counter("bots").add(1);
  b.metrics.counter("bots").add(1);
  expect(shared.counter("bots").count).toBe(2);
  useMetrics(a, shared); // the same one again is fine
  a.finalize();
  b.finalize();
});

test("useMetrics after the tree made its own registry throws: samples would be split", () => {
  const tree = new SceneTree();
  void tree.metrics;
  expect(() => useMetrics(tree, new Metrics())).toThrow(MetricsError);
  try {
    useMetrics(tree, new Metrics());
  } catch (error) {
    expect((error as MetricsError).code).toBe("ERR_METRICS_IN_USE");
  }
  tree.finalize();
});
