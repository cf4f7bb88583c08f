import { ThresholdError } from "../../src/metrics/errors";
import {
  parseMetricSelector,
  parseThresholdArg,
  parseThresholdExpression,
  parseThresholds,
} from "../../src/metrics/thresholds";

function errorOf(run: () => unknown): ThresholdError {
  try {
    run();
  } catch (error) {
    if (error instanceof ThresholdError) return error;
    throw error;
  }
  throw new Error("expected a ThresholdError");
}

describe("parseThresholdExpression (k6's syntax)", () => {
  test.each([
    // k6's docs: "Threshold expression syntax" and the per-kind example script
    ["avg < 200", "avg", null, "<", 200],
    ["count >= 500", "count", null, ">=", 500],
    ["p(90) < 300", "p", 90, "<", 300],
    ["count<100", "count", null, "<", 100],
    ["value<4000", "value", null, "<", 4000],
    ["rate>0.95", "rate", null, ">", 0.95],
    ["p(99)<300", "p", 99, "<", 300],
    ["p(70)<250", "p", 70, "<", 250],
    ["avg<200", "avg", null, "<", 200],
    ["med<150", "med", null, "<", 150],
    ["min<100", "min", null, "<", 100],
    ["rate<0.01", "rate", null, "<", 0.01],
    ["p(99.9) < 2000", "p", 99.9, "<", 2000],
    ["p(99.99)<5", "p", 99.99, "<", 5],
    ["p(0)>=1", "p", 0, ">=", 1],
    ["p(100)<=1", "p", 100, "<=", 1],
    ["max == 3", "max", null, "==", 3],
    ["max===3", "max", null, "===", 3],
    ["count!=0", "count", null, "!=", 0],
    ["  count  <=  20  ", "count", null, "<=", 20],
    ["value > -1.5e3", "value", null, ">", -1500],
  ])("%s", (source, method, percentile, operator, value) => {
    expect(parseThresholdExpression(source)).toEqual({
      source,
      method,
      percentile,
      operator,
      value,
      methodSpan: [
        source.indexOf(method),
        source.indexOf(method) +
          source
            .trim()
            .split(/[<>=!]/)[0]
            .trim().length,
      ],
    });
  });

  test.each([
    // k6's parser tests: every one of these fails
    ["count!20", "ERR_THRESHOLD_SYNTAX", 5, 1],
    ["foo>20", "ERR_THRESHOLD_METHOD", 0, 3],
    ["count>abc", "ERR_THRESHOLD_VALUE", 6, 3],
    ["p()<1", "ERR_THRESHOLD_PERCENTILE", 2, 1],
    ["p(99<1", "ERR_THRESHOLD_METHOD", 0, 4],
    ["p(foo)<1", "ERR_THRESHOLD_PERCENTILE", 2, 3],
    ["p(-1)<1", "ERR_THRESHOLD_PERCENTILE", 2, 2],
    ["p(101)<1", "ERR_THRESHOLD_PERCENTILE", 2, 3],
    ["p(NaN)<1", "ERR_THRESHOLD_PERCENTILE", 2, 3],
    ["p(+Inf)<1", "ERR_THRESHOLD_PERCENTILE", 2, 4],
    // and ours
    ["p(95)500", "ERR_THRESHOLD_SYNTAX", 0, 8],
    ["count=5", "ERR_THRESHOLD_SYNTAX", 5, 1],
    ["<5", "ERR_THRESHOLD_METHOD", 0, 1],
    ["count<", "ERR_THRESHOLD_VALUE", 6, 1],
    ["p(95) < 500ms", "ERR_THRESHOLD_VALUE", 8, 5],
    ["count < 1 < 2", "ERR_THRESHOLD_VALUE", 8, 5],
    // numbers past Number.MAX_VALUE read as ±Infinity, which "Infinity" itself is refused for
    ["p(95)<1e400", "ERR_THRESHOLD_VALUE", 6, 5],
    ["max > -1.8e308", "ERR_THRESHOLD_VALUE", 6, 8],
    ["count<Infinity", "ERR_THRESHOLD_VALUE", 6, 8],
  ])("%s fails with %s at %i (+%i)", (source, code, index, length) => {
    const error = errorOf(() => parseThresholdExpression(source));
    expect([error.code, error.index, error.length, error.source]).toEqual([code, index, length, source]);
    // The message repeats the source with carets under the bad part.
    const lines = error.message.split("\n");
    expect(lines[1]).toBe(`    ${source}`);
    expect(lines[2]).toBe(`    ${" ".repeat(index)}${"^".repeat(length)}`);
    expect(error.reason).toBe(lines[0]);
  });

  test("a value too large to be a finite number is refused, a long one shown by its start and length", () => {
    expect(errorOf(() => parseThresholdExpression("p(95)<1e400")).reason).toBe(
      '"1e400" is too large: past ±1.7976931348623157e+308 a number reads as Infinity, and the threshold could never fail (or never pass).',
    );
    const digits = "9".repeat(100_000);
    const error = errorOf(() => parseThresholdExpression(`avg<${digits}`));
    expect(error.code).toBe("ERR_THRESHOLD_VALUE");
    expect(error.reason).toMatch(/^"9{20}…" \(100000 characters\) is too large: /);
    // The largest finite number and tiny ones (which round to 0) are numbers still.
    expect(parseThresholdExpression("max<1.7976931348623157e308").value).toBe(Number.MAX_VALUE);
    expect(parseThresholdExpression("min>1e-400").value).toBe(0);
  });

  test("messages say what to write instead", () => {
    expect(errorOf(() => parseThresholdExpression("AVG<3")).reason).toContain("Did you mean avg?");
    expect(errorOf(() => parseThresholdExpression("p95<3")).reason).toContain("Did you mean p(95)?");
    expect(errorOf(() => parseThresholdExpression("maximum<3")).reason).toContain("Did you mean max?");
    expect(errorOf(() => parseThresholdExpression("count!20")).reason).toContain(
      "<, <=, >, >=, ==, === or !=",
    );
  });
});

