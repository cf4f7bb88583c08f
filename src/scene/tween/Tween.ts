import { signal, type SignalsOf } from "../../core/signals/SignalSet";
import { Callable } from "../Callable";
import { DESCRIBE, GodotObject, TRY_CONTEXT } from "../GodotObject";
import { SceneTreeError } from "../../core/errors";
import type { TreeContext } from "../context";
import { EaseType, TransitionType } from "./easing";
import { ATTACH, CAN_PROCESS, CLEAR, REST, START, STEP, STEP_FRAME, type TweenerHost } from "./internal";
import { PropertyPath } from "./propertyPath";
import type { TweenNode } from "./internal";
import {
  CallbackTweener,
  IntervalTweener,
  MethodTweener,
  PropertyTweener,
  checkEase,
  checkTime,
  checkTrans,
  type TweenCallback,
  type Tweener,
} from "./tweeners";
import { assertSameShape, assertTweenable, interpolateValue, isEqualApprox, type TweenValue } from "./values";

/** Godot's `Tween.TweenProcessMode`, same values. */
export enum TweenProcessMode {
  PHYSICS = 0,
  IDLE = 1,
}

/** Godot's `Tween.TweenPauseMode`, same values. */
export enum TweenPauseMode {
  /** Follows the bound node's process mode; an unbound tween behaves as STOP. */
  BOUND = 0,
  /** Stops while the tree is paused. */
  STOP = 1,
  /** Runs while the tree is paused too. */
  PROCESS = 2,
}

const tweenSignals = GodotObject.signals.extend({
  /** A step (the tweeners run together) finished; `idx` is its index. */
  stepFinished: signal<[idx: number]>("idx"),
  /** A loop finished, when looping; `loopCount` loops are done. */
  loopFinished: signal<[loopCount: number]>("loopCount"),
  /** Every loop finished (never emitted by an infinite tween). */
  finished: signal(),
});

export type TweenSignals = SignalsOf<typeof tweenSignals>;

const INVALID =
  "Tween invalid. Either finished or created outside scene tree: use tree.createTween() or node.createTween().";

/**
 * Godot 4's `Tween`, made by `tree.createTween()` or `node.createTween()` (bound to the node: it stops
 * with the node's pause and dies with it). Append tweeners (`tweenProperty`, `tweenInterval`,
 * `tweenCallback`, `tweenMethod`); they run one after another, or together after `parallel()` /
 * `setParallel()`. The tree steps tweens right after its timers, in the idle or physics step.
 * It starts on the next step and is gone (`isValid()` false) once it finished or was killed.
 */
export class Tween extends GodotObject<TweenSignals> {
  static override readonly signals = tweenSignals;

  static readonly TweenProcessMode = TweenProcessMode;
  static readonly TweenPauseMode = TweenPauseMode;
  static readonly TransitionType = TransitionType;
  static readonly EaseType = EaseType;

  /** Godot's `Tween.interpolate_value`: `initial + delta` eased at `elapsed` of `duration`. */
  static interpolateValue(
    initial: TweenValue,
    delta: TweenValue,
    elapsed: number,
    duration: number,
    trans: TransitionType,
    ease: EaseType,
  ): TweenValue {
    assertTweenable(initial, "initial");
    assertTweenable(delta, "delta");
    assertSameShape(initial, delta);
    return interpolateValue(initial, delta, elapsed, duration, checkTrans(trans), checkEase(ease));
  }

  private tree: TreeContext | null = null;
  private steps: Tweener[][] = [];
  private currentStep = -1;
  private loops = 1;
  private loopsDone = 0;
  private speedScale = 1;
  private ignoreTimeScale = false;
  private processMode = TweenProcessMode.IDLE;
  private pauseMode = TweenPauseMode.BOUND;
  private boundNode: TweenNode | null = null;
  private totalTime = 0;
  private started = false;
  private running = true;
  private dead = false;
  private valid = false;
  private defaultParallel = false;
  private parallelEnabled = false;
  private readonly host: TweenerHost & { defaultTrans: TransitionType; defaultEase: EaseType };

