import { on, once } from "node:events";
import { SignalEmitter } from "../../../src/core/signals/SignalEmitter";

type Events = {
  x: (value: number) => void;
  y: () => void;
};

/** Exposes the per-message accessor for the test. */
class Probe extends SignalEmitter<Events> {
  slot(event: "x" | "y") {
    return this.hotListeners(event);
  }
}

describe("SignalEmitter", () => {
  test("on, addListener, prependListener, off: EventEmitter's order and removal rules", () => {
    const emitter = new Probe();
    const seen: string[] = [];
    const a = () => seen.push("a");
    const b = () => seen.push("b");
    emitter.on("x", a);
    emitter.addListener("x", b);
    emitter.prependListener("x", () => seen.push("first"));
    emitter.on("x", a); // the same listener twice is allowed, as with EventEmitter
    expect(emitter.emit("x", 1)).toBe(true);
    expect(seen).toEqual(["first", "a", "b", "a"]);
    expect(emitter.listenerCount("x")).toBe(4);
    expect(emitter.listenerCount("x", a)).toBe(2);

    emitter.off("x", a); // the most recently added instance goes
    seen.length = 0;
    emitter.emit("x", 1);
    expect(seen).toEqual(["first", "a", "b"]);
    emitter.removeListener("x", b);
    emitter.removeAllListeners("x");
    expect(emitter.emit("x", 1)).toBe(false);
    expect(emitter.eventNames()).toEqual([]);
  });

  test("once and prependOnceListener run once, and are gone before they run", () => {
    const emitter = new Probe();
    const seen: string[] = [];
    emitter.once("y", () => {
      seen.push(`once:${emitter.listenerCount("y")}`);
      emitter.emit("y"); // the nested emission does not run it again
    });
    emitter.prependOnceListener("y", () => seen.push("prepended"));
    emitter.emit("y");
    emitter.emit("y");
    expect(seen).toEqual(["prepended", "once:0"]);
  });

  test("listeners added during an emission wait for the next one; removed ones still run this time", () => {
    const emitter = new Probe();
    const seen: string[] = [];
    const late = () => seen.push("late");
    const removed = () => seen.push("removed");
    emitter.on("y", () => {
      seen.push("first");
      emitter.on("y", late);
      emitter.off("y", removed);
    });
    emitter.on("y", removed);
    emitter.emit("y");
    expect(seen).toEqual(["first", "removed"]);
    seen.length = 0;
    emitter.emit("y");
    expect(seen).toEqual(["first", "late"]);
  });

  test("a throwing listener stops the emission and the error propagates, as with EventEmitter", () => {
    const emitter = new Probe();
    const after = jest.fn();
    emitter.on("y", () => {
      throw new Error("boom");
    });
    emitter.on("y", after);
    expect(() => emitter.emit("y")).toThrow("boom");
    expect(after).not.toHaveBeenCalled();
  });

  test("an unhandled 'error' event throws its argument, as with EventEmitter", () => {
    const emitter = new SignalEmitter();
    expect(() => emitter.emit("error", new Error("bad"))).toThrow("bad");
    expect(emitter.emit("other")).toBe(false);
  });

  test("any number of listeners, and no MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const emitter = new Probe();
      let calls = 0;
      for (let i = 0; i < 50; i++) emitter.on("y", () => calls++);
      emitter.emit("y");
      expect(calls).toBe(50);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
      expect(warnings).toEqual([]);
      expect(emitter.getMaxListeners()).toBe(0);
      expect(emitter.setMaxListeners(3)).toBe(emitter);
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("works with events.once and events.on, which also listen to 'error'", async () => {
    const emitter = new Probe();
    const waiting = once(emitter, "x");
    emitter.emit("x", 7);
    await expect(waiting).resolves.toEqual([7]);
    expect(emitter.eventNames()).toEqual([]); // events.once removed its 'error' listener too

    const ac = new AbortController();
    const values: number[] = [];
    const reading = (async () => {
      for await (const [value] of on(emitter, "x", { signal: ac.signal })) {
        values.push(value as number);
        if (values.length === 2) ac.abort();
      }
    })().catch((error: unknown) => error);
    emitter.emit("x", 1);
    emitter.emit("x", 2);
    expect(await reading).toMatchObject({ name: "AbortError" });
    expect(values).toEqual([1, 2]);
  });

  test("listeners() and rawListeners() return the functions", () => {
    const emitter = new Probe();
    const a = () => undefined;
    emitter.on("y", a);
    expect(emitter.listeners("y")).toEqual([a]);
    expect(emitter.rawListeners("y")).toEqual([a]);
    expect(emitter.listeners("x")).toEqual([]);
  });

  test("hotListeners: the sole plain listener, else the connections, kept in step with every change", () => {
    const emitter = new Probe();
    const a = () => undefined;
    const b = () => undefined;
    expect(emitter.slot("x")).toBeUndefined();
    emitter.on("x", a);
    expect(emitter.slot("x")).toBe(a);
    emitter.on("x", b);
    expect(emitter.slot("x")).toEqual([
      expect.objectContaining({ callable: a }),
      expect.objectContaining({ callable: b }),
    ]);
    emitter.off("x", a);
    expect(emitter.slot("x")).toBe(b);
    emitter.on("y", a);
    expect(emitter.slot("y")).toBe(a);
    expect(emitter.slot("x")).toBe(b);
    emitter.off("x", b);
    expect(emitter.slot("x")).toBeUndefined();
    emitter.once("x", a); // a one-shot listener is not a plain one: emit() must remove it
    expect(typeof emitter.slot("x")).not.toBe("function");
    emitter.emit("x", 1);
    expect(emitter.slot("x")).toBeUndefined();
  });

  test("refuses a listener that is not a function", () => {
    const emitter = new Probe();
    expect(() => emitter.on("y", "nope" as unknown as () => void)).toThrow(TypeError);
  });
});
