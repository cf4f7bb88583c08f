import { GodotObject } from "./GodotObject";
import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { forEachDescendant, Node, ProcessMode, propagatePauseNotification } from "./Node";
import { MessageQueue } from "./MessageQueue";
import { ProcessList } from "./ProcessList";
import { GroupRegistry } from "./GroupRegistry";
import { ProcessRunner } from "./ProcessRunner";
import { SceneTreeTimer } from "./SceneTreeTimer";
import { SceneTreeError, UserCallbackError } from "../core/errors";
import { SystemClock, type Clock } from "../core/clock";
import { registerTreeContext, unregisterTreeContext, type TreeContext } from "./context";
import { SINGLE_INSTANCE, checkTreeInstance, type TreeInstance } from "./instance";
import { PROCESS_STEP } from "./processStep";
import type { Tween } from "./tween/Tween";
import { TweenList } from "./tween/TweenList";
import type { Metrics } from "../metrics/Metrics";
import { metricsOf } from "../metrics/treeMetrics";
import { defaultLogger, PATHS_EPOCH, type Logger } from "./log";

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
  /** Receives every error thrown by user code; the default prints it to stderr like Godot does. */
  onError?: (error: UserCallbackError) => void;
  /** Which instance of a fleet this tree is (default `{ index: 0, count: 1, seed: 0 }`). */
  instance?: TreeInstance;
  /**
   * A pino logger for `tree.log` and, through child loggers, every node's `node.log`. Default: one
   * shared by the process, `warn` and above as JSON lines on stderr (scenetree logs at info and below).
   */
  logger?: Logger;
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
 *   physics steps that are due, each: `physicsFrame` signal → nodes' physics processing in order →
 *     unique group calls → deferred flush → physics timers → physics tweens → deletions → deferred flush;
 *   then the idle step: `processFrame` signal → deferred flush → nodes' processing in order (internal
 *     processing such as a Timer's tick, then `_process`) → unique group calls → deferred flush →
 *     pending scene change → timers → tweens → deletions → deferred flush (Main::iteration's).
 *
 * `timeScale` (Godot's `Engine.time_scale`) scales the deltas every step hands out; the number of
 * physics steps still follows the real delta, as Godot's main loop does.
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
  physicsTicksPerSecond: number;
  maxPhysicsStepsPerFrame: number;
  /** The scene set by `changeSceneTo*` (or by you); null between the old scene leaving and the new entering. */
  currentScene: Node | null = null;

  private _paused = false;
  private readonly fatalErrors: boolean;
  private readonly onError?: (error: UserCallbackError) => void;
  private readonly logger?: Logger;
  private readonly idleList = new ProcessList((n) => n._processPriority);
  private readonly physicsList = new ProcessList((n) => n._physicsPriority);
  private readonly runnerHost = {
    tree: this,
    get paused(): boolean {
      return this.tree._paused;
    },
    isPresent: (node: Node) => node._tree === this && !this.removedDuringPass.has(node),
    reportError: (node: Node, what: string, error: unknown) => this.reportError(node, what, error),
  };
  private readonly idleRunner = new ProcessRunner(this.runnerHost, false);
  private readonly physicsRunner = new ProcessRunner(this.runnerHost, true);
  private readonly groups = new GroupRegistry();
  private timers: SceneTreeTimer[] = [];
  private readonly tweens = new TweenList(this);
  private _timeScale = 1;
  /** @internal The unscaled delta of the frame being run. */
  [PROCESS_STEP] = 0;
  /** @internal Bumped whenever a node's path may have changed (a rename, a removal): see log.ts. */
  [PATHS_EPOCH] = 0;
  private deleteQueue: GodotObject[] = [];
  private uniqueGroupCalls = new Map<string, { group: string; method: string; args: unknown[] }>();
  /** Nodes that left the tree during processing or a group call: skipped for the rest of that pass. */
  private readonly removedDuringPass = new Set<Node>();
  private passDepth = 0;
  private pendingScene: Node | null = null;
  private previousScene: Node | null = null;
  private physicsAccumulator = 0;
  private frames = 0;
  private physicsFrames = 0;
  private stepping = false;
  /** Inside `step()`, finalizing included: where a fatal error may be thrown at once. */
  private inFrame = false;
  /** Fatal errors from between frames, thrown by the next `step()` one at a time. */
  private pendingErrors: UserCallbackError[] = [];
  private quitRequested = false;
  private finalized = false;
  private suspended = false;
  /** Restarts a `run()` loop that found the tree suspended and stopped scheduling frames. */
  private resumeRun: (() => void) | null = null;
  private _exitCode = 0;
  private quitListeners: Array<(code: number) => void> = [];

  constructor(options: SceneTreeOptions = {}) {
    super();
    this.clock = options.clock ?? new SystemClock();
    this.physicsTicksPerSecond = options.physicsTicksPerSecond ?? 60;
    this.maxPhysicsStepsPerFrame = options.maxPhysicsStepsPerFrame ?? 8;
    this.fatalErrors = options.fatalErrors ?? false;
    this.onError = options.onError;
    if (options.instance) checkTreeInstance(options.instance);
    const { index, count, seed } = options.instance ?? SINGLE_INSTANCE;
    this.instance = Object.freeze({ index, count, seed });
    this.logger = options.logger;
    this.messageQueue = new MessageQueue((target, what, error) => this.reportError(target, what, error));
    registerTreeContext(this);
    this.root = new Node("root");
    this.root.processMode = ProcessMode.PAUSABLE;
    this.root._setTree(this);
  }

  // ---------------------------------------------------------------- state

  get paused(): boolean {
    return this._paused;
  }

  set paused(paused: boolean) {
    if (paused === this._paused) return;
    this._paused = paused;
    this._processingChanged(null);
    propagatePauseNotification(this.root, paused);
  }

  isPaused(): boolean {
    return this._paused;
  }

  /**
   * Godot 4's `SceneTree.set_suspend` (the debugger's Suspend button): while suspended, `run()` runs
   * no frames at all, so processing, timers, tweens and the frame count stand still whatever the
   * nodes' process modes; `step()` still runs one frame when called. Resuming goes on with a frame
   * of the nominal delta: the time spent suspended is not caught up. Unlike `paused`, this is a
   * debugging hold, not game logic. `quit()` while suspended still runs its frame and ends `run()`.
   */
  setSuspend(enabled: boolean): void {
    this.suspended = enabled;
    if (!enabled) this.wakeRun();
  }

  isSuspended(): boolean {
    return this.suspended;
  }

  /**
   * Godot's `Engine.time_scale`: multiplies the delta of every idle and physics step (`_process`,
   * `_physicsProcess`, Timers, `createTimer` timers, tweens), except for timers and tweens that ignore
   * the time scale. Default 1; 0 freezes game time while frames go on.
   */
  get timeScale(): number {
    return this._timeScale;
  }

  set timeScale(scale: number) {
    if (!(scale >= 0) || !Number.isFinite(scale)) {
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        `timeScale must be a finite number >= 0, got ${scale}.`,
      );
    }
    this._timeScale = scale;
  }

  /** Idle frames completed so far (0 while the first frame runs). */
  getFrame(): number {
    return this.frames;
  }

  /** Physics steps completed so far. */
  getPhysicsFrame(): number {
    return this.physicsFrames;
  }

  /** k6-style metrics of this tree (`counter`, `gauge`, `rate`, `trend`), made when first read. */
  get metrics(): Metrics {
    return metricsOf(this);
  }

  /** The tree's pino logger (`SceneTreeOptions.logger`, or the process default); nodes log through `node.log`. */
  get log(): Logger {
    return this.logger ?? defaultLogger();
  }

  get exitCode(): number {
    return this._exitCode;
  }

  /** True once `quit()` has torn the tree down. */
  isFinalized(): boolean {
    return this.finalized;
  }

  getNodeCount(): number {
    let count = 1;
    forEachDescendant(this.root, () => count++);
    return count;
  }

  // ---------------------------------------------------------------- groups

  /** Members of `group` inside the tree, in tree order. */
  getNodesInGroup(group: string): Node[] {
    return this.groups.ordered(group).slice();
  }

  getFirstNodeInGroup(group: string): Node | null {
    return this.groups.ordered(group)[0] ?? null;
  }

  hasGroup(group: string): boolean {
    return this.groups.size(group) > 0;
  }

  getNodeCountInGroup(group: string): number {
    return this.groups.size(group);
  }

  /** Calls `method` on every member of `group` now, in tree order (Godot 4: immediate). */
  callGroup(group: string, method: string, ...args: unknown[]): void {
    this.callGroupFlags(GroupCallFlags.DEFAULT, group, method, ...args);
  }

  /** `callGroup` with `GroupCallFlags`: REVERSE order, DEFERRED to the next flush, UNIQUE (with DEFERRED) once per frame. */
  callGroupFlags(flags: number, group: string, method: string, ...args: unknown[]): void {
    if (this.groups.size(group) === 0) return;
    if (flags & GroupCallFlags.UNIQUE && flags & GroupCallFlags.DEFERRED) {
      const key = `${group}\u0000${method}`;
      if (!this.uniqueGroupCalls.has(key)) this.uniqueGroupCalls.set(key, { group, method, args });
      return;
    }
    const nodes = this.groups.ordered(group).slice();
    if (flags & GroupCallFlags.REVERSE) nodes.reverse();
    const removed = this.beginPass();
    try {
      for (const node of nodes) {
        if (removed.has(node) || !node.isInstanceValid()) continue;
        const fn = (node as unknown as Record<string, unknown>)[method];
        if (typeof fn !== "function") continue; // Godot skips members without the method
        if (flags & GroupCallFlags.DEFERRED) {
          this.messageQueue.push(node, `deferred ${method}()`, () => fn.apply(node, args));
        } else {
          node._guard(`${method}() (group "${group}")`, () => fn.apply(node, args));
        }
      }
    } finally {
      this.endPass();
    }
  }

  private beginPass(): Set<Node> {
    this.passDepth++;
    return this.removedDuringPass;
  }

  private endPass(): void {
    // Set#clear allocates a fresh table even when empty: twice a frame for every tree of a fleet.
    if (--this.passDepth === 0 && this.removedDuringPass.size > 0) this.removedDuringPass.clear();
  }

  /** @internal */
  _groupAdd(group: string, node: Node): void {
    this.groups.add(group, node);
  }

  /** @internal */
  _groupRemove(group: string, node: Node): void {
    this.groups.remove(group, node);
  }

  // ---------------------------------------------------------------- timers

  /** A one-shot timer that emits `timeout` after `seconds` (Godot's `create_timer`). */
  createTimer(
    seconds: number,
    processAlways = true,
    processInPhysics = false,
    ignoreTimeScale = false,
  ): SceneTreeTimer {
    const timer = new SceneTreeTimer(seconds, processAlways, processInPhysics, ignoreTimeScale);
    this.timers.push(timer);
    return timer;
  }

  /**
   * A new Tween, stepped by this tree from the next idle step on (Godot's `create_tween`). Prefer
   * `node.createTween()`, which binds the tween to the node.
   */
  createTween(): Tween {
    return this.tweens.create();
  }

  /** The tweens the tree is running, in creation order (Godot's `get_processed_tweens`). */
  getProcessedTweens(): Tween[] {
    return this.tweens.snapshot();
  }

  private processTimers(delta: number, physics: boolean): void {
    const timers = this.timers;
    const count = timers.length; // timers created while these run wait for the next step
    if (count === 0) return;
    const expired = new Set<SceneTreeTimer>();
    for (let i = 0; i < count; i++) {
      const timer = timers[i];
      if ((this._paused && !timer.processAlways) || timer.processInPhysics !== physics) continue;
      // Godot counts an unscaled timer down by the idle frame's delta even in a physics step.
      timer.timeLeft -= timer.ignoreTimeScale ? this[PROCESS_STEP] : delta;
      if (timer.timeLeft <= 0) {
        expired.add(timer);
        timer.emitSignal("timeout");
      }
    }
    if (expired.size > 0) this.timers = this.timers.filter((t) => !expired.has(t));
  }

  // ---------------------------------------------------------------- scenes

  /**
   * Godot 4's `change_scene_to_node`: the current scene leaves the tree now and is freed at the next
   * safe point of the frame, where `node` is added and becomes `currentScene`.
   */
  changeSceneToNode(node: Node): void {
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
    if (this.pendingScene) this.queueDelete(this.pendingScene);
    if (this.previousScene) {
      this.previousScene.free();
      this.previousScene = null;
    }
    const current = this.currentScene;
    if (current) {
      this.previousScene = current;
      if (current._parent) current._parent.removeChild(current);
      this.currentScene = null;
    }
    this.pendingScene = node;
  }

  /** Removes and frees the current scene now. */
  unloadCurrentScene(): void {
    if (this.pendingScene) {
      this.queueDelete(this.pendingScene);
      this.pendingScene = null;
    }
    const current = this.currentScene;
    if (current) {
      this.currentScene = null;
      current.free();
    }
  }

  private flushSceneChange(): void {
    if (this.previousScene) {
      this.previousScene.free();
      this.previousScene = null;
    }
    const next = this.pendingScene;
    this.pendingScene = null;
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
    if (this.finalized) return;
    if (this.stepping) {
      throw new SceneTreeError(
        "ERR_STEP_REENTERED",
        "step() called from inside a frame; use callDeferred() instead.",
      );
    }
    if (!(delta >= 0))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `step() needs a delta >= 0, got ${delta}.`);
    if (this.pendingErrors.length > 0) throw this.pendingErrors.shift()!;
    this.inFrame = true;
    try {
      this.frame(delta);
    } finally {
      this.inFrame = false;
    }
  }

  private frame(delta: number): void {
    this.stepping = true;
    try {
      const physicsDelta = 1 / this.physicsTicksPerSecond;
      this.physicsAccumulator += delta;
      // The tiny tolerance keeps 60 steps of 1/60 s from losing one to floating-point rounding.
      let steps = Math.floor(this.physicsAccumulator / physicsDelta + 1e-7);
      if (steps > this.maxPhysicsStepsPerFrame) {
        steps = this.maxPhysicsStepsPerFrame;
        this.physicsAccumulator = steps * physicsDelta; // drop what cannot be caught up, as Godot does
      }
      this.physicsAccumulator = Math.max(0, this.physicsAccumulator - steps * physicsDelta);
      this[PROCESS_STEP] = delta;
      const scale = this._timeScale;
      for (let i = 0; i < steps; i++) this.physicsStep(physicsDelta * scale);
      this.idleStep(delta * scale);
    } finally {
      this.stepping = false;
    }
    if (this.quitRequested) this.finalize();
  }

  private physicsStep(delta: number): void {
    this.emitIfListened("physicsFrame");
    this.processNodes(this.physicsList.snapshot(), delta, true);
    this.flushUniqueGroupCalls();
    this.messageQueue.flush();
    this.processTimers(delta, true);
    this.tweens.process(delta, this[PROCESS_STEP], true, this._paused);
    this.flushDeleteQueue();
    // Main::iteration flushes once more after the step, so calls deferred by timers or by nodes
    // leaving during deletion still run in this step.
    this.messageQueue.flush();
    this.physicsFrames++;
  }

  private idleStep(delta: number): void {
    this.emitIfListened("processFrame");
    this.messageQueue.flush();
    this.processNodes(this.idleList.snapshot(), delta, false);
    this.flushUniqueGroupCalls();
    this.messageQueue.flush();
    if (this.pendingScene || this.previousScene) this.flushSceneChange();
    this.processTimers(delta, false);
    this.tweens.process(delta, this[PROCESS_STEP], false, this._paused);
    this.flushDeleteQueue();
    this.messageQueue.flush(); // Main::iteration's flush after process(), as after each physics step
    this.frames++;
  }

  private processNodes(nodes: readonly Node[], delta: number, physics: boolean): void {
    this.beginPass();
    try {
      (physics ? this.physicsRunner : this.idleRunner).run(nodes, delta);
    } finally {
      this.endPass();
    }
  }

  private flushUniqueGroupCalls(): void {
    if (this.uniqueGroupCalls.size === 0) return;
    const calls = [...this.uniqueGroupCalls.values()];
    this.uniqueGroupCalls.clear();
    for (const { group, method, args } of calls)
      this.callGroupFlags(GroupCallFlags.DEFAULT, group, method, ...args);
  }

  /** @internal Queues `object` to be freed at the end of the current frame. */
  queueDelete(object: GodotObject): void {
    object._queuedForDeletion = true;
    this.deleteQueue.push(object);
  }

  private flushDeleteQueue(): void {
    if (this.deleteQueue.length === 0) return;
    for (let i = 0; i < this.deleteQueue.length; i++) {
      const object = this.deleteQueue[i];
      if (object.isInstanceValid()) object.free();
    }
    this.deleteQueue = [];
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
      if (this.finalized) return resolve(this._exitCode);
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
        if (this.suspended && !this.quitRequested && !this.finalized) {
          this.resumeRun = () => {
            this.resumeRun = null;
            restart();
          };
          return;
        }
        const now = this.clock.now();
        let delta = (now - last) / 1000;
        last = now;
        if (Math.abs(delta - nominal) <= nominal * 0.05) delta = nominal;
        try {
          if (!this.finalized) this.step(delta);
        } catch (error) {
          reject(error);
          return;
        }
        if (this.finalized) {
          resolve(this._exitCode);
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
    this._exitCode = exitCode;
    this.quitRequested = true;
    this.wakeRun();
  }

  private wakeRun(): void {
    this.resumeRun?.();
  }

  /** Resolves with the exit code once the tree has been torn down by `quit()`. */
  whenFinalized(): Promise<number> {
    if (this.finalized) return Promise.resolve(this._exitCode);
    return new Promise((resolve) => this.quitListeners.push(resolve));
  }

  /**
   * Tears the tree down now (Godot's `SceneTree::finalize`). `quit()` does this after its frame. With
   * `fatalErrors`, a kept error that no `step()` has thrown yet is thrown once the tree is down.
   */
  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    this.flushDeleteQueue();
    this.root._setTree(null);
    this.root._propagateAfterExitTree(true);
    this.root.free();
    this.flushDeleteQueue();
    this.timers = [];
    this.tweens.clear();
    this.messageQueue.clear();
    unregisterTreeContext(this);
    this.wakeRun(); // a run() held by setSuspend resolves too
    for (const listener of this.quitListeners.splice(0)) listener(this._exitCode);
    // Fatal errors no step() will throw now: the first is thrown here, any others are reported.
    const pending = this.pendingErrors.splice(0);
    for (let i = 1; i < pending.length; i++) this.deliver(pending[i]);
    if (pending.length > 0) throw pending[0];
  }

  // ---------------------------------------------------------------- errors

  /**
   * @internal Reports an error thrown by user code (or a rejection of its promise) with the path of the
   * node it came from. With `fatalErrors` it is thrown inside a frame, and kept for the next `step()`
   * outside one, where throwing would reach a network callback or a promise instead of the caller.
   */
  reportError(source: GodotObject | null, what: string, error: unknown, path?: string): void {
    path ??= source ? source._describe() : "<deferred call>";
    const wrapped = error instanceof UserCallbackError ? error : new UserCallbackError(path, what, error);
    if (this.fatalErrors && this.inFrame) throw wrapped;
    if (this.fatalErrors && !this.finalized) {
      this.pendingErrors.push(wrapped);
      return;
    }
    this.deliver(wrapped);
  }

  private deliver(error: UserCallbackError): void {
    if (this.onError) {
      this.onError(error);
      return;
    }
    const cause = error.cause;
    const detail = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
    process.stderr.write(`ERROR: ${error.callback} on ${error.nodePath} threw: ${detail}\n`);
  }

  /** @internal */
  override _describe(): string {
    return "SceneTree";
  }

  /** @internal */
  override _tryContext(): TreeContext {
    return this;
  }

  /** @internal */
  override _context(): TreeContext {
    return this;
  }

  // ---------------------------------------------------------------- bookkeeping called by Node

  /** @internal */
  _setInProcessList(node: Node, physics: boolean, present: boolean): void {
    (physics ? this.physicsList : this.idleList).set(node, present);
  }

  /** @internal Whether `node`, or any node (`null`), may now process differently. */
  _processingChanged(node: Node | null): void {
    this.idleRunner.changed(node);
    this.physicsRunner.changed(node);
  }

  /** @internal */
  _processOrderChanged(physics: boolean): void {
    (physics ? this.physicsList : this.idleList).markDirty();
  }

  /** @internal The order of existing nodes changed (moveChild): cached orders are stale. */
  _structureChanged(): void {
    this.idleList.markDirty();
    this.physicsList.markDirty();
    this.groups.invalidateOrder();
  }

  /** @internal */
  _nodeAdded(node: Node): void {
    this.emitIfListened("nodeAdded", node);
  }

  /** @internal */
  _nodeRemoved(node: Node): void {
    if (this.currentScene === node) this.currentScene = null;
    if (this.passDepth > 0) this.removedDuringPass.add(node);
    this[PATHS_EPOCH]++;
    this._processingChanged(node);
    this.emitIfListened("nodeRemoved", node);
  }

  /** @internal */
  _nodeRenamed(node: Node): void {
    this[PATHS_EPOCH]++;
    this.emitIfListened("nodeRenamed", node);
  }

  private emitIfListened(signal: string, ...args: unknown[]): void {
    if (this._hasListeners(signal)) (this as GodotObject).emit(signal, ...args);
  }
}
