import type { Clock, ScheduledTask } from "../core/clock";
import { liveCount, type LiveTotals } from "../metrics/live";
import { formatDuration } from "../metrics/units";
import type { Terminal } from "./terminal";

/** What a status line shows, read once per line. */
export interface StatusReading {
  /** Instances running now, of `target` (this shard's; 1 for a single tree). */
  running: number;
  target: number;
  /** The running totals of the metrics (every worker's added up). */
  totals: LiveTotals;
  /** Errors the instances reported so far: user code that threw, instances that crashed. */
  errors: number;
}

export interface StatusLineOptions {
  /** The figures now, or null while there is nothing to show (one tree that recorded no metric). */
  read: () => StatusReading | null;
  /** Where the line goes (stderr). */
  write: (text: string) => void;
  /**
   * Where a plain line goes when there is no terminal (default: `write`, with a newline): the run's
   * logger, so that with `--log-format json` it is a record like every other line, not text a JSON
   * reader chokes on.
   */
  writeLine?: (text: string) => void;
  clock: Clock;
  /** stderr's terminal: one line redrawn in place; without, a plain line at each interval. */
  terminal?: Terminal | null;
  /** Time between lines (default: 1 s on a terminal, 10 s otherwise). */
  intervalMs?: number;
}

const CLEAR_LINE = "\r\x1b[2K";

/**
 * The live status of a run: instances running of the target, connections open (sessions opened less
 * sessions closed), messages per second in and out since the previous line, reconnects and errors.
 * On a terminal one line is redrawn every second and steps aside for any other output; elsewhere (a
 * file, CI) a plain line is written every 10 s.
 */
export class StatusLine {
  private task: ScheduledTask | null = null;
  private startedAt = 0;
  private previous: { at: number; in: number; out: number } | null = null;
  private line: string | null = null;
  private visible = false;
  private release: (() => void) | null = null;
  private readonly intervalMs: number;

  constructor(private readonly options: StatusLineOptions) {
    this.intervalMs = options.intervalMs ?? (options.terminal ? 1000 : 10_000);
  }

  start(): void {
    if (this.task) return;
    const { clock, terminal } = this.options;
    this.startedAt = clock.now();
    this.previous = { at: this.startedAt, in: 0, out: 0 };
    if (terminal) {
      this.release = terminal.intercept({ before: () => this.hide(), after: () => this.show() });
    }
    this.schedule();
  }

  /** Stops the line; on a terminal it is erased, so what follows starts on a clean line. */
  stop(): void {
    this.task?.cancel();
    this.task = null;
    this.release?.();
    this.release = null;
    this.hide();
    this.line = null;
  }

  private schedule(): void {
    this.task = this.options.clock.schedule(() => {
      this.tick();
      this.schedule();
    }, this.intervalMs);
  }

  private tick(): void {
    const reading = this.options.read();
    if (!reading) return;
    const now = this.options.clock.now();
    const counts = {
      in: liveCount(reading.totals, "ws_msgs_received"),
      out: liveCount(reading.totals, "ws_msgs_sent"),
    };
    const previous = this.previous ?? { at: this.startedAt, in: 0, out: 0 };
    const seconds = Math.max(1e-3, (now - previous.at) / 1000);
    this.previous = { at: now, ...counts };
    const { terminal } = this.options;
    const width = terminal ? Math.max(20, terminal.columns() - 1) : Infinity;
    const text = formatStatus(
      reading,
      now - this.startedAt,
      { in: (counts.in - previous.in) / seconds, out: (counts.out - previous.out) / seconds },
      width,
    );
    if (!terminal) {
      if (this.options.writeLine) this.options.writeLine(text);
      else this.options.write(`${text}\n`);
      return;
    }
    this.line = text.length > width ? `${text.slice(0, width - 1).trimEnd()}…` : text;
    this.visible = false; // drawn over in place
    this.show();
  }

  private hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.options.write(CLEAR_LINE);
  }

  private show(): void {
    if (this.visible || this.line === null) return;
    this.visible = true;
    this.options.write(`${CLEAR_LINE}${this.line}`);
  }
}

/**
 * `[1m10s] 1980/2000 running, 1975 open, in 1975/s, out 1975/s, 3 reconnects, 0 errors`: instances
 * running of the target, WebSocket connections open, messages per second received and sent, reconnect
 * attempts, (failed connection attempts, when any,) errors reported. Wider than `width`, it drops the
 * rates and reconnect counts before anything else, so the errors count stays in sight.
 */
export function formatStatus(
  reading: StatusReading,
  elapsedMs: number,
  perSecond: { in: number; out: number },
  width = Infinity,
): string {
  const { totals } = reading;
  const open = Math.max(0, liveCount(totals, "ws_sessions") - liveCount(totals, "ws_session_duration"));
  const parts = [
    `${reading.running}/${reading.target} running`,
    `${open} open`,
    `in ${rate(perSecond.in)}/s`,
    `out ${rate(perSecond.out)}/s`,
    `${liveCount(totals, "ws_reconnects")} reconnects`,
  ];
  const failed = liveCount(totals, "ws_connect_failed");
  if (failed > 0) parts.push(`${failed} failed connects`);
  parts.push(`${reading.errors} error${reading.errors === 1 ? "" : "s"}`);
  const head = `[${formatDuration(Math.round(elapsedMs / 1000) * 1000)}] `;
  // Too wide for the terminal: the rates and reconnect counts give way first, never the errors.
  for (const drop of DROPPED_FIRST) {
    if (head.length + parts.join(", ").length <= width) break;
    const index = parts.findIndex((part) => drop.test(part));
    if (index !== -1) parts.splice(index, 1);
  }
  return `${head}${parts.join(", ")}`;
}

/** The parts of a status line dropped, in this order, when it does not fit its terminal. */
const DROPPED_FIRST = [/ failed connects$/, / reconnects$/, /^out /, /^in /];

function rate(perSecond: number): string {
  return perSecond < 10 ? String(Math.round(perSecond * 10) / 10) : String(Math.round(perSecond));
}
