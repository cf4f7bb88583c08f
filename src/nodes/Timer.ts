import { Node } from "../scene/Node";
import { emitNoArgs } from "../scene/node/emit";
import { INTERNAL_PHYSICS_PROCESS, INTERNAL_PROCESS, nodeData as dataOf } from "../scene/node/data";
import { COUNT_DOWN, COUNTDOWN } from "../scene/frameSleep";
import { SceneTreeError } from "../core/errors";
import { PROCESS_STEP } from "../scene/processStep";
import { DOUBLE_FIELD as DOUBLE } from "../core/doubleField";
import { signal, type SignalsOf } from "../core/signals/SignalSet";

// Read once: under tsx an imported binding costs a getter call per use.
const DOUBLE_FIELD = DOUBLE;
const nodeData = dataOf;

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

  #waitTime = 1;
  /** Starts as a fraction, set to -1 in the constructor: a double field from the start (see DOUBLE_FIELD). */
  #timeLeft = DOUBLE_FIELD;
  #processing = false;
  #paused = false;
  #processCallback = TimerProcessCallback.IDLE;
  /** Starts the timer when it is ready (the flag is spent then, as in Godot). */
  autostart = false;
  /** Stop after one timeout instead of repeating. */
  oneShot = false;
  #ignoreTimeScale = false;
  #maxTimeoutsPerTick = 1;

  constructor(name = "") {
    super(name);
    this.#timeLeft = -1; // stopped
  }

  /**
   * How many times a repeating timer may fire in one frame when its wait time is shorter than the frame.
   * Not in Godot 4, whose Timer fires at most once a frame (the default, 1); it is the property Godot's
   * pull request #89786 proposes (`max_timeouts_per_tick`).
   */
  get maxTimeoutsPerTick(): number {
    return this.#maxTimeoutsPerTick;
  }

  set maxTimeoutsPerTick(count: number) {
    if (!(Number.isInteger(count) && count >= 1)) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "maxTimeoutsPerTick must be a whole number >= 1.");
    }
    this.#maxTimeoutsPerTick = count;
  }

  /** Count down real time: the frame's delta before `tree.timeScale` (Godot 4.4's `ignore_time_scale`). */
  get ignoreTimeScale(): boolean {
    return this.#ignoreTimeScale;
  }

  set ignoreTimeScale(ignore: boolean) {
    this.#wakeTree();
    this.#ignoreTimeScale = ignore;
  }

  get waitTime(): number {
    return this.#waitTime;
  }

  set waitTime(seconds: number) {
    if (!(seconds > 0)) throw new SceneTreeError("ERR_INVALID_ARGUMENT", "Time should be greater than zero.");
    this.#waitTime = seconds;
  }

  /** Seconds until the next timeout; 0 when stopped. */
  get timeLeft(): number {
    nodeData(this).tree?.catchUp();
    return this.#timeLeft > 0 ? this.#timeLeft : 0;
  }

  get paused(): boolean {
    return this.#paused;
  }

  set paused(paused: boolean) {
    if (paused === this.#paused) return;
    this.#wakeTree();
    this.#paused = paused;
    this.#setTicking(this.#processing);
  }

  get processCallback(): TimerProcessCallback {
    return this.#processCallback;
  }

  set processCallback(callback: TimerProcessCallback) {
    if (callback === this.#processCallback) return;
    this.#wakeTree();
    if (this.#processing) {
      this.#setTicking(false);
      this.#processCallback = callback;
      this.#setTicking(true);
    } else {
      this.#processCallback = callback;
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
    this.#wakeTree();
    this.#timeLeft = this.#waitTime;
    this.#setTicking(true);
  }

  stop(): void {
    this.#wakeTree();
    this.#timeLeft = -1;
    this.#setTicking(false);
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
  override [INTERNAL_PROCESS](delta: number): void {
    if (this.#processCallback === TimerProcessCallback.IDLE) this.#tick(delta);
  }

  /** @internal */
  override [INTERNAL_PHYSICS_PROCESS](delta: number): void {
    if (this.#processCallback === TimerProcessCallback.PHYSICS) this.#tick(delta);
  }

  #tick(delta: number): void {
    if (!this.#processing) return;
    // Godot counts an unscaled timer down by the idle frame's delta, in physics steps too.
    this.#timeLeft -= this.#ignoreTimeScale ? this.getTree()[PROCESS_STEP] : delta;
    // Godot 4 fires once (`if (time_left < 0)`); maxTimeoutsPerTick > 1 lets a short timer catch up.
    for (let fired = 0; this.#timeLeft < 0 && fired < this.#maxTimeoutsPerTick; fired++) {
      if (this.oneShot) {
        this.stop();
        emitNoArgs(this, "timeout");
        return;
      }
      this.#timeLeft += this.#waitTime;
      emitNoArgs(this, "timeout");
    }
  }

  /** @internal (frameSleep.ts: Countdown) Seconds of unscaled frame time until this timer could time out. */
  [COUNTDOWN](scale: number): number {
    if (this.#processCallback !== TimerProcessCallback.IDLE || !this.#processing || this.#paused) return -1;
    if (this.#ignoreTimeScale) return this.#timeLeft;
    return scale > 0 ? this.#timeLeft / scale : Infinity;
  }

  /** @internal A frame's countdown while its tree sleeps: what `#tick` does in a frame it does not time out. */
  [COUNT_DOWN](delta: number, unscaledDelta: number): void {
    this.#timeLeft -= this.#ignoreTimeScale ? unscaledDelta : delta;
  }

  /** Before a change to how this timer counts down: its tree, if asleep, replays what it slept through. */
  #wakeTree(): void {
    nodeData(this).tree?.wake();
  }

  #setTicking(processing: boolean): void {
    const run = processing && !this.#paused;
    if (this.#processCallback === TimerProcessCallback.PHYSICS) this.setPhysicsProcessInternal(run);
    else this.setProcessInternal(run);
    this.#processing = processing;
  }
}
