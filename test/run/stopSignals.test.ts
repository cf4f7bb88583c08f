import { REPEATED_SIGNAL_MS, onStopSignals } from "../../src/run/stopSignals";

describe("onStopSignals", () => {
  let time = 0;
  const stops: string[] = [];
  const exits: number[] = [];
  let remove: () => void = () => undefined;

  beforeEach(() => {
    time = 0;
    stops.length = 0;
    exits.length = 0;
    remove = onStopSignals({
      stop: (signal, code) => stops.push(`${signal} ${code}`),
      exit: ((code: number) => exits.push(code)) as (code: number) => never,
      now: () => time,
    });
  });
  afterEach(() => remove());

  test("the first signal stops cleanly; the same signal delivered twice at once (GNU timeout) is one", () => {
    process.emit("SIGTERM");
    process.emit("SIGTERM"); // timeout(1) sends it to the program and to its process group
    expect(stops).toEqual(["SIGTERM 143"]);
    expect(exits).toEqual([]);
  });

  test("a signal sent again later exits at once with its code", () => {
    process.emit("SIGINT");
    time = REPEATED_SIGNAL_MS;
    process.emit("SIGINT");
    expect(stops).toEqual(["SIGINT 130"]);
    expect(exits).toEqual([130]);
  });

  test("removing the handlers gives the signals back", () => {
    const before = process.listenerCount("SIGTERM");
    remove();
    expect(process.listenerCount("SIGTERM")).toBe(before - 1);
    remove = () => undefined;
  });
});
