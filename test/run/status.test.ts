import { formatStatus, StatusLine, type StatusReading } from "../../src/run/status";
import type { Terminal } from "../../src/run/terminal";
import type { LiveTotals } from "../../src/metrics/live";
import { TestClock } from "../../src/core/clock";

const counter = (count: number) => ({ type: "counter", contains: "default", count }) as const;

function totals(sent: number, received: number, sessions = 0, closed = 0): LiveTotals {
  return {
    ws_msgs_sent: counter(sent),
    ws_msgs_received: counter(received),
    ws_sessions: counter(sessions),
    ws_session_duration: { type: "trend", contains: "time", count: closed, sum: closed * 1000 },
  };
}

describe("StatusLine, not on a terminal", () => {
  test("one plain line every 10 s, rates over the time since the previous line", () => {
    const clock = new TestClock();
    const lines: string[] = [];
    let reading: StatusReading = { running: 2, target: 4, totals: totals(0, 0), errors: 0 };
    const status = new StatusLine({ read: () => reading, write: (t) => lines.push(t), clock });
    status.start();
    clock.advance(9_999);
    expect(lines).toEqual([]);
    reading = { running: 4, target: 4, totals: totals(500, 250, 4, 1), errors: 1 };
    clock.advance(1);
    expect(lines).toEqual(["[10s] 4/4 running, 3 open, in 25/s, out 50/s, 0 reconnects, 1 error\n"]);
    reading = { ...reading, totals: totals(505, 253, 4, 1) };
    clock.advance(10_000);
    expect(lines[1]).toBe("[20s] 4/4 running, 3 open, in 0.3/s, out 0.5/s, 0 reconnects, 1 error\n");
    status.stop();
    clock.advance(60_000);
    expect(lines).toHaveLength(2);
  });

  test("writeLine, when given, takes the plain line (without its newline): the run's logger", () => {
    const clock = new TestClock();
    const written: string[] = [];
    const logged: string[] = [];
    const reading: StatusReading = { running: 1, target: 1, totals: {}, errors: 0 };
    const status = new StatusLine({
      read: () => reading,
      write: (t) => written.push(t),
      writeLine: (t) => logged.push(t),
      clock,
    });
    status.start();
    clock.advance(10_000);
    status.stop();
    expect([written, logged]).toEqual([
      [],
      ["[10s] 1/1 running, 0 open, in 0/s, out 0/s, 0 reconnects, 0 errors"],
    ]);
  });

  test("nothing while read() has nothing to show; an injected interval; whole seconds", () => {
    const clock = new TestClock();
    const lines: string[] = [];
    let reading: StatusReading | null = null;
    const status = new StatusLine({
      read: () => reading,
      write: (t) => lines.push(t),
      clock,
      intervalMs: 500,
    });
    status.start();
    clock.advance(2_000);
    expect(lines).toEqual([]);
    reading = { running: 1, target: 1, totals: {}, errors: 0 };
    clock.advance(500);
    expect(lines).toEqual(["[3s] 1/1 running, 0 open, in 0/s, out 0/s, 0 reconnects, 0 errors\n"]);
    status.stop();
  });
});

describe("StatusLine on a terminal", () => {
  function fakeTerminal(columns = 200) {
    const state = { hooks: null as null | { before(): void; after(): void }, released: false };
    const terminal: Terminal = {
      columns: () => columns,
      intercept(hooks) {
        state.hooks = hooks;
        return () => (state.released = true);
      },
    };
    return { terminal, state };
  }

  test("one line redrawn every second in place; other output goes above it; stop() erases it", () => {
    const clock = new TestClock();
    let out = "";
    const { terminal, state } = fakeTerminal();
    const reading: StatusReading = { running: 1, target: 1, totals: totals(0, 0), errors: 0 };
    const status = new StatusLine({ read: () => reading, write: (t) => (out += t), clock, terminal });
    status.start();
    clock.advance(1000);
    expect(out).toBe("\r\x1b[2K[1s] 1/1 running, 0 open, in 0/s, out 0/s, 0 reconnects, 0 errors");
    out = "";
    // The scene prints a line: the status steps aside, the line is written, the status comes back.
    state.hooks!.before();
    out += "hello\n";
    state.hooks!.after();
    expect(out).toBe(
      "\r\x1b[2Khello\n\r\x1b[2K[1s] 1/1 running, 0 open, in 0/s, out 0/s, 0 reconnects, 0 errors",
    );
    out = "";
    clock.advance(1000);
    expect(out).toBe("\r\x1b[2K[2s] 1/1 running, 0 open, in 0/s, out 0/s, 0 reconnects, 0 errors");
    out = "";
    status.stop();
    expect(out).toBe("\r\x1b[2K");
    expect(state.released).toBe(true);
  });

  test("a line wider than the terminal first drops its rates, then is cut, so that \\r redraws all of it", () => {
    const clock = new TestClock();
    let out = "";
    let columns = 40;
    const terminal = { ...fakeTerminal().terminal, columns: () => columns };
    const status = new StatusLine({
      read: () => ({ running: 1, target: 1, totals: {}, errors: 0 }),
      write: (t) => (out = t),
      clock,
      terminal,
    });
    status.start();
    clock.advance(1000);
    expect(out).toBe("\r\x1b[2K[1s] 1/1 running, 0 open, 0 errors");
    columns = 21;
    clock.advance(1000);
    expect(out).toBe("\r\x1b[2K[2s] 1/1 running, 0…");
    expect(out.length - "\r\x1b[2K".length).toBeLessThanOrEqual(20);
    status.stop();
  });
});

test("formatStatus: connections open are sessions opened less closed; failed connects only when any", () => {
  const reading: StatusReading = {
    running: 1980,
    target: 2000,
    totals: {
      ...totals(0, 0, 2010, 35),
      ws_reconnects: counter(3),
      ws_connect_failed: counter(7),
    },
    errors: 2,
  };
  expect(formatStatus(reading, 70_400, { in: 1975.4, out: 1975.6 })).toBe(
    "[1m10s] 1980/2000 running, 1975 open, in 1975/s, out 1976/s, 3 reconnects, 7 failed connects, 2 errors",
  );
});

test("formatStatus at a terminal's width: failed connects, reconnects, then the rates give way; the errors stay", () => {
  const reading: StatusReading = {
    running: 1980,
    target: 2000,
    totals: { ...totals(0, 0, 2010, 35), ws_reconnects: counter(3), ws_connect_failed: counter(7) },
    errors: 2,
  };
  const at = (width: number) => formatStatus(reading, 70_400, { in: 1975.4, out: 1975.6 }, width);
  expect(at(110)).toBe(
    "[1m10s] 1980/2000 running, 1975 open, in 1975/s, out 1976/s, 3 reconnects, 7 failed connects, 2 errors",
  );
  expect(at(83)).toBe("[1m10s] 1980/2000 running, 1975 open, in 1975/s, out 1976/s, 3 reconnects, 2 errors");
  expect(at(79)).toBe("[1m10s] 1980/2000 running, 1975 open, in 1975/s, out 1976/s, 2 errors");
  expect(at(60)).toBe("[1m10s] 1980/2000 running, 1975 open, in 1975/s, 2 errors");
  expect(at(50)).toBe("[1m10s] 1980/2000 running, 1975 open, 2 errors");
});
