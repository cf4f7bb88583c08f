import { MetricsError } from "./errors";
import { Metrics } from "./Metrics";

/**
 * @internal Where a SceneTree keeps its registry: a field the tree declares (null until it has one), so
 * giving each tree of a fleet the worker's registry and finding it again cost a field access, not a
 * WeakMap insertion and lookups (about a microsecond each, for every tree). Other objects' registries
 * are kept in `registries`.
 */
export const REGISTRY: unique symbol = Symbol("scenetree.metricsRegistry");

type Holder = { [REGISTRY]?: Metrics | null };

/**
 * Registries of objects without a {@link REGISTRY} field, kept outside them so an object nobody asks for
 * metrics carries nothing for them. Keyed weakly: a freed object takes its registry with it.
 */
const registries = new WeakMap<object, Metrics>();

function registryOf(tree: object): Metrics | undefined {
  const held = (tree as Holder)[REGISTRY];
  return held === undefined ? registries.get(tree) : (held ?? undefined);
}

function setRegistry(tree: object, metrics: Metrics): void {
  if (REGISTRY in tree) (tree as Holder)[REGISTRY] = metrics;
  else registries.set(tree, metrics);
}

/**
 * Counts the registries trees were given (made or handed over). Something that found no registry for
 * its tree checks this number on its hot path instead of looking again: one comparison, no lookup.
 */
export const registryGeneration = { value: 0 };

/** The registry of `tree` (what `tree.metrics` returns), made on first use. */
export function metricsOf(tree: object): Metrics {
  let metrics = registryOf(tree);
  if (!metrics) {
    metrics = new Metrics();
    setRegistry(tree, metrics);
    registryGeneration.value++;
  }
  return metrics;
}

/** True when `tree` has a registry already (it has been read, or given with `useMetrics`). */
export function hasMetrics(tree: object): boolean {
  return registryOf(tree) !== undefined;
}

/**
 * Makes `tree.metrics` return `metrics`: the trees of one worker in a fleet share one registry, so a
 * thousand bots keep one set of histograms, not a thousand. Call it before anything reads
 * `tree.metrics`; giving a tree a second, different registry throws (its samples would be split).
 */
export function useMetrics(tree: object, metrics: Metrics): void {
  const current = registryOf(tree);
  if (current && current !== metrics)
    throw new MetricsError(
      "ERR_METRICS_IN_USE",
      "This tree already has its own metrics registry; call useMetrics(tree, registry) before anything reads tree.metrics.",
    );
  if (current === metrics) return;
  setRegistry(tree, metrics);
  registryGeneration.value++;
}
