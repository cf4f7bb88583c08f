import { SignalEmitter } from "../../../src/core/signals/SignalEmitter";

// The table keeps signals in a small object until a name an object would misorder (a symbol, an
// array index) arrives; these pin down that nothing shows through either way.
describe("SignalTable", () => {
  it("treats Object.prototype's member names as signals like any other", () => {
    const emitter = new SignalEmitter();
    expect(emitter.listenerCount("toString")).toBe(0);
    expect(emitter.emit("constructor")).toBe(false);
    const calls: string[] = [];
    emitter.on("toString", () => calls.push("toString"));
    expect(emitter.emit("toString")).toBe(true);
    expect(emitter.emit("hasOwnProperty")).toBe(false);
    expect(calls).toEqual(["toString"]);
  });

  it("lists signals in the order they were first connected, symbols and index names included", () => {
    const emitter = new SignalEmitter();
    const sym = Symbol("s");
    const noop = () => {};
    emitter.on("b", noop);
    emitter.on("a", noop);
    emitter.on(sym as unknown as string, noop);
    emitter.on("1", noop);
    emitter.on("0", noop);
    expect(emitter.eventNames()).toEqual(["b", "a", sym, "1", "0"]);
    let count = 0;
    emitter.on("b", () => count++);
    emitter.emit("b");
    emitter.emit(sym as unknown as string);
    expect(count).toBe(1);
  });

  it("drops a signal whose last listener went away, and takes it again", () => {
    const emitter = new SignalEmitter();
    const listener = jest.fn();
    emitter.on("a", listener);
    emitter.on("b", listener);
    emitter.off("a", listener);
    expect(emitter.eventNames()).toEqual(["b"]);
    expect(emitter.emit("a")).toBe(false);
    emitter.on("a", listener);
    expect(emitter.emit("a")).toBe(true);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(emitter.eventNames().sort()).toEqual(["a", "b"]);
  });
});
