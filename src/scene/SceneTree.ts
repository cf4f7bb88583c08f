import { DESCRIBE, GodotObject, QUEUED, TRY_CONTEXT, hasListeners } from "./GodotObject";
import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { Node, ProcessMode } from "./Node";
import { forEachDescendant } from "./node/walk";
import type { NodeLike } from "./node/data";
import { setTree, propagateAfterExitTree } from "./node/lifecycle";
import { propagatePauseNotification, propagateSuspendNotification } from "./node/processing";
import { guard } from "./node/guard";
import type { MessageQueue } from "./MessageQueue";
import { SceneTreeHost } from "./SceneTreeHost";
import { SceneTreeTimer, TIMER_TREE } from "./SceneTreeTimer";
import { describeThrown, SceneTreeError, UserCallbackError } from "../core/errors";
import { SystemClock, type Clock } from "../core/clock";
import type { TreeContext } from "./context";
import { SINGLE_INSTANCE, checkTreeInstance, type TreeInstance, instancePlaceholders } from "./instance";
import { PROCESS_STEP } from "./processStep";
import { DOUBLE_FIELD as DOUBLE } from "../core/doubleField";
import type { Tween } from "./tween/Tween";
import { TweenList } from "./tween/TweenList";
import type { Metrics } from "../metrics/Metrics";
import { REGISTRY, metricsOf } from "../metrics/treeMetrics";
import { defaultLogger, defaultLogsAt, LOGS_AT, PATHS_EPOCH, type Logger, type LogLevelName } from "./log";
import {
  AWAKE,
  CATCH_UP,
  JOIN_FRAME_LOG,
  SUSPENDED,
  TRY_SLEEP,
  WAKE,
  WAKE_MARGIN,
  countDown,
  countdownSeconds,
  type FrameLog,
} from "./frameSleep";
import { LISTENED } from "../core/signals/SignalTable";

/** Godot's `SceneTree.GroupCallFlags`, same values. */
export enum GroupCallFlags {
  DEFAULT = 0,
  REVERSE = 1,
  DEFERRED = 2,
  UNIQUE = 4,
}

const sceneTreeSignals = GodotObject.signals.extend({
  processFrame: signal(),
  physicsFrame: signal(),
  nodeAdded: signal<[node: Node]>("node"),
  nodeRemoved: signal<[node: Node]>("node"),
  nodeRenamed: signal<[node: Node]>("node"),
  treeChanged: signal(),
  sceneChanged: signal(),
});

export type SceneTreeSignals = SignalsOf<typeof sceneTreeSignals>;

export interface SceneTreeOptions {
  /** Time source for `run()` and for nodes that wait (reconnect backoff, timeouts). */
  clock?: Clock;
  /** Physics steps per second (Godot's `physics/common/physics_ticks_per_second`, default 60). */
  physicsTicksPerSecond?: number;
  /** Most physics steps one frame may run to catch up (Godot's default is 8). */
  maxPhysicsStepsPerFrame?: number;
  /**
   * Throw a UserCallbackError out of `step()` instead of reporting and going on (for tests). An error
   * that happens between frames (a network callback, a rejected promise, code run outside `step()`)
   * is kept and thrown out of the next `step()` (and so `run()`), never as an uncaught exception.
   */
  fatalErrors?: boolean;
  /**
   * Receives every error thrown by user code, with the tree it happened in (so that one handler can
   * serve many trees); the default prints it to stderr like Godot does.
   */
  onError?: (error: UserCallbackError, tree: SceneTree) => void;
  /** Which instance of a fleet this tree is (default `{ index: 0, count: 1, seed: 0 }`). */
  instance?: TreeInstance;
  /**
   * A pino logger for `tree.log` and, through child loggers, every node's `node.log`. Default: one
   * shared by the process, `warn` and above as JSON lines on stderr (scenetree logs at info and below).
   */
  logger?: Logger;
  /**
   * Reads a scene file for `changeSceneToFile`. Default: `loadScene(file)` with the default node type
   * registry; give `(file) => loadScene(file, { registry })` to load with another.
   */
  loadScene?: SceneFileLoader;
}

/** What `changeSceneToPacked` takes: a `PackedScene`, from `loadScene` or `parseScene`. */
export interface PackedSceneLike {
  instantiate(options?: { placeholders?: Readonly<Record<string, string | number>> }): Node;
}

/** Reads a scene file into a scene `changeSceneToPacked` can build (what `loadScene` does). */
export type SceneFileLoader = (file: string) => Promise<PackedSceneLike>;

// The engine does not depend on the loader: the loader layer installs its `loadScene` here, once,
// from the public entry point (src/index.ts), for trees not given a `loadScene` option.
let defaultSceneFileLoader: SceneFileLoader | null = null;

// Read once: under tsx an imported binding costs a getter call per use.
const DOUBLE_FIELD = DOUBLE;

/** @internal What `changeSceneToFile` uses in trees without a `loadScene` option. */
export function setDefaultSceneFileLoader(loader: SceneFileLoader): void {
  defaultSceneFileLoader = loader;
}

export interface RunOptions {
  /** Idle frames per second of the real-time loop (default 60). */
  fps?: number;
}

