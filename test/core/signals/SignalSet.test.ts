import {
  SignalSet,
  addClassSignals,
  classSignals,
  signal,
  type SignalsOf,
} from "../../../src/core/signals/SignalSet";

describe("SignalSet", () => {
  const base = SignalSet.empty().extend({ ready: signal(), hit: signal<[damage: number]>("damage") });

  test("extend adds to the parent's signals; the list puts the latest declarations first", () => {
    const child = base.extend({ died: signal<[by: string, at: number]>("by", "at") });
    expect(child.has("ready")).toBe(true);
    expect(child.has("died")).toBe(true);
    expect(base.has("died")).toBe(false);
    expect(child.list()).toEqual([
      { name: "died", args: [{ name: "by" }, { name: "at" }] },
      { name: "ready", args: [] },
      { name: "hit", args: [{ name: "damage" }] },
    ]);
    expect(child.names()).toEqual(["died", "ready", "hit"]);
  });

  test("types come from the same declaration", () => {
    type Map = SignalsOf<typeof base>;
    const hit: Map["hit"] = (damage) => void damage.toFixed();
    const ready: Map["ready"] = () => undefined;
    hit(1);
    ready();
    // @ts-expect-error a signal that is not declared has no type
    const missing: Map["redy"] = () => undefined;
    void missing;
  });

  test("a name already declared, or not an identifier, is refused", () => {
    expect(() => base.extend({ ready: signal() })).toThrow(/already declared/);
    expect(() => base.extend({ "not a name": signal() })).toThrow(/not a valid signal name/);
  });

  test("classSignals follows the class chain and sees signals added at registration", () => {
    class A {
      static readonly signals = base;
    }
    class B extends A {
      static override readonly signals = A.signals.extend({ b: signal() });
    }
    class C extends B {} // declares nothing: has B's
    expect([...classSignals(C).names]).toEqual(["b", "ready", "hit"]);
    addClassSignals(B, ["registered"]);
    expect(classSignals(C).names.has("registered")).toBe(true);
    expect(classSignals(A).names.has("registered")).toBe(false);
    expect(() => addClassSignals(B, [""])).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
  });
});
