import type { Clock, ScheduledTask } from "../core/clock";
import { throwSite } from "../core/throwSite";
import { instancePlaceholders, type TreeInstance } from "../scene/instance";
import type { PackedScene } from "../loader/PackedScene";
import { SceneError, formatProblem } from "../loader/SceneError";
import { SceneTree } from "../scene/SceneTree";
import { AWAKE, FRAME_LOG_REFRESH, FrameLog, JOIN_FRAME_LOG, TRY_SLEEP } from "../scene/frameSleep";
import { describeThrown, type UserCallbackError } from "../core/errors";
import type { InstanceExit } from "./protocol";
import { RampScheduler } from "./schedule";
import type { IndexRange } from "../core/indexRange";
import { instanceSeed } from "./seed";

export interface FleetRunnerOptions {
  scene: PackedScene;
  /** Global indices of the instances to run, ascending. */
  indices: IndexRange;
  /** Instances in the whole fleet. */
  count: number;
  baseSeed: number;
  rampUpMs: number;
  /** Quit every instance this long after `run()`; null runs until they quit themselves. */
  durationMs: number | null;
  /** Frames per second of the shared loop (every tree steps once per frame). */
  fps: number;
  clock: Clock;
  /**
   * Called with each new tree before its scene is built: where a worker-wide resource is attached to
   * every tree (the metrics layer's `useMetrics(tree, registry)`, so a worker keeps one registry).
   */
  prepareTree?: (tree: SceneTree) => void;
  /** Instances that just started (one call per ramp-up batch). */
  onStarted?: (indices: number[]) => void;
  /** Instances that just quit (one call per frame at most). */
  onExited?: (exits: InstanceExit[]) => void;
  /** An error in one instance: user code that threw, or a tree that could not be built or stepped. */
  onError?: (index: number, message: string) => void;
}

export interface FleetRunResult {
  /** Instances never started because `stop()` or the duration came first. */
  notStarted: number;
}

/**
 * Runs many trees of one scene in one thread with one frame loop: each frame steps every live tree
 * once (`tree.step(delta)`), where a tree on its own would run its own timer loop. Instances start at
 * their ramp-up times; a tree that quits (`isFinalized()`) leaves the loop with its exit code.
 *
 * A tree whose coming frames can only count its Timers down sleeps through them (see
 * scene/frameSleep.ts): the loop skips it, reading one number per tree, until the frame in which it
 * could time out, or until anything wakes it. A suspended tree (`setSuspend(true)`, the inspector's
 * Pause) is skipped the same way until it resumes or quits, as `SceneTree.run()` runs none of its
 * frames: its frame count, processing and Timers stand still while the others go on.
 */
export class FleetRunner {
  /** A tree's instance index is `tree.instance.index`: nothing else is kept per instance. */
  private live: SceneTree[] = [];
  /** The loop's frames, and when each tree (by its index in `live`) must next be stepped. */
  private readonly frames = new FrameLog();
  private readonly ramp: RampScheduler;
  private frameTask: ScheduledTask | null = null;
  private durationTask: ScheduledTask | null = null;
  private exits: InstanceExit[] = [];
  private notStarted = 0;
  private running = false;
  private finished = false;
  private finish: (result: FleetRunResult) => void = () => undefined;
  /** One handler for every tree of the runner (a closure per tree would cost each instance ~100 bytes). */
  private readonly treeError = (error: UserCallbackError, tree: SceneTree): void =>
    this.options.onError?.(tree.instance.index, `ERROR: ${error.message}${throwSite(error.cause)}`);

  constructor(private readonly options: FleetRunnerOptions) {
    if (!(options.fps > 0)) throw new RangeError(`fps must be > 0, got ${options.fps}.`);
    this.ramp = new RampScheduler(options.clock, options.indices, options.count, options.rampUpMs, (batch) =>
      this.startBatch(batch),
    );
  }

  /** Trees running now. */
  get liveCount(): number {
    return this.live.length;
  }

  /** The live tree of instance `index`, or null (not started, quit, or not this runner's). */
  treeOf(index: number): SceneTree | null {
    return this.live.find((tree) => tree.instance.index === index) ?? null;
  }

  /** Starts the ramp-up and the frame loop; resolves once every instance has quit or been stopped. */
  run(): Promise<FleetRunResult> {
    if (this.running) throw new Error("FleetRunner.run() was called twice.");
    this.running = true;
    const done = new Promise<FleetRunResult>((resolve) => (this.finish = resolve));
    const { clock, durationMs, fps } = this.options;
    if (durationMs !== null) this.durationTask = clock.schedule(() => this.stop(), durationMs);
    this.ramp.begin();
    if (!this.checkDone()) this.startFrames(fps);
    return done;
  }

  /**
   * Starts no more instances and tears every live tree down now, between frames: each node gets
   * `_exitTree` and WebSocket nodes close with 1001. A tree that already asked to quit keeps its code.
   */
  stop(): void {
    this.notStarted += this.ramp.pending;
    this.ramp.cancel();
    for (const tree of this.live) {
      try {
        tree.finalize();
      } catch (error) {
        this.crashed(tree, "Quitting", error);
      }
    }
    this.sweep();
    this.checkDone();
  }

