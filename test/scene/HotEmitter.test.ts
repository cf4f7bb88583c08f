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
