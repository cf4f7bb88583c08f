/**
 * Time source for everything that waits: the frame loop, Timer-free delays such as reconnect backoff,
 * connect timeouts and heartbeats. Production code uses {@link SystemClock}; tests inject a
 * {@link TestClock} and step time exactly (the same idea as Excalibur's injectable clock).
 *
 * Times are in milliseconds here because this is the bridge to the host's timers; the public
 * node API speaks seconds, as Godot does.
 */
export interface Clock {
  /** Milliseconds on a monotonic timeline (only differences are meaningful). */
  now(): number;
  /**
   * Runs `callback` once, `delayMs` from now, however long that is; `Infinity` means never. Cancelling
   * a task that already ran is harmless.
   */
  schedule(callback: () => void, delayMs: number): ScheduledTask;
}

export interface ScheduledTask {
  cancel(): void;
}

/**
 * The longest delay the host's `setTimeout` honours: it treats anything above 2^31 - 1 ms (about 24.8
 * days) as 1 ms. Longer waits are chained from timers of at most this length.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface SystemClockOptions {
  /** Longest single host timer; longer delays are chained. Default {@link MAX_TIMER_DELAY_MS}. */
  maxTimerDelayMs?: number;
}

/**
 * Real time: `performance.now()` and the host's `setTimeout`. Any delay means that delay: one longer
 * than the host's timers can hold is waited out by chaining timers, `Infinity` means never (nothing is
 * scheduled at all), and a negative or NaN delay means "as soon as possible".
 */
export class SystemClock implements Clock {
  readonly maxTimerDelayMs: number;

  constructor(options: SystemClockOptions = {}) {
    const max = options.maxTimerDelayMs ?? MAX_TIMER_DELAY_MS;
    this.maxTimerDelayMs = max >= 1 && max <= MAX_TIMER_DELAY_MS ? max : MAX_TIMER_DELAY_MS;
  }

  now(): number {
    return performance.now();
  }

  schedule(callback: () => void, delayMs: number): ScheduledTask {
    const delay = delayMs > 0 ? delayMs : 0; // also maps NaN to 0
    if (delay === Infinity) return NEVER;
    if (delay <= this.maxTimerDelayMs) return new SystemTask(setTimeout(callback, delay));
    return new ChainedTask(this, callback, this.now() + delay);
  }
}

// A class rather than `{ cancel: () => ... }`: every pending reconnect or heartbeat holds one, and an
// object-literal arrow is named per instance under tsx (see listener.ts), costing ~256 bytes each.
class SystemTask implements ScheduledTask {
  constructor(private readonly handle: ReturnType<typeof setTimeout>) {}

  cancel(): void {
    clearTimeout(this.handle);
  }
}

/** A wait longer than one host timer: timers of at most the clock's maximum until the due time. */
class ChainedTask implements ScheduledTask {
  private handle: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly clock: SystemClock,
    private readonly callback: () => void,
    private readonly dueAt: number,
  ) {
    this.arm();
  }

  cancel(): void {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
  }

  private arm(): void {
    const remaining = this.dueAt - this.clock.now();
    // Rounded up: a host timer may fire a fraction of a millisecond early, and this one must not.
    this.handle = setTimeout(this.onChunk, Math.min(this.clock.maxTimerDelayMs, Math.ceil(remaining)));
  }

  private readonly onChunk = (): void => {
    this.handle = null;
    if (this.clock.now() >= this.dueAt) this.callback();
    else this.arm();
  };
}

/** The task of a wait that never ends: it holds no timer, so there is nothing to cancel. */
const NEVER: ScheduledTask = { cancel: () => {} };

class PendingTask implements ScheduledTask {
  cancelled = false;

  constructor(
    readonly at: number,
    readonly seq: number,
    readonly callback: () => void,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

/**
 * Manual time for tests: nothing happens until {@link advance} is called, which runs every task that
 * falls due, in due-time order (ties in scheduling order), with `now()` reading each task's due time
 * while it runs. Tasks scheduled while advancing run in the same call if they fall due within it.
 */
export class TestClock implements Clock {
  private time: number;
  private seq = 0;
  private tasks: PendingTask[] = [];

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  /** As {@link SystemClock}: `Infinity` never runs (and is not counted as pending), NaN runs at once. */
  schedule(callback: () => void, delayMs: number): ScheduledTask {
    const delay = delayMs > 0 ? delayMs : 0;
    if (delay === Infinity) return NEVER;
    const task = new PendingTask(this.time + delay, this.seq++, callback);
    this.tasks.push(task);
    return task;
  }

  /** Moves time forward by `ms`, running every task that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    while (this.runNextDue(end));
    this.time = end;
  }

  /**
   * {@link advance}, letting promise continuations run after each task: an `await` that a task's work
   * resolved (`await toSignal(timer, "timeout")` in a node's `_ready`) resumes before the next task
   * runs, as it would between frames in real time. `advance` runs every task first, so such code
   * resumes only once it returns. Resolves once time is at the end; don't advance the clock meanwhile.
   */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.time + ms;
    while (this.runNextDue(end)) {
      // setImmediate runs after every microtask queued so far, and those they queue in turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.time = end;
  }

  /** Runs the earliest task due by `end`, at its time; false when none is. */
  private runNextDue(end: number): boolean {
    const next = this.nextDue(end);
    if (!next) return false;
    this.tasks.splice(this.tasks.indexOf(next), 1);
    this.time = next.at;
    next.callback();
    return true;
  }

  /** Due time of the earliest waiting task, or `undefined` when nothing waits. */
  nextDueTime(): number | undefined {
    return this.nextDue(Infinity)?.at;
  }

  /** Number of scheduled tasks that have neither run nor been cancelled. */
  get pendingCount(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  private nextDue(limit: number): PendingTask | undefined {
    this.tasks = this.tasks.filter((t) => !t.cancelled);
    let best: PendingTask | undefined;
    for (const t of this.tasks) {
      if (t.at > limit) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