/**
 * Godot's `SceneTree`: owns the root node, groups, timers, deferred calls and deletions, and runs
 * frames. `step(delta)` runs exactly one frame (what tests use); `run()` runs frames in real time.
 *
 * One frame, as Godot 4's `Main::iteration` and `SceneTree::physics_process` / `process`:
 *   physics steps that are due (at most `maxPhysicsStepsPerFrame`; a step in which `quit()` was asked
 *     for is the frame's last), each: `physicsFrame` signal → nodes' physics processing in order →
 *     unique group calls → deferred flush → physics timers → physics tweens → deletions → deferred flush;
 *   then the idle step: `processFrame` signal → deferred flush → nodes' processing in order (internal
 *     processing such as a Timer's tick, then `_process`) → unique group calls → deferred flush →
 *     pending scene change → timers → tweens → deletions → deferred flush (Main::iteration's).
 *
 * The idle step's delta is the frame's minus the physics steps dropped past the cap, so a long frame
 * does not hand its whole length to `_process`. `timeScale` (Godot's `Engine.time_scale`) scales the
 * deltas every step hands out; the number of physics steps still follows the real delta, as Godot's
 * main loop does.
 */
export class SceneTree extends GodotObject<SceneTreeSignals> {
  static override readonly signals = sceneTreeSignals;

  readonly root: Node;
  readonly clock: Clock;
  readonly messageQueue: MessageQueue;
  /**
   * Which of `scenetree run --instances N` this tree is: `index` (0..count-1, global across shards),
   * `count` (N) and `seed` (derived from `--seed` and the index, for the tree's own random numbers).
   */
  readonly instance: TreeInstance;
  #physicsTicksPerSecond: number;
  #maxPhysicsStepsPerFrame: number;
  /** The scene set by `changeSceneTo*` (or by you); null between the old scene leaving and the new entering. */
  currentScene: Node | null = null;

  #paused = false;
  readonly #fatalErrors: boolean;
  readonly #onError?: (error: UserCallbackError, tree: SceneTree) => void;
  readonly #logger?: Logger;
  /**
   * What every node inside this tree reaches it through (its record's `tree`), holding the process
   * lists, their runners and the groups. The containers below that most trees of a fleet never use
   * are null until first needed: a fleet worker holds thousands of trees.
   */
  readonly #host: SceneTreeHost;
  #timers: SceneTreeTimer[] | null = null;
  #tweens: TweenList | null = null;
  #timeScale = 1;
  /**
   * @internal The unscaled delta of the frame being run. Starts as a fraction, reset to 0 in the
   * constructor (see DOUBLE_FIELD): the field holds fractions from the first frame on.
   */
  [PROCESS_STEP] = DOUBLE_FIELD;
  /** @internal The tree's metrics registry once it has one (see treeMetrics.ts). */
  [REGISTRY]: Metrics | null = null;
  /** @internal Bumped whenever a node's path may have changed (a rename, a removal): see log.ts. */
  [PATHS_EPOCH] = 0;
  #deleteQueue: GodotObject[] | null = null;
  #uniqueGroupCalls: Map<string, { group: string; method: string; args: unknown[] }> | null = null;
  #uniqueCallsRunning = false;
  #pendingScene: Node | null = null;
  #previousScene: Node | null = null;
  #physicsAccumulator = DOUBLE_FIELD; // reset to 0 in the constructor, see DOUBLE_FIELD
  /** The idle delta of the frame being run, before the time scale (set with its physics steps). */
  #idleDelta = DOUBLE_FIELD;
  #frames = 0;
  #physicsFrames = 0;
  #stepping = false;
  /** Inside `step()`, finalizing included: where a fatal error may be thrown at once. */
  #inFrame = false;
  /** Fatal errors from between frames, thrown by the next `step()` one at a time. */
  #pendingErrors: UserCallbackError[] | null = null;
  #quitRequested = false;
  #finalized = false;
  #suspended = false;
  /** A `setSuspend` made during a frame, applied when the frame ends; null when none is waiting. */
  #pendingSuspend: boolean | null = null;
  /** Restarts a `run()` loop that found the tree suspended and stopped scheduling frames. */
  #resumeRun: (() => void) | null = null;
  #exitCode = 0;
  #quitListeners: Array<(code: number) => void> | null = null;
  /** Counts the scene changes asked for: a file still loading applies only if none came after it. */
  #sceneChanges = 0;
  readonly #loadScene: SceneFileLoader | undefined;
  /** The frames of the fleet loop this tree is stepped by, and its slot there (see frameSleep.ts). */
  #frameLog: FrameLog | null = null;
  #slot = -1;
  /** While asleep, the first frame of the log this tree has not been through; -1 while awake. */
  #sleepFrom = -1;

