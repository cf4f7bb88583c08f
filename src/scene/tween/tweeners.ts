import { signal, type SignalsOf } from "../../core/signals/SignalSet";
import { Callable } from "../Callable";
import { GodotObject } from "../GodotObject";
import { SceneTreeError } from "../../core/errors";
import { isEaseType, isTransitionType, type EaseType, type TransitionType } from "./easing";
import { ATTACH, REST, START, STEP, type TweenerHost } from "./internal";
import type { PropertyPath } from "./propertyPath";
import {
  addValues,
  assertSameShape,
  assertTweenable,
  copyValue,
  interpolateValue,
  isZeroApprox,
  subtractValues,
  type TweenValue,
} from "./values";

const tweenerSignals = GodotObject.signals.extend({ finished: signal() });

export type TweenerSignals = SignalsOf<typeof tweenerSignals>;

/** A function or a `Callable` a tween calls. */
export type TweenCallback<A extends unknown[] = []> = ((...args: A) => unknown) | Callable;

/**
 * Godot's `callback.is_valid()` check at each step of a callback or method tweener: a Callable whose
 * target was freed or has no such method ends the tweener silently, with no time used.
 */
function isAlive(callback: TweenCallback<never[]>): boolean {
  return !(callback instanceof Callable) || callback.isValid();
}

function invoke(callback: TweenCallback<unknown[]>, args: unknown[]): void {
  if (callback instanceof Callable) callback.call(...args);
  else callback(...args);
}

function checkTrans(trans: TransitionType): TransitionType {
  if (!isTransitionType(trans))
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid transition type: ${trans}.`);
  return trans;
}

function checkEase(ease: EaseType): EaseType {
  if (!isEaseType(ease)) throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid ease type: ${ease}.`);
  return ease;
}

function checkTime(seconds: number, what: string): number {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) {
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", `${what} must be a finite number >= 0, got ${seconds}.`);
  }
  return seconds;
}

/**
 * Godot's `Tweener`: one animation step of a Tween, made by the tween's `tween*` methods. It emits
 * `finished` when it is done.
 */
export abstract class Tweener extends GodotObject<TweenerSignals> {
  static override readonly signals = tweenerSignals;

  protected elapsedTime = 0;
  protected done = false;
  protected host: TweenerHost | null = null;
  /** @internal */ [REST] = 0;

  /** @internal */
  [ATTACH](host: TweenerHost): void {
    this.host = host;
  }

  /** @internal */
  [START](): void {
    this.elapsedTime = 0;
    this.done = false;
  }

  /** @internal Advances by `delta`; false once finished. The unused delta is left in `[REST]`. */
  abstract [STEP](delta: number): boolean;

  protected finish(): void {
    this.done = true;
    this.emitSignal("finished");
  }

  protected guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.host!.report(what, error);
    }
  }
}

/** Godot's `PropertyTweener`, from `tween.tweenProperty(object, property, finalVal, duration)`. */
/**
 * What the interpolating tweeners share: a transition, an easing (the tween's defaults unless set) and a
 * start delay.
 */
export abstract class EasedTweener extends Tweener {
  protected trans: TransitionType | null = null;
  protected ease: EaseType | null = null;
  protected delay = 0;

  setTrans(trans: TransitionType): this {
    this.trans = checkTrans(trans);
    return this;
  }

  setEase(ease: EaseType): this {
    this.ease = checkEase(ease);
    return this;
  }

  /** Waits `delay` seconds before starting. */
  setDelay(delay: number): this {
    this.delay = checkTime(delay, "delay");
    return this;
  }

  /** @internal */
  override [ATTACH](host: TweenerHost): void {
    super[ATTACH](host);
    this.trans ??= host.defaultTrans;
    this.ease ??= host.defaultEase;
  }
}

export class PropertyTweener extends EasedTweener {
  private initialVal: TweenValue;
  private readonly baseFinalVal: TweenValue;
  private finalVal: TweenValue;
  private deltaVal: TweenValue = 0;
  private doContinue = true;
  private doContinueDelayed = false;
  private relative = false;

  /** @internal Use `tween.tweenProperty()`. */
  constructor(
    private readonly target: object,
    private readonly property: PropertyPath,
    to: TweenValue,
    private readonly duration: number,
  ) {
    super();
    this.initialVal = this.read();
    this.baseFinalVal = copyValue(to);
    this.finalVal = this.baseFinalVal;
  }

  /** Starts from `value` instead of the property's value when the tweener starts. */
  from(value: TweenValue): this {
    assertTweenable(value, "from()'s value");
    assertSameShape(value, this.finalVal);
    this.initialVal = copyValue(value);
    this.doContinue = false;
    return this;
  }

  /** Starts from the property's value now, when the tweener is made, instead of when it starts. */
  fromCurrent(): this {
    this.doContinue = false;
    return this;
  }

  /** Makes the final value relative: the tween adds it to the starting value. */
  asRelative(): this {
    this.relative = true;
    return this;
  }

  /** @internal */
  override [START](): void {
    super[START]();
    if (!this.targetAlive()) return; // Godot warns and lets the step finish the tweener
    if (this.doContinue) {
      if (isZeroApprox(this.delay)) this.readInitial();
      else this.doContinueDelayed = true;
    }
    if (this.relative) this.finalVal = addValues(this.initialVal, this.baseFinalVal);
    this.deltaVal = subtractValues(this.finalVal, this.initialVal);
  }