  /** A tween made with `new` is invalid, as in Godot: use `createTween()`. */
  constructor() {
    super();
    this.host = {
      defaultTrans: TransitionType.LINEAR,
      defaultEase: EaseType.IN_OUT,
      report: (what, error) => this.report(what, error),
    };
  }

  /** @internal Called by the tree that processes this tween. */
  [ATTACH](tree: TreeContext): void {
    this.tree = tree;
    this.valid = true;
  }

  // ---------------------------------------------------------------- tweeners

  /**
   * Animates `object[property]` (or a component, `"position:x"`) to `finalVal` over `duration` seconds,
   * from its value when this step starts. Values are numbers or objects of numbers such as `{ x, y }`.
   */
  tweenProperty<T extends object>(
    object: T,
    property: (keyof T & string) | `${string}:${string}`,
    finalVal: TweenValue,
    duration: number,
  ): PropertyTweener {
    if (typeof object !== "object" || object === null) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "tweenProperty() needs an object.");
    }
    this.checkAppendable();
    const path = new PropertyPath(property);
    if (!path.existsOn(object)) {
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        `The tweened property "${property}" does not exist in object "${describeTarget(object)}".`,
      );
    }
    assertTweenable(finalVal, "The final value");
    const current = path.get(object);
    assertTweenable(current, `Property "${property}"`);
    assertSameShape(current, finalVal);
    return this.append(new PropertyTweener(object, path, finalVal, checkTime(duration, "duration")));
  }

  /** Waits `time` seconds. */
  tweenInterval(time: number): IntervalTweener {
    this.checkAppendable();
    return this.append(new IntervalTweener(checkTime(time, "time")));
  }

  /** Calls `callback` once. */
  tweenCallback(callback: TweenCallback): CallbackTweener {
    this.checkAppendable();
    checkCallback(callback);
    return this.append(new CallbackTweener(callback));
  }

  /** Calls `method` with a value eased from `from` to `to` over `duration` seconds, every step. */
  tweenMethod<V extends TweenValue>(
    method: TweenCallback<[V]>,
    from: V,
    to: V,
    duration: number,
  ): MethodTweener {
    this.checkAppendable();
    checkCallback(method);
    assertTweenable(from, "from");
    assertTweenable(to, "to");
    assertSameShape(from, to);
    return this.append(
      new MethodTweener(method as TweenCallback<[TweenValue]>, from, to, checkTime(duration, "duration")),
    );
  }

  private append<T extends Tweener>(tweener: T): T {
    tweener[ATTACH](this.host);
    if (this.parallelEnabled) this.currentStep = Math.max(this.currentStep, 0);
    else this.currentStep++;
    this.parallelEnabled = this.defaultParallel;
    (this.steps[this.currentStep] ??= []).push(tweener);
    return tweener;
  }

  private checkAppendable(): void {
    if (!this.valid) throw new SceneTreeError("ERR_TWEEN_INVALID", INVALID);
    if (this.started) {
      throw new SceneTreeError(
        "ERR_TWEEN_STARTED",
        "Can't append to a Tween that has started. Use stop() first.",
      );
    }
  }

  // ---------------------------------------------------------------- control

  /** Steps the tween by `delta` seconds now, even when paused; returns whether it still runs. */
  customStep(delta: number): boolean {
    const wasRunning = this.running;
    this.running = true;
    const result = this[STEP](delta);
    this.running = this.running && wasRunning; // the tween may have finished
    return result;
  }

  /** Stops and resets: `play()` starts it again from the first step. */
  stop(): void {
    this.stopInternal(true);
  }

  /** Pauses; `play()` resumes where it was. */
  pause(): void {
    this.stopInternal(false);
  }

  play(): void {
    if (!this.valid) throw new SceneTreeError("ERR_TWEEN_INVALID", INVALID);
    if (this.dead) {
      throw new SceneTreeError(
        "ERR_TWEEN_INVALID",
        "Can't play finished Tween, use stop() first to reset its state.",
      );
    }
    this.running = true;
  }

  /** Aborts every tweener; the tween is discarded at its next step. */
  kill(): void {
    this.running = false;
    this.dead = true;
  }

  isRunning(): boolean {
    return this.running;
  }

  /** False once the tween finished or was killed and the tree discarded it (or if made with `new`). */
  isValid(): boolean {
    return this.valid;
  }

  /** Seconds the tween has run, speed scale applied (Godot's `get_total_elapsed_time`). */
  getTotalElapsedTime(): number {
    return this.totalTime;
  }

  /** Loops still to run; -1 for an infinite tween. */
  getLoopsLeft(): number {
    return this.loops <= 0 ? -1 : this.loops - this.loopsDone;
  }

  // ---------------------------------------------------------------- settings (chainable)

  /** Binds the tween to `node`: it runs only while the node is in the tree, and dies with it. */
  bindNode(node: TweenNode): this {
    this.boundNode = node;
    return this;
  }

  setProcessMode(mode: TweenProcessMode): this {
    if (mode !== TweenProcessMode.IDLE && mode !== TweenProcessMode.PHYSICS) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid tween process mode: ${mode}.`);
    }
    this.processMode = mode;
    return this;
  }

  setPauseMode(mode: TweenPauseMode): this {
    if (!(mode in TweenPauseMode) || typeof mode !== "number") {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid tween pause mode: ${mode}.`);
    }
    this.pauseMode = mode;
    return this;
  }

  /** Steps with the frame's real delta, not scaled by `tree.timeScale`. */
  setIgnoreTimeScale(ignore = true): this {
    this.ignoreTimeScale = ignore;
    return this;
  }

  /** Makes every following tweener run together with the previous one (`chain()` breaks a run). */
  setParallel(parallel = true): this {
    this.defaultParallel = parallel;
    this.parallelEnabled = parallel;
    return this;
  }

  /** Runs the steps `loops` times; 0 loops forever. */
  setLoops(loops = 0): this {
    if (!Number.isInteger(loops))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid loop count: ${loops}.`);
    this.loops = loops;
    return this;
  }

  /** Multiplies every delta (a 32-bit float, as Godot's). */
  setSpeedScale(speed: number): this {
    if (!Number.isFinite(speed))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid speed scale: ${speed}.`);
    this.speedScale = Math.fround(speed);
    return this;
  }

  /** Default transition of the property and method tweeners appended after this call. */
  setTrans(trans: TransitionType): this {
    this.host.defaultTrans = checkTrans(trans);
    return this;
  }

  /** Default ease of the property and method tweeners appended after this call. */
  setEase(ease: EaseType): this {
    this.host.defaultEase = checkEase(ease);
    return this;
  }

  /** The next tweener runs together with the previous one. */
  parallel(): this {
    this.parallelEnabled = true;
    return this;
  }

  /** The next tweener runs after the previous one (undoes `setParallel` for one append). */
  chain(): this {
    this.parallelEnabled = false;
    return this;
  }

  // ---------------------------------------------------------------- stepping (tween.cpp's step)

  /**
   * @internal Whether the tree's idle (`physics` false) or physics step should step this tween now:
   * Godot's `can_process` and the process mode check of `SceneTree::process_tweens`.
   */
  [CAN_PROCESS](treePaused: boolean, physics: boolean): boolean {
    if (physics !== (this.processMode === TweenProcessMode.PHYSICS)) return false;
    const node = this.boundNode;
    if (node && this.pauseMode === TweenPauseMode.BOUND && node.isInstanceValid()) {
      return node.isInsideTree() && node.canProcess();
    }
    return !treePaused || this.pauseMode === TweenPauseMode.PROCESS;
  }

  /** @internal One step of the tree's: `scaled` is the delta after `tree.timeScale`, `unscaled` before. */
  [STEP_FRAME](scaled: number, unscaled: number): boolean {
    return this[STEP](this.ignoreTimeScale ? unscaled : scaled);
  }

  /** @internal Advances by `delta`; false when the tree should discard the tween. */
  [STEP](delta: number): boolean {
    if (this.dead) return false;
    const node = this.boundNode;
    if (node) {
      if (!node.isInstanceValid()) return false;
      if (!node.isInsideTree()) return true;
    }
    if (!this.running) return true;
    if (!this.started) {
      if (this.steps.length === 0) {
        this.report(
          "Tween step",
          new SceneTreeError("ERR_TWEEN_INVALID", `${this[DESCRIBE]()}: started with no Tweeners.`),
        );
        return false;
      }
      this.currentStep = 0;
      this.loopsDone = 0;
      this.totalTime = 0;
      this.startTweeners();
      this.started = true;
    }

    let rest = delta * this.speedScale;
    this.totalTime += rest;
    const initialDelta = rest;
    let potentialInfinite = false;
    while (rest > 0 && this.running) {
      let stepDelta = rest;
      let active = false;
      for (const tweener of this.steps[this.currentStep]) {
        active = tweener[STEP](rest) || active;
        stepDelta = Math.min(tweener[REST], stepDelta);
      }
      rest = stepDelta;
      if (active) continue;
      this.emitSignal("stepFinished", this.currentStep);
      this.currentStep++;
      if (this.currentStep < this.steps.length) {
        this.startTweeners();
        continue;
      }
      this.loopsDone++;
      if (this.loopsDone === this.loops) {
        this.running = false;
        this.dead = true;
        this.emitSignal("finished");
        break;
      }
      this.emitSignal("loopFinished", this.loopsDone);
      this.currentStep = 0;
      this.startTweeners();
      if (this.loops <= 0 && isEqualApprox(rest, initialDelta)) {
        // Two loops in one step without using any time: it would never end.
        if (potentialInfinite) {
          this.report(
            "Tween step",
            new SceneTreeError(
              "ERR_TWEEN_INVALID",
              `${this[DESCRIBE]()}: infinite loop detected (every step takes no time); give setLoops() a count.`,
            ),
          );
          return false;
        }
        potentialInfinite = true;
      }
    }
    return true;
  }

  /** @internal The tree discarded this tween. */
  [CLEAR](): void {
    this.valid = false;
    this.steps = [];
  }

  private startTweeners(): void {
    const step = this.steps[this.currentStep];
    if (!step || step.length === 0) return;
    for (const tweener of step) tweener[START]();
  }

  private stopInternal(reset: boolean): void {
    this.running = false;
    if (reset) {
      this.started = false;
      this.dead = false;
      this.totalTime = 0;
    }
  }

  private report(what: string, error: unknown): void {
    const source = this.boundNode?.isInstanceValid() ? this.boundNode : this;
    const tree = this.tree ?? this[TRY_CONTEXT]();
    if (tree) tree.reportError(source, what, error);
    else throw error;
  }

  /** @internal */
  override [DESCRIBE](): string {
    const node = this.boundNode;
    if (!node || !node.isInstanceValid()) return "Tween";
    return `Tween (bound to ${node.isInsideTree() ? node.getPath() : node.name})`;
  }

  /** @internal */
  override [TRY_CONTEXT](): TreeContext | null {
    return this.tree;
  }
}

function checkCallback(callback: unknown): void {
  if (typeof callback !== "function" && !(callback instanceof Callable)) {
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", "A tween callback must be a function or a Callable.");
  }
}

function describeTarget(object: object): string {
  return object instanceof GodotObject ? object[DESCRIBE]() : object.constructor.name;
}
