import type { EaseType, TransitionType } from "./easing";

// Symbol keys for what the engine calls on tweens and tweeners: kept off the names users see and
// complete in their editor, and not exported from the package.
export const START = Symbol("start");
export const STEP = Symbol("step");
export const STEP_FRAME = Symbol("stepFrame");
export const ATTACH = Symbol("attach");
export const CAN_PROCESS = Symbol("canProcess");
export const CLEAR = Symbol("clear");
/** A tweener's delta left over after its step (Godot's `r_delta` out-parameter). */
export const REST = Symbol("rest");

/** What a tweener needs from the tween it belongs to. */
export interface TweenerHost {
  readonly defaultTrans: TransitionType;
  readonly defaultEase: EaseType;
  /** Reports an error thrown by user code (a setter, a callback) and lets the tween go on. */
  report(what: string, error: unknown): void;
}

/** What a tween bound to a node (`bindNode`) needs of it: a Node, named here so tweens need not import Node. */
export interface TweenNode {
  readonly name: string;
  isInstanceValid(): boolean;
  isInsideTree(): boolean;
  canProcess(): boolean;
  getPath(): string;
}