  private startBatch(batch: number[]): void {
    const first = this.live.length;
    for (const index of batch) this.startInstance(index);
    this.options.onStarted?.(batch);
    // A tree can fail to build, or quit from _ready: only the new ones need looking at.
    for (let i = first; i < this.live.length; i++) {
      if (this.live[i].isFinalized()) {
        this.sweep();
        break;
      }
    }
    this.checkDone();
  }

  private startInstance(index: number): void {
    const { count, baseSeed, clock, scene } = this.options;
    const instance: TreeInstance = { index, count, seed: instanceSeed(baseSeed, index) };
    const tree = new SceneTree({ clock, instance, onError: this.treeError });
    const slot = this.live.length;
    this.frames.ensureSlots(slot + 1);
    this.frames.wakeAt[slot] = AWAKE;
    tree[JOIN_FRAME_LOG](this.frames, slot);
    this.live.push(tree);
    try {
      this.options.prepareTree?.(tree);
      const root = scene.instantiate({ placeholders: instancePlaceholders(instance) });
      tree.root.addChild(root);
      tree.currentScene = root;
      // A bot that only waits (for its Timer, for the network) sleeps from its first frame on.
      this.frames.wakeAt[slot] = tree[TRY_SLEEP]();
    } catch (error) {
      this.crashed(tree, "Building the scene", error);
    }
  }

  /**
   * `SceneTree.run()`'s pacing and delta smoothing for every tree at once, except that a late frame
   * does not make the loop run the missed ones back to back: the next frame waits for the next period
   * boundary still ahead, and its delta covers the time since the previous one (as Godot's does when
   * the engine falls behind). Catching up would step every tree of the worker many times for nothing,
   * just when the worker is busiest (starting instances, handshakes on a loaded machine).
   */
  private startFrames(fps: number): void {
    const clock = this.options.clock;
    const nominal = 1 / fps;
    const periodMs = 1000 / fps;
    const start = clock.now();
    let last = start - periodMs;
    let frame = 0;
    const tick = (): void => {
      this.frameTask = null;
      const now = clock.now();
      let delta = (now - last) / 1000;
      last = now;
      if (Math.abs(delta - nominal) <= nominal * 0.05) delta = nominal;
      this.stepAll(delta);
      if (this.checkDone()) return;
      const after = clock.now();
      frame = Math.max(frame + 1, Math.floor((after - start) / periodMs) + 1);
      this.frameTask = clock.schedule(tick, start + frame * periodMs - after);
    };
    this.frameTask = clock.schedule(tick, 0);
  }

  private stepAll(delta: number): void {
    const live = this.live;
    const frames = this.frames;
    frames.begin(delta);
    // A tree asleep until after this frame's end is skipped; now and then every tree is stepped, so
    // that none sleeps longer than the log remembers. A suspended tree (NaN) is skipped by the same
    // test, refresh frames included.
    const horizon = frames.frames % FRAME_LOG_REFRESH === 0 ? Infinity : frames.time + delta;
    let quitting = false;
    for (let i = 0; i < live.length; i++) {
      if (!(frames.wakeAt[i] <= horizon)) continue;
      frames.cursor = i;
      const tree = live[i];
      try {
        tree.step(delta);
      } catch (error) {
        this.crashed(tree, "A frame", error);
      }
      if (tree.isFinalized()) quitting = true;
      else frames.wakeAt[i] = tree[TRY_SLEEP]();
    }
    frames.end();
    if (quitting) this.sweep();
  }

  /** A tree whose own code threw past its error reporting: it is torn down with exit code 1. */
  private crashed(tree: SceneTree, what: string, error: unknown): void {
    this.options.onError?.(tree.instance.index, `ERROR: ${what} failed: ${describe(error)}`);
    tree.quit(1);
    try {
      tree.finalize();
    } catch {
      // finalize() marks the tree finalized before anything can throw: the next sweep drops it.
    }
  }

  /** Drops finalized trees and reports their exit codes. */
  private sweep(): void {
    let kept = 0;
    const live = this.live;
    const wakeAt = this.frames.wakeAt;
    for (let i = 0; i < live.length; i++) {
      const tree = live[i];
      if (tree.isFinalized()) {
        this.exits.push({ index: tree.instance.index, code: tree.exitCode });
        continue;
      }
      if (kept !== i) {
        live[kept] = tree;
        wakeAt[kept] = wakeAt[i];
        tree[JOIN_FRAME_LOG](this.frames, kept);
      }
      kept++;
    }
    live.length = kept;
    if (this.exits.length > 0) {
      const exits = this.exits;
      this.exits = [];
      this.options.onExited?.(exits);
    }
  }

  /** Whether the run is over; ends it (cancelling the loop and the duration) when nothing is left. */
  private checkDone(): boolean {
    if (this.finished) return true;
    if (!this.running || this.live.length > 0 || this.ramp.pending > 0) return false;
    this.finished = true;
    this.frameTask?.cancel();
    this.durationTask?.cancel();
    this.frameTask = this.durationTask = null;
    this.finish({ notStarted: this.notStarted });
    return true;
  }
}

/** A scene that can't be built says where in the file (as `scenetree run` does); anything else, its stack. */
function describe(error: unknown): string {
  if (error instanceof SceneError) return error.problems.map((problem) => formatProblem(problem)).join("\n");
  return describeThrown(error, true);
}