describe("parseThresholdArg (the CLI's metric:expression)", () => {
  test("metric and expression", () => {
    expect(parseThresholdArg("ws_connecting:p(95)<500")).toMatchObject({
      metric: "ws_connecting",
      name: "ws_connecting",
      tags: null,
      expression: { source: "p(95)<500", method: "p", percentile: 95, operator: "<", value: 500 },
    });
  });

  test("a sub-metric's tags may hold colons (k6's group:::name)", () => {
    expect(parseThresholdArg("ws_connecting{url:ws://a:8080/x, room: 'r1'}:max<9")).toMatchObject({
      metric: "ws_connecting{url:ws://a:8080/x, room: 'r1'}",
      name: "ws_connecting",
      tags: { room: "r1", url: "ws://a:8080/x" },
      expression: { source: "max<9" },
    });
    expect(parseMetricSelector("group_duration{group:::individualRequests}").tags).toEqual({
      group: "::individualRequests",
    });
  });

  test("errors point into the whole argument", () => {
    const e = errorOf(() => parseThresholdArg("ws_connecting:p(95<500"));
    expect([e.code, e.index, e.length]).toEqual(["ERR_THRESHOLD_METHOD", 14, 4]);
    expect(e.message.split("\n").slice(1)).toEqual([
      "    ws_connecting:p(95<500",
      `    ${" ".repeat(14)}^^^^`,
    ]);
    expect(errorOf(() => parseThresholdArg("p(95)<500")).code).toBe("ERR_THRESHOLD_METRIC");
    expect(errorOf(() => parseThresholdArg("ws-connecting:avg<1"))).toMatchObject({
      code: "ERR_THRESHOLD_METRIC",
      index: 0,
      length: 13,
    });
    expect(errorOf(() => parseThresholdArg("x{a}:count<1"))).toMatchObject({
      code: "ERR_THRESHOLD_METRIC",
      index: 2,
    });
    expect(errorOf(() => parseThresholdArg("x{}:count<1")).code).toBe("ERR_THRESHOLD_METRIC");
    expect(errorOf(() => parseThresholdArg("x{a:1}y:count<1")).code).toBe("ERR_THRESHOLD_METRIC");
    expect(errorOf(() => parseThresholdArg(":count<1")).code).toBe("ERR_THRESHOLD_METRIC");
  });
});

test("parseThresholds reads the scene-file form, k6's short format", () => {
  const thresholds = parseThresholds({
    ws_connecting: ["p(95)<500", "max<2000"],
    "ws_connecting{url:ws://a}": ["avg<100"],
  });
  expect(thresholds.map((t) => [t.metric, t.name, t.tags, t.expression.source])).toEqual([
    ["ws_connecting", "ws_connecting", null, "p(95)<500"],
    ["ws_connecting", "ws_connecting", null, "max<2000"],
    ["ws_connecting{url:ws://a}", "ws_connecting", { url: "ws://a" }, "avg<100"],
  ]);
  expect(errorOf(() => parseThresholds({ x: ["p(95)<5", "nope"] })).code).toBe("ERR_THRESHOLD_SYNTAX");
});
