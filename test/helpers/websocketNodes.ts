import { SceneTree, type SceneTreeOptions } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import type { UserCallbackError } from "../../src/core/errors";
import type { GodotObject } from "../../src/scene/GodotObject";
import { startWsServer, until, type TestWsServer, type TestWsServerOptions } from "./netServers";

export const FRAME = 1 / 60;

/** Trees and servers a test made, torn down after it so no handle stays open. */
export class Fixture {
  readonly trees: SceneTree[] = [];
  readonly closers: Array<() => Promise<void> | void> = [];
  readonly errors: UserCallbackError[] = [];

  /** A tree on a fake clock (reconnect backoff and timeouts step exactly); errors are collected. */
  tree(options: SceneTreeOptions = {}): { tree: SceneTree; clock: TestClock } {
    const clock = options.clock instanceof TestClock ? options.clock : new TestClock();
    const tree = new SceneTree({ clock, onError: (error) => this.errors.push(error), ...options });
    this.trees.push(tree);
    return { tree, clock };
  }

  async wsServer(options: TestWsServerOptions = {}): Promise<TestWsServer> {
    const server = await startWsServer(options);
    this.closers.push(() => server.close());
    return server;
  }

  onCleanup(closer: () => Promise<void> | void): void {
    this.closers.push(closer);
  }

  async cleanup(): Promise<void> {
    for (const tree of this.trees.splice(0)) tree.finalize();
    for (const closer of this.closers.splice(0).reverse()) await closer();
    this.errors.length = 0;
  }
}

export type SignalLog = Array<[string, ...unknown[]]>;

/**
 * Records `signals` of `node` into one ordered log; Buffers become their text. `check` runs inside each
 * emission (e.g. to assert that the state already reads the new value).
 */
export function recordSignals(
  node: GodotObject,
  signals: readonly string[],
  log: SignalLog = [],
  check?: (signal: string, args: unknown[]) => void,
): SignalLog {
  for (const signal of signals) {
    (node as unknown as { connect(s: string, f: (...a: unknown[]) => void): void }).connect(
      signal,
      (...args: unknown[]) => {
        check?.(signal, args);
        log.push([signal, ...args.map((a) => (Buffer.isBuffer(a) ? a.toString() : a))]);
      },
    );
  }
  return log;
}

export function names(log: SignalLog): string[] {
  return log.map((entry) => entry[0]);
}

/** Runs frames of the tree (real I/O in between) until `predicate` holds. */
export async function stepUntil(
  tree: SceneTree,
  predicate: () => boolean,
  timeoutMs = 2000,
  what = "condition",
): Promise<void> {
  await until(
    () => {
      tree.step(FRAME);
      return predicate();
    },
    timeoutMs,
    what,
  );
}
