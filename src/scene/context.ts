import { describeThrown } from "../core/errors";
import type { MessageQueue } from "./MessageQueue";

export { isThenable } from "./thenable";

/**
 * What an object that belongs to a tree needs from it: somewhere to queue deferred calls and deletions,
 * and somewhere to report errors. Godot has one MessageQueue per process; here each tree has its own,
 * and an object reaches one only through the tree it belongs to (a node: the tree it is in), so two
 * trees in one process never run each other's deferred calls.
 */
export interface TreeContext {
  readonly messageQueue: MessageQueue;
  /** `path` names the source when it was captured earlier (the default is the source's path now). */
  reportError(source: object | null, what: string, error: unknown, path?: string): void;
  queueDelete(object: object): void;
}

/** Reports an error from user code when no tree can take it: print it, as Godot prints script errors. */
export function reportWithoutTree(sourceDescription: string, what: string, error: unknown): void {
  const detail = describeThrown(error, true);
  process.stderr.write(`ERROR: ${what} on ${sourceDescription} threw: ${detail}\n`);
}
