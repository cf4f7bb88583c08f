import { once } from "node:events";
import { HotEmitter } from "../../src/scene/HotEmitter";

class Probe extends HotEmitter {
  slot(event: string) {
    return this.hotListeners(event);
  }
}

describe("HotEmitter", () => {
  it("keeps the cached listener slot in step with every way of adding and removing listeners", () => {
    const probe = new Probe();
    const a = () => undefined;
    const b = () => undefined;
    expect(probe.slot("x")).toBeUndefined();
    probe.on("x", a);
    expect(probe.slot("x")).toBe(a);
    probe.addListener("x", b);
    expect(probe.slot("x")).toEqual([a, b]);
    probe.off("x", a);
    expect(probe.slot("x")).toBe(b);
    probe.removeListener("x", b);
    expect(probe.slot("x")).toBeUndefined();
    probe.once("x", a);
    expect(typeof probe.slot("x")).toBe("function");
    probe.emit("x"); // the once-wrapper removes itself
    expect(probe.slot("x")).toBeUndefined();
    probe.prependListener("x", a);
    probe.on("y", b);
    expect(probe.slot("x")).toBe(a);
    expect(probe.slot("y")).toBe(b);
    probe.removeAllListeners("x");
    expect(probe.slot("x")).toBeUndefined();
    expect(probe.slot("y")).toBe(b);
    probe.removeAllListeners();
    expect(probe.slot("y")).toBeUndefined();
    expect(probe.listenerCount("y")).toBe(0);
  });
});

describe("HotEmitter without a listener dictionary yet", () => {
  it("behaves as a fresh EventEmitter in every read and write", async () => {
    const emitter = new Probe();
    expect(emitter.listenerCount("x")).toBe(0);
    expect(emitter.eventNames()).toEqual([]);
    expect(emitter.rawListeners("x")).toEqual([]);
    expect(emitter.emit("x")).toBe(false);
    emitter.removeAllListeners("x");
    emitter.removeListener("x", () => undefined);
    const waiting = once(emitter, "x");
    emitter.emit("x", 1);
    await expect(waiting).resolves.toEqual([1]);
    emitter.on("y", () => undefined);
    expect(emitter.eventNames()).toEqual(["y"]);
  });
});