  constructor(options: SceneTreeOptions = {}) {
    super();
    this[PROCESS_STEP] = 0;
    this.#physicsAccumulator = 0;
    this.#idleDelta = 0;
    this.clock = options.clock ?? new SystemClock();
    this.#physicsTicksPerSecond = options.physicsTicksPerSecond ?? 60;
    this.#maxPhysicsStepsPerFrame = options.maxPhysicsStepsPerFrame ?? 8;
    this.#fatalErrors = options.fatalErrors ?? false;
    this.#onError = options.onError;
    this.#loadScene = options.loadScene;
    if (options.instance) checkTreeInstance(options.instance);
    const { index, count, seed } = options.instance ?? SINGLE_INSTANCE;
    this.instance = Object.freeze({ index, count, seed });
    this.#logger = options.logger;
    this.#host = new SceneTreeHost(this);
    this.messageQueue = this.#host.messageQueue;
    this.root = new Node("root");
    this.root.processMode = ProcessMode.PAUSABLE;
    setTree(this.root, this.#host);
  }

  // ---------------------------------------------------------------- state

  /** Physics steps per second (Godot's `physics/common/physics_ticks_per_second`). */
  get physicsTicksPerSecond(): number {
    return this.#physicsTicksPerSecond;
  }

  set physicsTicksPerSecond(ticks: number) {
    this[WAKE]();
    this.#physicsTicksPerSecond = ticks;
  }

  /** Most physics steps one frame may run to catch up. */
  get maxPhysicsStepsPerFrame(): number {
    return this.#maxPhysicsStepsPerFrame;
  }

  set maxPhysicsStepsPerFrame(steps: number) {
    this[WAKE]();
    this.#maxPhysicsStepsPerFrame = steps;
  }

  get paused(): boolean {
    return this.#paused;
  }

  set paused(paused: boolean) {
    if (paused === this.#paused) return;
    this[WAKE]();
    this.#paused = paused;
    this.#host.paused = paused;
    this.#host.processingChanged(null);
    propagatePauseNotification(this.root, paused);
  }

  isPaused(): boolean {
    return this.#paused;
  }

  /**
   * Godot 4's `SceneTree.set_suspend` (the debugger's Suspend button). While suspended no node can
   * process (`canProcess()` is false, as Godot's `can_process`) and game time is frozen (the time scale
   * counts as 0), and `run()` (or a fleet's shared loop) runs no frames at all: processing, timers,
   * tweens and the frame count stand still. A `step()` while suspended runs a frame as Godot's main
   * loop does then: deferred calls and deletions go on, `processFrame` is not emitted (`physicsFrame`
   * is), nothing processes, and only timers and tweens that ignore the time scale count down. Every node hears `NOTIFICATION_SUSPENDED` /
   * `NOTIFICATION_UNSUSPENDED`, parents first. Called during a frame, the change takes effect when the
   * frame ends (where Godot's debugger, the only caller there, makes it), so the frame runs as it began.
   * Resuming goes on with a frame of the nominal delta: the time spent suspended is not caught up.
   * Unlike `paused`, this is a debugging hold, not game logic. `quit()` while suspended still runs its
   * frame and ends `run()`.
   */
  setSuspend(enabled: boolean): void {
    if (this.#stepping) {
      this.#pendingSuspend = enabled;
      return;
    }
    this.#pendingSuspend = null;
    if (enabled === this.#suspended) return;
    this[WAKE]();
    this.#suspended = enabled;
    this.#host.suspended = enabled;
    this.#host.processingChanged(null);
    this.#holdInFrameLog();
    if (!this.#finalized) propagateSuspendNotification(this.root, enabled);
    if (!enabled) this.#wakeRun();
  }

  /** A fleet loop's side of `setSuspend`: it skips a suspended tree until it resumes or asks to quit. */
  #holdInFrameLog(): void {
    const log = this.#frameLog;
    if (log === null || this.#finalized) return;
    log.wakeAt[this.#slot] = this.#suspended && !this.#quitRequested ? SUSPENDED : AWAKE;
  }

  isSuspended(): boolean {
    return this.#suspended;
  }

  /**
   * Godot's `Engine.time_scale`: multiplies the delta of every idle and physics step (`_process`,
   * `_physicsProcess`, Timers, `createTimer` timers, tweens), except for timers and tweens that ignore
   * the time scale. Default 1; 0 freezes game time while frames go on.
   */
  get timeScale(): number {
    return this.#timeScale;
  }

  set timeScale(scale: number) {
    if (!(scale >= 0) || !Number.isFinite(scale)) {
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        `timeScale must be a finite number >= 0, got ${scale}.`,
      );
    }
    this[WAKE]();
    this.#timeScale = scale;
  }

  /** Idle frames completed so far (0 while the first frame runs). */
  getFrame(): number {
    this[CATCH_UP]();
    return this.#frames;
  }

  /** Physics steps completed so far. */
  getPhysicsFrame(): number {
    this[CATCH_UP]();
    return this.#physicsFrames;
  }

  /** k6-style metrics of this tree (`counter`, `gauge`, `rate`, `trend`), made when first read. */
  get metrics(): Metrics {
    return metricsOf(this);
  }

  /** The tree's pino logger (`SceneTreeOptions.logger`, or the process default); nodes log through `node.log`. */
  get log(): Logger {
    return this.#logger ?? defaultLogger();
  }

  /** @internal `this.log.isLevelEnabled(level)`, without making the process default logger to ask it. */
  [LOGS_AT](level: LogLevelName): boolean {
    return this.#logger === undefined ? defaultLogsAt(level) : this.#logger.isLevelEnabled(level);
  }

  get exitCode(): number {
    return this.#exitCode;
  }

  /** True once `quit()` has torn the tree down. */
  isFinalized(): boolean {
    return this.#finalized;
  }

  getNodeCount(): number {
    let count = 1;
    forEachDescendant(this.root, () => count++);
    return count;
  }

  // ---------------------------------------------------------------- groups

  /** Members of `group` inside the tree, in tree order. */
  getNodesInGroup(group: string): Node[] {
    return this.#host.groups.ordered(group).slice() as Node[];
  }

  getFirstNodeInGroup(group: string): Node | null {
    return (this.#host.groups.ordered(group)[0] as Node | undefined) ?? null;
  }

  hasGroup(group: string): boolean {
    return this.#host.groups.size(group) > 0;
  }

  getNodeCountInGroup(group: string): number {
    return this.#host.groups.size(group);
  }

  /** Calls `method` on every member of `group` now, in tree order (Godot 4: immediate). */
  callGroup(group: string, method: string, ...args: unknown[]): void {
    this.callGroupFlags(GroupCallFlags.DEFAULT, group, method, ...args);
  }

  /** `callGroup` with `GroupCallFlags`: REVERSE order, DEFERRED to the next flush, UNIQUE (with DEFERRED) once per frame. */
  callGroupFlags(flags: number, group: string, method: string, ...args: unknown[]): void {
    const host = this.#host;
    if (host.groups.size(group) === 0) return;
    if (flags & GroupCallFlags.UNIQUE && flags & GroupCallFlags.DEFERRED) {
      if (this.#uniqueCallsRunning) {
        // Godot's ugc_locked: the frame's unique calls are being made, and one more would slip past them.
        throw new SceneTreeError(
          "ERR_BUSY",
          `callGroupFlags(UNIQUE | DEFERRED, "${group}", "${method}") while the tree makes this frame's unique group calls: make it without UNIQUE, or from callDeferred().`,
        );
      }
      const key = `${group}\u0000${method}`;
      this[WAKE]();
      const unique = (this.#uniqueGroupCalls ??= new Map());
      if (!unique.has(key)) unique.set(key, { group, method, args });
      return;
    }
    this.#forEachMember(flags, group, `${method}()`, (node) => {
      const fn = (node as unknown as Record<string, unknown>)[method];
      // Godot skips members without the method
      return typeof fn === "function" ? () => fn.apply(node, args) : null;
    });
  }

  /** Sends notification `what` to every member of `group` now, in tree order (Godot's `notify_group`). */
  notifyGroup(group: string, what: number): void {
    this.notifyGroupFlags(GroupCallFlags.DEFAULT, group, what);
  }

  /** `notifyGroup` with `GroupCallFlags`: REVERSE order, DEFERRED to the next flush; UNIQUE changes nothing, as in Godot. */
  notifyGroupFlags(flags: number, group: string, what: number): void {
    if (this.#host.groups.size(group) === 0) return;
    this.#forEachMember(flags, group, `notification(${what})`, (node) => () => node.notification(what));
  }

  /**
   * Sets `property` to `value` on every member of `group` now, in tree order (Godot's `set_group`).
   * A member without that property is left alone, as Godot's `set` ignores a property the object lacks.
   */
  setGroup(group: string, property: string, value: unknown): void {
    this.setGroupFlags(GroupCallFlags.DEFAULT, group, property, value);
  }

  /** `setGroup` with `GroupCallFlags`: REVERSE order, DEFERRED to the next flush; UNIQUE changes nothing, as in Godot. */
  setGroupFlags(flags: number, group: string, property: string, value: unknown): void {
    if (this.#host.groups.size(group) === 0) return;
    this.#forEachMember(flags, group, `set ${property}`, (node) =>
      property in node ? () => ((node as unknown as Record<string, unknown>)[property] = value) : null,
    );
  }

  /**
   * Godot's group call loop: the members as they are now (one added meanwhile is not reached, one removed
   * or freed meanwhile is skipped), each given what `action` returns for it (null: nothing), now or, with
   * DEFERRED, at the next flush.
   */
  #forEachMember(
    flags: number,
    group: string,
    label: string,
    action: (node: Node) => (() => unknown) | null,
  ): void {
    const host = this.#host;
    const nodes = host.groups.ordered(group).slice() as Node[];
    if (flags & GroupCallFlags.REVERSE) nodes.reverse();
    host.beginPass();
    try {
      for (const node of nodes) {
        if (host.removedNow(node) || !node.isInstanceValid()) continue;
        const call = action(node);
        if (call === null) continue;
        if (flags & GroupCallFlags.DEFERRED) this.messageQueue.push(node, `deferred ${label}`, call);
        else guard(node, `${label} (group "${group}")`, call);
      }
    } finally {
      host.endPass();
    }
  }

  // ---------------------------------------------------------------- timers

  /** A one-shot timer that emits `timeout` after `seconds` (Godot's `create_timer`). */
  createTimer(
    seconds: number,
    processAlways = true,
    processInPhysics = false,
    ignoreTimeScale = false,
  ): SceneTreeTimer {
    this[WAKE]();
    const timer = new SceneTreeTimer(seconds, processAlways, processInPhysics, ignoreTimeScale);
    timer[TIMER_TREE] = this;
    (this.#timers ??= []).push(timer);
    return timer;
  }

  /**
   * A new Tween, stepped by this tree from the next idle step on (Godot's `create_tween`). Prefer
   * `node.createTween()`, which binds the tween to the node.
   */
  createTween(): Tween {
    this[WAKE]();
    return (this.#tweens ??= new TweenList(this)).create();
  }

  /** The tweens the tree is running, in creation order (Godot's `get_processed_tweens`). */
  getProcessedTweens(): Tween[] {
    return this.#tweens === null ? [] : this.#tweens.snapshot();
  }

  #processTimers(delta: number, physics: boolean): void {
    const timers = this.#timers;
    if (timers === null) return;
    const count = timers.length; // timers created while these run wait for the next step
    if (count === 0) return;
    const expired = new Set<SceneTreeTimer>();
    for (let i = 0; i < count; i++) {
      const timer = timers[i];
      if ((this.#paused && !timer.processAlways) || timer.processInPhysics !== physics) continue;
      // Godot counts an unscaled timer down by the idle frame's delta even in a physics step.
      timer.timeLeft -= timer.ignoreTimeScale ? this[PROCESS_STEP] : delta;
      if (timer.timeLeft <= 0) {
        expired.add(timer);
        timer.emitSignal("timeout");
      }
    }
    if (expired.size > 0 && this.#timers !== null) this.#timers = this.#timers.filter((t) => !expired.has(t));
  }

  // ---------------------------------------------------------------- scenes

  /**
   * Godot 4's `change_scene_to_node`: the current scene leaves the tree now and is freed at the next
   * safe point of the frame, where `node` is added and becomes `currentScene`.
   */
  changeSceneToNode(node: Node): void {
    this[WAKE]();
    this.#sceneChanges++;
    if (!(node instanceof Node)) {
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        "Can't change to a null node. Use unloadCurrentScene() to unload.",
      );
    }
    if (node.isInsideTree()) {
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        "The new scene node can't already be inside the scene tree.",
      );
    }
    if (this.#pendingScene) this.queueDelete(this.#pendingScene);
    const current = this.currentScene;
    // A second change in the same frame finds no current scene (the first took it out): the scene
    // that left stays the one freed at the safe point, as Godot keeps its prev_scene_id, never freed
    // in the middle of the frame (it may be running the very method that asked for the change).
    if (current) {
      if (this.#previousScene) this.queueDelete(this.#previousScene);
      this.#previousScene = current;
      current.getParent()?.removeChild(current);
      this.currentScene = null;
    }
    this.#pendingScene = node;
  }

  /**
   * Loads the scene file and switches to it as `changeSceneToNode` does (the old scene leaves now and
   * is freed at the next safe point, where the new one enters and becomes `currentScene`). Rejects
   * with a SceneError, leaving the current scene alone, when the file is invalid. The last scene
   * change asked for wins, as in Godot: if another one (`changeSceneToFile`, `changeSceneToPacked`,
   * `changeSceneToNode`, `unloadCurrentScene`) comes before this file is loaded, this one resolves
   * without changing anything, whichever file loads first.
   */
  async changeSceneToFile(file: string): Promise<void> {
    const change = ++this.#sceneChanges;
    const load = this.#loadScene ?? defaultSceneFileLoader;
    if (!load) {
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        'No scene loader: import "scenetree" (which installs loadScene) or give the tree a loadScene option.',
      );
    }
    const scene = await load(file);
    if (this.#sceneChanges === change) this.changeSceneToPacked(scene);
  }

  /**
   * Instantiates `scene`, with the tree's `{index}`, `{count}` and `{seed}` filled into its string
   * props, and switches to it as `changeSceneToNode` does.
   */
  changeSceneToPacked(scene: PackedSceneLike): void {
    this.changeSceneToNode(scene.instantiate({ placeholders: instancePlaceholders(this.instance) }));
  }

  /**
   * Godot's `reload_current_scene`: loads the current scene's file again and switches to it, as
   * `changeSceneToFile(currentScene.sceneFilePath)`. A tree with no current scene, or one not instanced
   * from a file (built in code), is `ERR_INVALID_ARGUMENT`.
   */
  reloadCurrentScene(): Promise<void> {
    const current = this.currentScene;
    if (current === null)
      return Promise.reject(
        new SceneTreeError("ERR_INVALID_ARGUMENT", "reloadCurrentScene(): there is no current scene."),
      );
    const file = current.sceneFilePath;
    if (file === "")
      return Promise.reject(
        new SceneTreeError(
          "ERR_INVALID_ARGUMENT",
          `reloadCurrentScene(): the current scene "${current.name}" was not instanced from a scene file.`,
        ),
      );
    return this.changeSceneToFile(file);
  }

  /**
   * Removes and frees the current scene now, as Godot's `unload_current_scene`. A change already asked
   * for goes on: after `changeSceneToNode` there is no current scene to unload, and the new one enters
   * at the safe point; a `changeSceneToFile` still loading switches once its file is loaded.
   */
  unloadCurrentScene(): void {
    this[WAKE]();
    const current = this.currentScene;
    if (current) {
      this.currentScene = null;
      current.free();
    }
  }

  #flushSceneChange(): void {
    if (this.#previousScene) {
      this.#previousScene.free();
      this.#previousScene = null;
    }
    const next = this.#pendingScene;
    this.#pendingScene = null;
    if (next && next.isInstanceValid()) {
      this.currentScene = next;
      this.root.addChild(next);
      this.emitSignal("sceneChanged");
    }
  }

  // ---------------------------------------------------------------- frames

  /**
   * Runs exactly one frame of `delta` seconds now: the physics steps that are due, then the idle step.
   * After `quit()`, the frame finishes and the tree is torn down.
   */
  step(delta: number): void {
    if (this.#finalized) return;
    this.#beginStep("step", delta);
    this.#inFrame = true;
    try {
      this.#frame(delta);
    } finally {
      this.#inFrame = false;
    }
  }

  /**
   * Godot's `SceneTree::process(delta)`: the idle step alone (`processFrame`, deferred calls, idle
   * processing, idle timers and tweens, deletions), with `delta` as given. Godot's main loop scales the
   * delta and runs the physics steps around it; `step()` is that whole frame, this is for code (and
   * Godot's own tests) that drives the two steps apart. Returns whether `quit()` was asked for, as
   * Godot's does; the tree is then torn down, as after `step()`.
   */
  process(delta: number): boolean {
    return this.#singleStep("process", delta, false);
  }

  /**
   * Godot's `SceneTree::physics_process(delta)`: one physics step alone (`physicsFrame`, physics
   * processing, physics timers and tweens, deferred calls, deletions), with `delta` as given. See
   * {@link process}.
   */
  physicsProcess(delta: number): boolean {
    return this.#singleStep("physicsProcess", delta, true);
  }

  #beginStep(what: string, delta: number): void {
    if (this.#stepping) {
      throw new SceneTreeError(
        "ERR_STEP_REENTERED",
        `${what}() called from inside a frame; use callDeferred() instead.`,
      );
    }
    if (!(delta >= 0))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `${what}() needs a delta >= 0, got ${delta}.`);
    if (this.#pendingErrors !== null && this.#pendingErrors.length > 0) throw this.#pendingErrors.shift()!;
    this[WAKE]();
  }

  #singleStep(what: string, delta: number, physics: boolean): boolean {
    if (this.#finalized) return true;
    this.#beginStep(what, delta);
    this.#inFrame = true;
    this.#stepping = true;
    try {
      this[PROCESS_STEP] = delta;
      if (physics) this.#physicsStep(delta);
      else this.#idleStep(delta);
    } finally {
      this.#stepping = false;
      this.#inFrame = false;
      if (this.#pendingSuspend !== null) this.setSuspend(this.#pendingSuspend);
    }
    const quit = this.#quitRequested;
    if (quit) {
      this.#inFrame = true;
      try {
        this.finalize();
      } finally {
        this.#inFrame = false;
      }
    }
    return quit;
  }

  #frame(delta: number): void {
    this.#stepping = true;
    try {
      const physicsDelta = 1 / this.#physicsTicksPerSecond;
      const steps = this.#physicsStepsDue(delta, physicsDelta);
      // Godot sets Engine::get_process_step() before the cap, so what ignores the time scale counts
      // the whole frame; a suspended tree's game time is frozen (Engine's freeze_time_scale).
      this[PROCESS_STEP] = delta;
      const scale = this.#suspended ? 0 : this.#timeScale;
      for (let i = 0; i < steps; i++) {
        // A step with nothing to run only counts itself, and so does every step after it (no code ran
        // that could give it something): a late frame of an idle tree costs no catching up. After
        // quit() only the one step Main::iteration runs before it stops counts.
        if (this.#physicsIdle()) {
          this.#physicsFrames += this.#quitRequested ? 1 : steps - i;
          break;
        }
        // Main::iteration leaves the physics loop once a step returns the quit request; the idle step
        // still runs.
        if (this.#physicsStep(physicsDelta * scale)) break;
      }
      this.#idleStep(this.#idleDelta * scale);
    } finally {
      this.#stepping = false;
      if (this.#pendingSuspend !== null) this.setSuspend(this.#pendingSuspend);
    }
    if (this.#quitRequested) this.finalize();
  }

  /**
   * How many physics steps of `physicsDelta` a frame of `delta` runs, at most `maxPhysicsStepsPerFrame`,
   * and (in `#idleDelta`) the frame's idle delta. As Godot's MainTimerSync and Main::iteration: the
   * accumulator keeps the part of a step left over, the steps past the cap are dropped, and the idle
   * delta loses them too, so that idle time and physics time stay in step.
   */
  #physicsStepsDue(delta: number, physicsDelta: number): number {
    this.#physicsAccumulator += delta;
    // The tiny tolerance keeps 60 steps of 1/60 s from losing one to floating-point rounding.
    const due = Math.floor(this.#physicsAccumulator / physicsDelta + 1e-7);
    this.#physicsAccumulator = Math.max(0, this.#physicsAccumulator - due * physicsDelta);
    const steps = Math.min(due, this.#maxPhysicsStepsPerFrame);
    this.#idleDelta = steps < due ? Math.max(0, delta - (due - steps) * physicsDelta) : delta;
    return steps;
  }

  /**
   * True when a physics step would run no code and change nothing but the physics frame count: no
   * `physicsFrame` listener, no physics-processing node, no deferred call, unique group call, timer,
   * tween or deletion waiting (conservatively: any timer or tween list at all counts as work).
   */
  #physicsIdle(): boolean {
    const list = this.#host.physicsList;
    const unique = this.#uniqueGroupCalls;
    const timers = this.#timers;
    return (
      (list === null || list.size === 0) &&
      this.messageQueue.size === 0 &&
      (unique === null || unique.size === 0) &&
      (timers === null || timers.length === 0) &&
      this.#tweens === null &&
      this.#deleteQueue === null &&
      !hasListeners(this, "physicsFrame")
    );
  }

  /** One physics step; true when `quit()` was asked for by then (what `SceneTree::physics_process` returns). */
  #physicsStep(delta: number): boolean {
    this.#emitIfListened("physicsFrame");
    this.#processNodes(this.#host.snapshot(true), delta, true);
    this.#flushUniqueGroupCalls();
    this.messageQueue.flush();
    this.#processTimers(delta, true);
    this.#tweens?.process(delta, this[PROCESS_STEP], true, this);
    this.#flushDeleteQueue();
    const quit = this.#quitRequested;
    // Main::iteration flushes once more after the step, so calls deferred by timers or by nodes
    // leaving during deletion still run in this step (a quit() from there makes the next step the last).
    this.messageQueue.flush();
    this.#physicsFrames++;
    return quit;
  }

  #idleStep(delta: number): void {
    // Godot 4's SceneTree::process emits process_frame only when not suspended (test_scene_tree.cpp).
    if (!this.#suspended) this.#emitIfListened("processFrame");
    this.messageQueue.flush();
    this.#processNodes(this.#host.snapshot(false), delta, false);
    this.#flushUniqueGroupCalls();
    this.messageQueue.flush();
    if (this.#pendingScene || this.#previousScene) this.#flushSceneChange();
    this.#processTimers(delta, false);
    this.#tweens?.process(delta, this[PROCESS_STEP], false, this);
    this.#flushDeleteQueue();
    this.messageQueue.flush(); // Main::iteration's flush after process(), as after each physics step
    this.#frames++;
  }

  #processNodes(nodes: readonly NodeLike[], delta: number, physics: boolean): void {
    if (nodes.length === 0) return; // most trees have no physics-processing node: a pass costs nothing then
    const host = this.#host;
    host.beginPass();
    try {
      (physics ? host.physicsRunner : host.idleRunner)!.run(nodes, delta);
    } finally {
      host.endPass();
    }
  }

  #flushUniqueGroupCalls(): void {
    const unique = this.#uniqueGroupCalls;
    if (unique === null || unique.size === 0) return;
    const calls = [...unique.values()];
    unique.clear();
    this.#uniqueCallsRunning = true;
    try {
      for (const { group, method, args } of calls)
        this.callGroupFlags(GroupCallFlags.DEFAULT, group, method, ...args);
    } finally {
      this.#uniqueCallsRunning = false;
    }
  }

  /** @internal Queues `object` to be freed at the end of the current frame. */
  queueDelete(object: GodotObject): void {
    this[WAKE]();
    object[QUEUED] = true;
    (this.#deleteQueue ??= []).push(object);
  }

  #flushDeleteQueue(): void {
    if (this.#deleteQueue === null) return;
    // Read afresh each time: objects freed here may queue more, which this loop frees too.
    for (let i = 0; this.#deleteQueue !== null && i < this.#deleteQueue.length; i++) {
      const object = this.#deleteQueue[i];
      if (object.isInstanceValid()) object.free();
    }
    this.#deleteQueue = null;
  }

  /**
   * Runs frames in real time until `quit()`; resolves to the exit code. Each frame's delta is the
   * time measured since the previous one, snapped to the nominal frame time when within 5% (Godot's
   * delta smoothing), so an injected TestClock gives exact 1/fps deltas.
   */
  run(options: RunOptions = {}): Promise<number> {
    const fps = options.fps ?? 60;
    if (!(fps > 0)) throw new SceneTreeError("ERR_INVALID_ARGUMENT", `run() needs fps > 0, got ${fps}.`);
    const nominal = 1 / fps;
    const periodMs = 1000 / fps;
    return new Promise<number>((resolve, reject) => {
      if (this.#finalized) return resolve(this.#exitCode);
      let start = 0;
      let last = 0;
      let frame = 0;
      // The schedule restarts from now: at the first frame, and after being suspended.
      const restart = (): void => {
        start = this.clock.now();
        last = start - periodMs;
        frame = 0;
        this.clock.schedule(tick, 0);
      };
      const tick = (): void => {
        if (this.#suspended && !this.#quitRequested && !this.#finalized) {
          this.#resumeRun = () => {
            this.#resumeRun = null;
            restart();
          };
          return;
        }
        const now = this.clock.now();
        let delta = (now - last) / 1000;
        last = now;
        if (Math.abs(delta - nominal) <= nominal * 0.05) delta = nominal;
        try {
          if (!this.#finalized) this.step(delta);
        } catch (error) {
          reject(error);
          return;
        }
        if (this.#finalized) {
          resolve(this.#exitCode);
          return;
        }
        frame++;
        this.clock.schedule(tick, Math.max(0, start + frame * periodMs - this.clock.now()));
      };
      restart();
    });
  }

  /**
   * Ends the game loop: the current frame (or the next one, if none is running) finishes, then every
   * node leaves the tree (`_exitTree` children first) and is freed, and `run()` resolves to `exitCode`.
   */
  quit(exitCode = 0): void {
    this[WAKE]();
    this.#exitCode = exitCode;
    this.#quitRequested = true;
    if (this.#suspended) this.#holdInFrameLog(); // its quitting frame runs
    this.#wakeRun();
  }

  #wakeRun(): void {
    this.#resumeRun?.();
  }

  /** Resolves with the exit code once the tree has been torn down by `quit()`. */
  whenFinalized(): Promise<number> {
    if (this.#finalized) return Promise.resolve(this.#exitCode);
    return new Promise((resolve) => (this.#quitListeners ??= []).push(resolve));
  }

  /**
   * Tears the tree down now (Godot's `SceneTree::finalize`). `quit()` does this after its frame. With
   * `fatalErrors`, a kept error that no `step()` has thrown yet is thrown once the tree is down.
   */
  finalize(): void {
    if (this.#finalized) return;
    this[WAKE]();
    this.#finalized = true;
    this.#host.finalized = true;
    this.#flushDeleteQueue();
    this.#flushUniqueGroupCalls(); // as Godot's finalize: queued unique calls reach nodes still in the tree
    setTree(this.root, null);
    propagateAfterExitTree(this.root, true);
    this.root.free();
    this.#flushDeleteQueue();
    this.#timers = null;
    this.#tweens?.clear();
    this.messageQueue.clear();
    this.#wakeRun(); // a run() held by setSuspend resolves too
    const listeners = this.#quitListeners;
    this.#quitListeners = null;
    if (listeners !== null) for (const listener of listeners) listener(this.#exitCode);
    // Fatal errors no step() will throw now: the first is thrown here, any others are reported.
    const pending = this.#pendingErrors;
    this.#pendingErrors = null;
    if (pending === null) return;
    for (let i = 1; i < pending.length; i++) this.#deliver(pending[i]);
    if (pending.length > 0) throw pending[0];
  }

  // ---------------------------------------------------------------- sleeping (see frameSleep.ts)

  /** @internal This tree is stepped by the loop of `log`, in `slot` (again when the loop moves it). */
  [JOIN_FRAME_LOG](log: FrameLog, slot: number): void {
    this.#frameLog = log;
    this.#slot = slot;
  }

  /**
   * @internal Called by the loop just after stepping this tree: puts it to sleep when its coming
   * frames can do nothing but count its Timers down, and says from when it must be stepped again
   * (log time), or AWAKE, or SUSPENDED (not until it resumes).
   */
  [TRY_SLEEP](): number {
    const log = this.#frameLog;
    if (log === null || this.#finalized || this.#quitRequested) return AWAKE;
    if (this.#suspended) return SUSPENDED; // skipped, not asleep: no frame passes for it
    if (this.#paused) return AWAKE;
    if (this.#pendingErrors !== null && this.#pendingErrors.length > 0) return AWAKE;
    if (this.#pendingScene !== null || this.#previousScene !== null || !this.#physicsIdle()) return AWAKE;
    if (hasListeners(this, "processFrame")) return AWAKE;
    const list = this.#host.idleList;
    const seconds = list === null ? Infinity : countdownSeconds(list.snapshot(), this.#timeScale);
    if (seconds < 0) return AWAKE;
    this.#sleepFrom = log.nextFrame();
    this.#host.asleep = true;
    return log.nextFrameTime() + seconds - WAKE_MARGIN;
  }

  /** @internal Replays the frames slept through so far; stays asleep. */
  [CATCH_UP](): void {
    const from = this.#sleepFrom;
    if (from < 0) return;
    const log = this.#frameLog!;
    const to = log.reached(this.#slot);
    for (let frame = from; frame < to; frame++) this.#countdownFrame(log.deltaOf(frame));
    this.#sleepFrom = to;
  }

  /** @internal Catches up and is stepped again from the next frame on (the next frame may have work). */
  [WAKE](): void {
    if (this.#sleepFrom < 0) return;
    this[CATCH_UP]();
    this.#sleepFrom = -1;
    this.#host.asleep = false;
    this.#frameLog!.wakeAt[this.#slot] = AWAKE;
  }

  /** @internal A listener for any of the tree's signals may want the next frame (`processFrame`). */
  [LISTENED](): void {
    this[WAKE]();
  }

  /**
   * A frame slept through: what `#frame` does in a frame where no code runs (physics steps that only
   * count, the idle-processing nodes counting down, the frame count), without a pass over the nodes.
   */
  #countdownFrame(delta: number): void {
    this.#physicsFrames += this.#physicsStepsDue(delta, 1 / this.#physicsTicksPerSecond);
    this[PROCESS_STEP] = delta;
    const list = this.#host.idleList;
    if (list !== null && list.size > 0) countDown(list.snapshot(), this.#idleDelta * this.#timeScale, delta);
    this.#frames++;
  }

  // ---------------------------------------------------------------- errors

  /**
   * @internal Reports an error thrown by user code (or a rejection of its promise) with the path of the
   * node it came from. With `fatalErrors` it is thrown inside a frame, and kept for the next `step()`
   * outside one, where throwing would reach a network callback or a promise instead of the caller.
   */
  reportError(source: GodotObject | null, what: string, error: unknown, path?: string): void {
    path ??= source ? source[DESCRIBE]() : "<deferred call>";
    const wrapped = isUserCallbackError(error) ? error : new UserCallbackError(path, what, error);
    if (this.#fatalErrors && this.#inFrame) throw wrapped;
    if (this.#fatalErrors && !this.#finalized) {
      this[WAKE]();
      (this.#pendingErrors ??= []).push(wrapped);
      return;
    }
    this.#deliver(wrapped);
  }

  #deliver(error: UserCallbackError): void {
    if (this.#onError) {
      this.#onError(error, this);
      return;
    }
    const detail = describeThrown(error.cause, true);
    process.stderr.write(`ERROR: ${error.callback} on ${error.nodePath} threw: ${detail}\n`);
  }

  /** @internal */
  override [DESCRIBE](): string {
    return "SceneTree";
  }

  /** @internal */
  override [TRY_CONTEXT](): TreeContext {
    return this;
  }

  /** Emits a signal without arguments (no rest array per call: this runs every step of every tree). */
  #emitIfListened(signal: string): void {
    if (hasListeners(this, signal)) (this as GodotObject).emit(signal);
  }
}

// `node.getTree()` returns this class: declared here, so that Node need not import the tree.
declare module "./node/data" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface NodeTree extends SceneTree {}
}

/** `instanceof UserCallbackError` that a hostile thrown value (a Proxy refusing its prototype) can't break. */
function isUserCallbackError(value: unknown): value is UserCallbackError {
  try {
    return value instanceof UserCallbackError;
  } catch {
    return false;
  }
}
