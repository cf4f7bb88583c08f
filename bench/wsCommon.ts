/** Helpers shared by the WebSocket benchmarks. */
import type { ClientKind } from "./clients";

export interface BenchOptions {
  /** Fewer repeats and smaller counts: the whole run in under a minute. */
  quick?: boolean;
  /** Tiny counts for the smoke test: proves the scenario works, measures nothing. */
  tiny?: boolean;
  /** Only these clients (raw ws is always kept as the baseline). For profiling one client. */
  only?: ClientKind[];
}

/** The kinds a run measures: `only` (plus ws, the baseline) or all of `kinds`. */
export function selectKinds(kinds: readonly ClientKind[], options: BenchOptions): ClientKind[] {
  if (!options.only) return [...kinds];
  return kinds.filter((kind) => kind === "ws" || options.only?.includes(kind));
}

/** Options of a scenario run from the command line: `--quick`, `--only=scenetree,partysocket`. */
export function cliOptions(argv: string[] = process.argv): BenchOptions {
  const only = argv.find((a) => a.startsWith("--only="));
  return {
    quick: argv.includes("--quick"),
    only: only ? (only.slice("--only=".length).split(",") as ClientKind[]) : undefined,
  };
}

/** Runs a scenario as a script: prints its report, or the error with exit code 1. */
export function runStandalone<R>(main: (o: BenchOptions) => Promise<R>, report: (r: R) => string): void {
  main(cliOptions()).then(
    (result) => console.log(report(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Rejects with a clear message when `promise` takes longer than `ms`; never leaves a timer behind. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The kinds in a different order each round, so drifting machine load does not favour one of them. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function ms(ns: bigint): number {
  return Number(ns) / 1e6;
}

/** "1.02x" or "–" when there is nothing to compare. */
export function ratio(value: number | undefined, baseline: number | undefined): string {
  if (
    value === undefined ||
    baseline === undefined ||
    !isFinite(value) ||
    !isFinite(baseline) ||
    baseline === 0
  )
    return "–";
  return `${(value / baseline).toFixed(2)}x`;
}

/** min–max of repeated measurements: how noisy a median was. */
export function spread(values: readonly number[], digits = 0): string {
  if (values.length < 2) return "–";
  const min = Math.min(...values);
  const max = Math.max(...values);
  return `${min.toFixed(digits)}–${max.toFixed(digits)}`;
}

export type PerKind<T> = Partial<Record<ClientKind, T>>;
