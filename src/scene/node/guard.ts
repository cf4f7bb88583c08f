import { TRY_CONTEXT, describeObject, reportObjectError } from "../GodotObject";
import { reportWithoutTree } from "../context";
import { isThenable } from "../thenable";
import type { NodeLike } from "./data";

/**
 * Calls a user callback of `node` (a virtual such as `_ready`) without allocating; a throw is
 * reported with the node's path, not thrown, and so is the rejection of the promise an async one returns.
 */
export function guard(node: NodeLike, what: string, method: (this: NodeLike) => unknown): void {
  let result: unknown;
  try {
    result = method.call(node);
  } catch (error) {
    reportObjectError(node, what, error);
    return;
  }
  if (result !== undefined) reportRejection(node, what, result);
}

/** Sends notification `what` to `node._notification`, guarded as `guard`; `label` names it in reports. */
export function notify(node: NodeLike, what: number, label: string): void {
  let result: unknown;
  try {
    result = node._notification(what);
  } catch (error) {
    reportObjectError(node, `_notification(${label})`, error);
    return;
  }
  if (result !== undefined) reportRejection(node, `_notification(${label})`, result);
}

/**
 * A lifecycle callback returned a promise: its rejection is reported with the path the node had when
 * the callback ran (after `_exitTree` the node is no longer where it was).
 */
function reportRejection(node: NodeLike, what: string, result: unknown): void {
  if (!isThenable(result)) return;
  const path = describeObject(node);
  const context = node[TRY_CONTEXT]();
  result.then(undefined, (error: unknown) => {
    if (context) context.reportError(node, what, error, path);
    else reportWithoutTree(path, what, error);
  });
}
