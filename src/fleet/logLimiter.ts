import type { Clock } from "../core/clock";

/**
 * Passes at most `perSecond` lines a second and counts the rest: thousands of bots failing the same
 * way every frame would otherwise flood the main thread's port and stderr and slow the fleet itself.
 * The first line after a second with dropped lines says how many were dropped.
 */
export class LogLimiter {
  private windowStart = -Infinity;
  private passed = 0;
  private dropped = 0;

  constructor(
    private readonly clock: Clock,
    private readonly write: (text: string) => void,
    private readonly perSecond = 20,
  ) {}

  log(text: string): void {
    const now = this.clock.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.passed = 0;
      if (this.dropped > 0) this.write(`… ${this.dropped} more error line(s) were not shown.`);
      this.dropped = 0;
    }
    if (this.passed < this.perSecond) {
      this.passed++;
      this.write(text);
    } else {
      this.dropped++;
    }
  }

  /** Says how many lines were dropped since the last report, if any (at the end of a run). */
  flush(): void {
    if (this.dropped > 0) this.write(`… ${this.dropped} more error line(s) were not shown.`);
    this.dropped = 0;
  }
}
