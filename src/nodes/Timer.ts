import { Node } from "../scene/Node";
import { emitNoArgs } from "../scene/node/emit";
import { SceneTreeError } from "../core/errors";
import { PROCESS_STEP } from "../scene/processStep";
import { signal, type SignalsOf } from "../core/signals/SignalSet";

/** Godot's `Timer.TimerProcessCallback`, same values. */
export enum TimerProcessCallback {
  PHYSICS = 0,
  IDLE = 1,
}

const timerSignals = Node.signals.extend({ timeout: signal() });

export type TimerSignals = SignalsOf<typeof timerSignals>;

/**
 * Godot's `Timer` node. It ticks in its internal processing, at its own place in process order (just
 * before its `_process`), counting down the frame's delta; a repeating timer carries the overshoot into
 * the next cycle, and `timeout` fires when the time left drops below zero, exactly as Godot 4 does.
 */
export class Timer<S extends TimerSignals = TimerSignals> extends Node<S> {
  static override readonly signals = timerSignals;

  private _waitTime = 1;
  private _timeLeft = -1;
  private _processing = false;
  private _paused = false;
  private _processCallback = TimerProcessCallback.IDLE;
  /** Starts the timer when it is ready (the flag is spent then, as in Godot). */
  autostart = false;
  /** Stop after one timeout instead of repeating. */
  oneShot = false;
  /** Count down real time: the frame's delta before `tree.timeScale` (Godot 4.4's `ignore_time_scale`). */
  ignoreTimeScale = false;
  private _maxTimeoutsPerTick = 1;

  /**
   * How many times a repeating timer may fire in one frame when its wait time is shorter than the frame
   * (Godot 4's `max_timeouts_per_tick`, default 1: at most one timeout per frame).
   */
  get maxTimeoutsPerTick(): number {
    return this._maxTimeoutsPerTick;
  }

  set maxTimeoutsPerTick(count: number) {
    if (!(Number.isInteger(count) && count >= 1)) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "maxTimeoutsPerTick must be a whole number >= 1.");
    }
    this._maxTimeoutsPerTick = count;
  }

  get waitTime(): number {
    return this._waitTime;
  }

  set waitTime(seconds: number) {
    if (!(seconds > 0)) throw new SceneTreeError("ERR_INVALID_ARGUMENT", "Time should be greater than zero.");
    this._waitTime = seconds;
  }

  /** Seconds until the next timeout; 0 when stopped. */
  get timeLeft(): number {
    return this._timeLeft > 0 ? this._timeLeft : 0;
  }

  get paused(): boolean {
    return this._paused;
  }

  set paused(paused: boolean) {
    if (paused === this._paused) return;
    this._paused = paused;
    this.setTicking(this._processing);
  }

  get processCallback(): TimerProcessCallback {
    return this._processCallback;
  }

  set processCallback(callback: TimerProcessCallback) {
    if (callback === this._processCallback) return;
    if (this._processing) {
      this.setTicking(false);
      this._processCallback = callback;
      this.setTicking(true);
    } else {
      this._processCallback = callback;
    }
  }

  /** Starts (or restarts) the timer; `time` > 0 also sets `waitTime`. The timer must be in the tree. */
  start(time = -1): void {
    if (!this.isInsideTree()) {
      throw new SceneTreeError(
        "ERR_NOT_IN_TREE",
        "Unable to start the timer because it's not inside the scene tree. Either add it or set autostart to true.",
      );
    }
    if (time > 0) this.waitTime = time;
    this._timeLeft = this._waitTime;
    this.setTicking(true);
  }

  stop(): void {
    this._timeLeft = -1;
    this.setTicking(false);
    this.autostart = false;
  }

  isStopped(): boolean {
    return this.timeLeft <= 0;
  }

  override _notification(what: number): void {
    if (what === Node.NOTIFICATION_READY && this.autostart) {
      this.start();
      this.autostart = false;
    }
  }

  /** @internal */
  override _internalProcess(delta: number): void {
    if (this._processCallback === TimerProcessCallback.IDLE) this.tick(delta);
  }

  /** @internal */
  override _internalPhysicsProcess(delta: number): void {
    if (this._processCallback === TimerProcessCallback.PHYSICS) this.tick(delta);
  }

  private tick(delta: number): void {
    if (!this._processing) return;
    // Godot counts an unscaled timer down by the idle frame's delta, in physics steps too.
    this._timeLeft -= this.ignoreTimeScale ? this.getTree()[PROCESS_STEP] : delta;
    // Godot 4's loop: a repeating timer shorter than a frame may fire up to maxTimeoutsPerTick times.
    for (let fired = 0; this._timeLeft < 0 && fired < this._maxTimeoutsPerTick; fired++) {
      if (this.oneShot) {
        this.stop();
        emitNoArgs(this, "timeout");
        return;
      }
      this._timeLeft += this._waitTime;
      emitNoArgs(this, "timeout");
    }
  }

  private setTicking(processing: boolean): void {
    const run = processing && !this._paused;
    if (this._processCallback === TimerProcessCallback.PHYSICS) this.setPhysicsProcessInternal(run);
    else this.setProcessInternal(run);
    this._processing = processing;
  }
}
