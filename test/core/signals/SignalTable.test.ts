import { SIGNALS, SignalTable, type Connection, type Slot } from "../../../src/core/signals/SignalTable";

const owner = {};
const connection = (
  signal: string,
  callable: Connection["callable"],
  extra: Partial<Connection> = {},
): Connection => ({
  source: owner,
  signal,
  callable,
  flags: 0,
  target: null,
  refCount: 0,
  targetFreed: false,
  ...extra,
});

describe("SignalTable", () => {
  test("a lone plain listener is stored as itself; a second one makes a slot, in connection order", () => {
    const table = new SignalTable(owner);
    const a = () => 1;
    const b = () => 2;
    table.addListener("hit", a, false);
    expect(table.entry("hit")).toBe(a);
    table.addListener("hit", b, false);
    const slot = table.entry("hit") as Slot;
    expect(slot.list!.map((c) => c.callable)).toEqual([a, b]);
    expect(slot.fast).toBeNull();
    table.addListener("hit", a, true);
    expect(table.records("hit")!.map((c) => c.callable)).toEqual([a, a, b]);
  });

  test("the fast path is set only for exactly one flagless function", () => {
    const table = new SignalTable(owner);
    const a = () => 1;
    table.add(connection("s", a, { flags: 4 }), false);
    expect((table.entry("s") as Slot).fast).toBeNull();
    const plain = connection("t", a);
    table.add(plain, false);
    expect((table.entry("t") as Slot).fast).toBe(a);
    const callable = { callv: () => 0, getUnboundArgumentsCount: () => 0 };
    table.add(connection("u", callable), false);
    expect((table.entry("u") as Slot).fast).toBeNull();
  });

  test("records turns a lone listener into a record kept from then on", () => {
    const table = new SignalTable(owner);
    const a = () => 1;
    table.addListener("s", a, false);
    const [record] = table.records("s")!;
    expect(record).toMatchObject({ source: owner, signal: "s", callable: a, flags: 0, target: null });
    expect(table.records("s")![0]).toBe(record);
    expect(table.records("none")).toBeUndefined();
  });

  test("remove takes the connection out, and the signal once empty; the cached entry follows", () => {
    const table = new SignalTable(owner);
    const c = connection("s", () => 1);
    table.add(c, false);
    expect(table.entry("s")).toBeDefined();
    expect(table.remove(c)).toBe(true);
    expect(table.remove(c)).toBe(false);
    expect(table.entry("s")).toBeUndefined();
    expect(table.has("s")).toBe(false);
  });

  test("removeListener removes the most recent connection of that function, as EventEmitter's off", () => {
    const table = new SignalTable(owner);
    const a = () => 1;
    const b = () => 2;
    table.addListener("s", a, false);
    table.addListener("s", b, false);
    table.addListener("s", a, false);
    table.removeListener("s", a);
    expect(table.records("s")!.map((c) => c.callable)).toEqual([a, b]);
    const lone = new SignalTable(owner);
    lone.addListener("s", a, false);
    lone.removeListener("s", b);
    expect(lone.entry("s")).toBe(a);
    lone.removeListener("s", a);
    expect(lone.has("s")).toBe(false);
  });

  test("a connection with a target is listed among the target's incoming connections until removed", () => {
    const target: { [SIGNALS]?: SignalTable | null } = {};
    const table = new SignalTable(owner);
    const c = connection("s", () => 1, { target });
    table.add(c, false);
    expect([...target[SIGNALS]!.incoming!]).toEqual([c]);
    expect(target[SIGNALS]!.owner).toBe(target);
    table.remove(c);
    expect([...target[SIGNALS]!.incoming!]).toEqual([]);
  });

  test("all lists every connection signal by signal, in first-connected order; signals names them", () => {
    const table = new SignalTable(owner);
    const a = () => 1;
    const sym = Symbol("x");
    table.addListener("b", a, false);
    table.addListener(sym, a, false);
    table.addListener("b", a, false);
    expect(table.signals()).toEqual(["b", sym]);
    expect(table.all().map((c) => c.signal)).toEqual(["b", "b", sym]);
  });
});
