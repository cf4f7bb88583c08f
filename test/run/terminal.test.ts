import { processTerminal } from "../../src/run/terminal";

describe("processTerminal", () => {
  const isTTY = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
  afterEach(() => {
    if (isTTY) Object.defineProperty(process.stderr, "isTTY", isTTY);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  });

  test("null when stderr is not a terminal", () => {
    Object.defineProperty(process.stderr, "isTTY", { value: false, configurable: true });
    expect(processTerminal()).toBeNull();
  });

  test("on a terminal: hooks run around every write to stdout and stderr, not around their own; release restores", () => {
    Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true });
    const terminal = processTerminal()!;
    const original = { out: process.stdout.write, err: process.stderr.write };
    const calls: string[] = [];
    const release = terminal.intercept({
      before: () => {
        calls.push("before");
        process.stderr.write(""); // the status line clearing itself: not hooked again
      },
      after: () => calls.push("after"),
    });
    try {
      expect(process.stdout.write).not.toBe(original.out);
      process.stdout.write("");
      process.stderr.write("");
    } finally {
      release();
    }
    expect(calls).toEqual(["before", "after", "before", "after"]);
    expect([process.stdout.write, process.stderr.write]).toEqual([original.out, original.err]);
  });
});
