import { PROCESS_ENABLED, hasFlag, nodeData, type NodeLike } from "./node/data";
import { modeAllows } from "./node/processMode";
import { effectiveProcessMode } from "./node/processing";

/**
 * Sleeping trees. A fleet worker steps thousands of trees every frame, and a bot's tree spends most of
 * its frames doing nothing but counting its Timers down: stepping it touches a dozen objects per tree
 * per frame, which (memory, not arithmetic) was most of a fleet's CPU between messages. So a tree whose
 * coming frames can do nothing observable but count down goes to sleep: its frame loop skips it until
 * the frame in which one of its Timers could time out, and the frames it slept through are replayed
 * (the same arithmetic, frame by frame, with each frame's delta from a shared {@link FrameLog}) the
 * moment anything could tell the difference:
 *
 * - reading what frames change (`getFrame()`, `getPhysicsFrame()`, a Timer's `timeLeft`) catches up;
 * - anything that could give the next frame work (a deferred call, a node added, removed or made to
 *   process, a Timer started or stopped, a tween, a scene change, `quit()`, a listener for the tree's
 *   frame signals, pause, time scale …) wakes the tree: it catches up and is stepped from the next
 *   frame on, and may sleep again after it.
 *
 * So code that runs between frames (a message handler, a promise) sees the tree exactly as if every
 * frame had been stepped. Only a loop that shares a FrameLog (a fleet worker's) puts trees to sleep; a
 * tree stepped by `run()` or by hand never sleeps.
 */

/** How many frames' deltas a log keeps: a tree sleeps at most half of them before it is stepped. */
export const FRAME_LOG_CAPACITY = 4096;

/** Every this many frames the loop steps every tree, sleeping or not, so none outsleeps the log. */
export const FRAME_LOG_REFRESH = FRAME_LOG_CAPACITY / 2;

/**
 * A sleeping tree wakes this much (seconds of frame time) before its countdown reaches zero: far more
 * than the rounding between subtracting frame by frame and subtracting a sum, far less than a frame.
 */
export const WAKE_MARGIN = 1e-6;

/** A tree that does not sleep: its frame loop steps it every frame. */
export const AWAKE = -Infinity;

/**
 * A suspended tree (`setSuspend(true)`): its frame loop skips it until it resumes or quits, refresh
 * frames included, as `run()` runs no frame of a suspended tree. NaN, so that the loop's one test
 * (`!(wakeAt <= horizon)`) skips it and no tree costs an extra check; it is not asleep, and has no
 * frames to catch up when it resumes.
 */
export const SUSPENDED = NaN;

/**
 * The frames of one loop that steps many trees with the same delta, and when each of them must next
 * be stepped (`wakeAt`, by the tree's slot in the loop: log time, {@link AWAKE} or {@link SUSPENDED}).
 */
export class FrameLog {
  /** Frames completed. */
  frames = 0;
  /** The deltas of the completed frames, summed. */
  time = 0.5; // a double field from the start; reset below
  /** True while a frame is stepping the trees, in slot order. */
  stepping = false;
  /** The slot being stepped: slots below it are done with the frame in progress. */
  cursor = 0;
  /** The delta of the frame in progress. */
  pending = 0.5;
  wakeAt = new Float64Array(64);
  readonly #deltas = new Float64Array(FRAME_LOG_CAPACITY);

  constructor() {
    this.time = 0;
    this.pending = 0;
  }

  /** Starts a frame of `delta` seconds: trees are stepped (or skipped) from slot 0 up. */
  begin(delta: number): void {
    this.stepping = true;
    this.cursor = 0;
    this.pending = delta;
  }

  /** The frame in progress is done for every tree. */
  end(): void {
    this.#deltas[this.frames % FRAME_LOG_CAPACITY] = this.pending;
    this.frames++;
    this.time += this.pending;
    this.stepping = false;
  }

  /** The delta of frame `frame` (0-based): a completed one, or the one in progress. */
  deltaOf(frame: number): number {
    return frame === this.frames ? this.pending : this.#deltas[frame % FRAME_LOG_CAPACITY];
  }

  /**
   * Where the tree in `slot` is, in frames: the frames it has been through (stepped or skipped). A
   * slot the frame in progress has gone past is through that frame too.
   */
  reached(slot: number): number {
    return this.stepping && slot < this.cursor ? this.frames + 1 : this.frames;
  }

  /** The first frame a tree is not through yet after being stepped now (its frame is the one in progress). */
  nextFrame(): number {
    return this.stepping ? this.frames + 1 : this.frames;
  }

  /** The log time at which the frame after the one in progress (or the next frame) begins. */
  nextFrameTime(): number {
    return this.stepping ? this.time + this.pending : this.time;
  }

  /** Makes room for `slots` trees; new slots are awake. */
  ensureSlots(slots: number): void {
    if (slots <= this.wakeAt.length) return;
    const grown = new Float64Array(Math.max(slots, this.wakeAt.length * 2)).fill(AWAKE);
    grown.set(this.wakeAt);
    this.wakeAt = grown;
  }
}

/**
 * Implemented by a node whose idle processing can be a countdown (a Timer): when every idle-processing
 * node of a tree is one, the tree can sleep.
 */
export interface Countdown {
  /**
   * Seconds of unscaled frame time (at the tree's time scale `scale`) before this node's processing
   * could do anything but count down, or -1 when it could do more already (it then keeps the tree awake).
   */
  [COUNTDOWN](scale: number): number;
  /** What its idle processing does in a frame where it only counts down. */
  [COUNT_DOWN](delta: number, unscaledDelta: number): void;
}

export const COUNTDOWN: unique symbol = Symbol("scenetree.countdown");
export const COUNT_DOWN: unique symbol = Symbol("scenetree.countDown");

/** A tree's side of sleeping (the SceneTree's methods under these keys). */
export const JOIN_FRAME_LOG: unique symbol = Symbol("scenetree.joinFrameLog");
export const TRY_SLEEP: unique symbol = Symbol("scenetree.trySleep");
export const CATCH_UP: unique symbol = Symbol("scenetree.catchUp");
export const WAKE: unique symbol = Symbol("scenetree.wake");

function isCountdown(node: object): node is Countdown {
  return typeof (node as Partial<Countdown>)[COUNTDOWN] === "function";
}

/**
 * Seconds of unscaled frame time before any of a tree's idle-processing `nodes` could do more than count
 * down (Infinity for none), or -1 when one could do more already: it runs its own `_process`, it is no
 * countdown, or its process mode keeps it from processing (a countdown that does not count).
 */
export function countdownSeconds(nodes: readonly NodeLike[], scale: number): number {
  let seconds = Infinity;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (hasFlag(nodeData(node), PROCESS_ENABLED) || !isCountdown(node)) return -1;
    if (!modeAllows(effectiveProcessMode(node), false)) return -1;
    const left = node[COUNTDOWN](scale);
    if (left < 0) return -1;
    if (left < seconds) seconds = left;
  }
  return seconds;
}

/** One slept-through frame of the idle-processing `nodes`, all countdowns (see {@link countdownSeconds}). */
export function countDown(nodes: readonly NodeLike[], delta: number, unscaledDelta: number): void {
  for (let i = 0; i < nodes.length; i++) (nodes[i] as unknown as Countdown)[COUNT_DOWN](delta, unscaledDelta);
}
