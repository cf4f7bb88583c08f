import { GodotObject, TRY_CONTEXT } from "./GodotObject";
import type { TreeContext } from "./context";
import { signal, type SignalsOf } from "../core/signals/SignalSet";

const sceneTreeTimerSignals = GodotObject.signals.extend({ timeout: signal() });

/** The tree that made a timer (`createTimer`): where its handlers' errors are reported. */
export const TIMER_TREE: unique symbol = Symbol("scenetree.timerTree");

export type SceneTreeTimerSignals = SignalsOf<typeof sceneTreeTimerSignals>;

/**
 * A one-shot timer owned by the tree (`tree.createTimer(seconds)`), Godot's SceneTreeTimer. It counts
 * down after the nodes have processed and emits `timeout` once. Await it with
 * `await once(timer, "timeout")` or `await timer.toPromise()`.
 */
export class SceneTreeTimer extends GodotObject<SceneTreeTimerSignals> {
  static override readonly signals = sceneTreeTimerSignals;

  #timeLeft: number;
  readonly processAlways: boolean;
  readonly processInPhysics: boolean;
  readonly ignoreTimeScale: boolean;
  /** @internal */
  [TIMER_TREE]: TreeContext | null = null;

  constructor(seconds: number, processAlways = true, processInPhysics = false, ignoreTimeScale = false) {
    super();
    this.#timeLeft = seconds;
    this.processAlways = processAlways;
    this.processInPhysics = processInPhysics;
    this.ignoreTimeScale = ignoreTimeScale;
  }

  /**
   * Seconds left, never below 0 (Godot's `get_time_left`); the tree subtracts each step's delta. Godot's
   * `MAX(time_left, 0.0)` is `a > b ? a : b`, so a NaN reads 0 and the timer fires at its next step
   * (`Math.max` would keep the NaN, and a NaN never counts down to <= 0).
   */
  get timeLeft(): number {
    return this.#timeLeft > 0 ? this.#timeLeft : 0;
  }

  set timeLeft(seconds: number) {
    this.#timeLeft = seconds;
  }

  /** @internal */
  override [TRY_CONTEXT](): TreeContext | null {
    return this[TIMER_TREE];
  }

  /** Resolves when the timer times out. */
  toPromise(): Promise<void> {
    return new Promise((resolve) => this.once("timeout", () => resolve()));
  }
}
