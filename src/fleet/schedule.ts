import type { Clock, ScheduledTask } from "../core/clock";
import { indexAt, type IndexRange } from "../core/indexRange";

/**
 * When instance `index` of `count` starts, in ms after the fleet starts: evenly over the ramp-up, by
 * global index, so the shards and workers of a fleet together start `count / rampUp` instances a second.
 */
export function startOffsetMs(index: number, count: number, rampUpMs: number): number {
  return (rampUpMs * index) / count;
}

/** Lets a task that `setTimeout` runs a fraction of a millisecond early still count as due. */
const EARLY_MS = 1e-6;

/**
 * Most instances started in one go; more that are due wait for the next turn of the event loop (a
 * task of delay 0, so the same instant on a TestClock). Thousands of trees built in one go would hold
 * the thread for seconds and then send all their connection attempts at once, overflowing the
 * server's accept queue (the stragglers then wait for TCP's SYN retries, 1 s, 3 s, 7 s… later). Small
 * batches let the handshakes of one batch go on while the next is built: fewer of them in flight at a
 * time means less of their state survives to be promoted and copied by the GC (bench/fleet.ts, 10,000
 * bots on 2 workers: 100–250 per turn connected ~7% sooner, with ~8% less CPU and ~25 MB less RSS,
 * than 1,000 per turn; 2,500 was as fast but held ~20 MB more).
 */
export const MAX_STARTS_PER_TURN = 250;

/**
 * Starts instances at their ramp-up times with one pending clock task at a time (not one per instance),
 * handing over in one batch (of at most `maxBatch`) the instances that are due together.
 */
export class RampScheduler {
  private next = 0;
  private task: ScheduledTask | null = null;
  private startedAt = 0;

  constructor(
    private readonly clock: Clock,
    /** Global indices, ascending. */
    private readonly indices: IndexRange,
    private readonly count: number,
    private readonly rampUpMs: number,
    private readonly start: (indices: number[]) => void,
    private readonly maxBatch = MAX_STARTS_PER_TURN,
  ) {}

  /** Instances not started yet. */
  get pending(): number {
    return this.indices.length - this.next;
  }

  /** Starts what is due now (at most `maxBatch` of it at once) and schedules the rest. */
  begin(): void {
    this.startedAt = this.clock.now();
    this.fire();
  }

  /** Starts nothing more. */
  cancel(): void {
    this.task?.cancel();
    this.task = null;
    this.next = this.indices.length;
  }

  private dueAt(position: number): number {
    return this.startedAt + startOffsetMs(indexAt(this.indices, position), this.count, this.rampUpMs);
  }

  private fire(): void {
    this.task = null;
    const now = this.clock.now();
    const batch: number[] = [];
    while (
      this.next < this.indices.length &&
      batch.length < this.maxBatch &&
      this.dueAt(this.next) <= now + EARLY_MS
    ) {
      batch.push(indexAt(this.indices, this.next++));
    }
    if (this.next < this.indices.length) {
      this.task = this.clock.schedule(() => this.fire(), this.dueAt(this.next) - now);
    }
    if (batch.length > 0) this.start(batch);
  }
}
