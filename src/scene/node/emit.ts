import * as objects from "../GodotObject";
import type { NodeLike } from "./data";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const { hasListeners } = objects;

/** Emits a signal without arguments, allocating nothing when nobody listens (lifecycle signals). */
export function emitNoArgs(node: NodeLike, signal: string): void {
  if (hasListeners(node, signal)) (node.emit as unknown as (event: string) => boolean).call(node, signal);
}

/** Emits `signal(child)`, allocating nothing when nobody listens (`childEnteredTree`…). */
export function emitChild(node: NodeLike, signal: string, child: NodeLike): void {
  if (hasListeners(node, signal)) {
    (node.emit as unknown as (event: string, node: NodeLike) => boolean).call(node, signal, child);
  }
}
