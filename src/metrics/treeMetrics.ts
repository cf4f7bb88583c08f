import { MetricsError } from "./errors";
import { Metrics } from "./Metrics";

/**
 * Registries by tree, kept outside the tree so a tree nobody asks for metrics carries nothing for them.
 * Keyed weakly: a freed tree takes its registry with it.
 */
const registries = new WeakMap<object, Metrics>();

/**
 * Counts the registries trees were given (made or handed over). Something that found no registry for
 * its tree checks this number on its hot path instead of looking again: one comparison, no lookup.
 */
export const registryGeneration = { value: 0 };

/** The registry of `tree` (what `tree.metrics` returns), made on first use. */
export function metricsOf(tree: object): Metrics {
  let metrics = registries.get(tree);
  if (!metrics) {
    metrics = new Metrics();
    registries.set(tree, metrics);
    registryGeneration.value++;
  }
  return metrics;
}

/** True when `tree` has a registry already (it has been read, or given with `useMetrics`). */
export function hasMetrics(tree: object): boolean {
  return registries.has(tree);
}

/**
 * Makes `tree.metrics` return `metrics`: the trees of one worker in a fleet share one registry, so a
 * thousand bots keep one set of histograms, not a thousand. Call it before anything reads
 * `tree.metrics`; giving a tree a second, different registry throws (its samples would be split).
 */
export function useMetrics(tree: object, metrics: Metrics): void {
  const current = registries.get(tree);
  if (current && current !== metrics)
    throw new MetricsError(
      "ERR_METRICS_IN_USE",
      "This tree already has its own metrics registry; call useMetrics(tree, registry) before anything reads tree.metrics.",
    );
  if (current === metrics) return;
  registries.set(tree, metrics);
  registryGeneration.value++;
}