  /** @internal */
  [STEP](delta: number): boolean {
    this[REST] = delta;
    if (this.done) return false; // a parallel tweener may still be running
    if (!this.targetAlive()) {
      this.finish();
      return false;
    }
    this.elapsedTime += delta;
    if (this.elapsedTime < this.delay) {
      this[REST] = 0;
      return true;
    } else if (this.doContinueDelayed && !isZeroApprox(this.delay)) {
      this.readInitial();
      this.deltaVal = subtractValues(this.finalVal, this.initialVal);
      this.doContinueDelayed = false;
    }
    const time = Math.min(this.elapsedTime - this.delay, this.duration);
    if (time < this.duration) {
      const value = interpolateValue(
        this.initialVal,
        this.deltaVal,
        time,
        this.duration,
        this.trans!,
        this.ease!,
      );
      this.write(value);
      this[REST] = 0;
      return true;
    }
    this.write(copyValue(this.finalVal));
    this[REST] = this.elapsedTime - this.delay - this.duration;
    this.finish();
    return false;
  }

  private targetAlive(): boolean {
    return !(this.target instanceof GodotObject) || this.target.isInstanceValid();
  }

  /**
   * The start value, read when the step (or the delay) starts. Godot's read there can't fail the frame
   * (`get_indexed` hands back whatever the property holds); here a getter that throws, or a value that
   * is no longer a number, is reported like a throwing setter and the tweener goes on from the value it
   * had, instead of the error leaving `step()` and skipping the rest of the frame.
   */
  private readInitial(): void {
    this.guard(`tweened property "${this.property}"`, () => {
      const value = this.read();
      assertSameShape(value, this.baseFinalVal);
      this.initialVal = value;
    });
  }

  private read(): TweenValue {
    const value = this.property.get(this.target);
    assertTweenable(value, `Property "${this.property}"`);
    return copyValue(value);
  }

  private write(value: TweenValue): void {
    this.guard(`tweened property "${this.property}"`, () => this.property.set(this.target, value));
  }
}

/** Godot's `IntervalTweener`, from `tween.tweenInterval(time)`: waits. */
export class IntervalTweener extends Tweener {
  /** @internal Use `tween.tweenInterval()`. */
  constructor(private readonly duration: number) {
    super();
  }

  /** @internal */
  [STEP](delta: number): boolean {
    this[REST] = delta;
    if (this.done) return false;
    this.elapsedTime += delta;
    if (this.elapsedTime < this.duration) {
      this[REST] = 0;
      return true;
    }
    this[REST] = this.elapsedTime - this.duration;
    this.finish();
    return false;
  }
}

/** Godot's `CallbackTweener`, from `tween.tweenCallback(callback)`: calls it once. */
export class CallbackTweener extends Tweener {
  private delay = 0;

  /** @internal Use `tween.tweenCallback()`. */
  constructor(private readonly callback: TweenCallback) {
    super();
  }

  /** Waits `delay` seconds before calling. */
  setDelay(delay: number): this {
    this.delay = checkTime(delay, "delay");
    return this;
  }

  /** @internal */
  [STEP](delta: number): boolean {
    this[REST] = delta;
    if (this.done) return false;
    if (!isAlive(this.callback)) {
      this.finish();
      return false;
    }
    this.elapsedTime += delta;
    if (this.elapsedTime >= this.delay) {
      this.guard("tween callback", () => invoke(this.callback as TweenCallback<unknown[]>, []));
      this[REST] = this.elapsedTime - this.delay;
      this.finish();
      return false;
    }
    this[REST] = 0;
    return true;
  }
}

/**
 * Godot's `MethodTweener`, from `tween.tweenMethod(method, from, to, duration)`: calls `method` with the
 * eased value every step, the final value last.
 */
export class MethodTweener extends EasedTweener {
  private readonly initialVal: TweenValue;
  private readonly deltaVal: TweenValue;
  private readonly finalVal: TweenValue;

  /** @internal Use `tween.tweenMethod()`. */
  constructor(
    private readonly callback: TweenCallback<[TweenValue]>,
    from: TweenValue,
    to: TweenValue,
    private readonly duration: number,
  ) {
    super();
    this.initialVal = copyValue(from);
    this.finalVal = copyValue(to);
    this.deltaVal = subtractValues(to, from);
  }

  /** @internal */
  [STEP](delta: number): boolean {
    this[REST] = delta;
    if (this.done) return false;
    if (!isAlive(this.callback)) {
      this.finish();
      return false;
    }
    this.elapsedTime += delta;
    if (this.elapsedTime < this.delay) {
      this[REST] = 0;
      return true;
    }
    const time = Math.min(this.elapsedTime - this.delay, this.duration);
    const value =
      time < this.duration
        ? interpolateValue(this.initialVal, this.deltaVal, time, this.duration, this.trans!, this.ease!)
        : copyValue(this.finalVal);
    this.guard("tween method", () => invoke(this.callback as TweenCallback<unknown[]>, [value]));
    if (time < this.duration) {
      this[REST] = 0;
      return true;
    }
    this[REST] = this.elapsedTime - this.delay - this.duration;
    this.finish();
    return false;
  }
}

export { checkTime, checkTrans, checkEase };
