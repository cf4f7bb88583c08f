import { z } from "zod";
import { enumProp } from "../../src/nodes/propSchemas";
import { ProcessMode } from "../../src/scene/node/processMode";
import { jsonValue, NOT_JSON, sameValue, writtenProp } from "../../src/loader/packValues";
import * as vm from "node:vm";

/** How a live prop value is written into a scene file so it loads back (src/loader/packValues.ts). */
describe("packValues", () => {
  test("jsonValue keeps JSON data and refuses what a file can't hold", () => {
    expect(jsonValue({ a: [1, "x", null, true], b: { c: -2.5 } })).toEqual({
      a: [1, "x", null, true],
      b: { c: -2.5 },
    });
    expect(jsonValue(Object.create(null))).toEqual({});
    for (const bad of [undefined, NaN, Infinity, () => 1, new Map(), new Date(0), [1, undefined], { a: 1n }])
      expect(jsonValue(bad)).toBe(NOT_JSON);
    class Point {
      x = 1;
    }
    expect(jsonValue(new Point())).toBe(NOT_JSON);
  });

  test("jsonValue refuses a cycle but takes the same object twice side by side", () => {
    const shared = { n: 1 };
    expect(jsonValue([shared, shared])).toEqual([{ n: 1 }, { n: 1 }]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(jsonValue(cyclic)).toBe(NOT_JSON);
  });

  test("sameValue compares data by content across realms; 0 and -0, NaN and NaN are the same", () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(0, -0)).toBe(true);
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue(null, {})).toBe(false);
    expect(sameValue(vm.runInNewContext("({ a: [1] })"), { a: [1] })).toBe(true);
    expect(sameValue(new Date(5), new Date(5))).toBe(true);
    expect(sameValue(new Date(5), new Date(6))).toBe(false);
  });

  test("writtenProp: an enum number is written as its member's name, through optional", () => {
    const mode = enumProp(ProcessMode).optional();
    expect(writtenProp(mode, ProcessMode.ALWAYS)).toBe("ALWAYS");
    expect(writtenProp(z.number(), 3)).toBe(3);
    expect(writtenProp(z.literal(["a", "b"]), "b")).toBe("b");
  });

  test("writtenProp: NOT_JSON when no JSON form loads as the value", () => {
    expect(writtenProp(z.number(), NaN)).toBe(NOT_JSON);
    expect(writtenProp(z.string(), 3)).toBe(NOT_JSON); // the schema refuses what JSON can hold
    // A transform that changes the value: what loads is not what the node holds.
    expect(
      writtenProp(
        z.string().transform((s) => s.toUpperCase()),
        "abc",
      ),
    ).toBe(NOT_JSON);
    expect(
      writtenProp(
        z.string().transform((s) => s.toUpperCase()),
        "ABC",
      ),
    ).toBe("ABC");
    expect(writtenProp(z.object({ a: z.number() }), { a: 1 })).toEqual({ a: 1 });
  });
});
