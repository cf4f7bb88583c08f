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
  /** Runs `callback` once, `delayMs` from now. Cancelling a task that already ran is harmless. */
  schedule(callback: () => void, delayMs: number): ScheduledTask;
}

export interface ScheduledTask {
  cancel(): void;
}

/** Real time: `performance.now()` and the host's `setTimeout`. */
export class SystemClock implements Clock {
  now(): number {
    return performance.now();
  }

  schedule(callback: () => void, delayMs: number): ScheduledTask {
    return new SystemTask(setTimeout(callback, Math.max(0, delayMs)));
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

  schedule(callback: () => void, delayMs: number): ScheduledTask {
    const task = new PendingTask(this.time + Math.max(0, delayMs), this.seq++, callback);
    this.tasks.push(task);
    return task;
  }

  /** Moves time forward by `ms`, running every task that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.tasks.splice(this.tasks.indexOf(next), 1);
      this.time = next.at;
      next.callback();
    }
    this.time = end;
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
