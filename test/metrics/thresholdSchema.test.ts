import { parseThresholds } from "../../src/metrics/thresholds";
import { thresholdsSchema } from "../../src/metrics/thresholdSchema";

test("the scene-file form: valid maps pass through unchanged", () => {
  const value = { ws_connecting: ["p(95)<500", "max<2000"], "ws_msgs_sent{room:a}": ["count>0"] };
  const parsed = thresholdsSchema.parse(value);
  expect(parsed).toEqual(value);
  expect(parseThresholds(parsed)).toHaveLength(3);
});

test("every bad metric and expression is an issue at its own path, with its code", () => {
  const result = thresholdsSchema.safeParse({
    ws_connecting: ["p(95)<500", "p(95)500", "avg<fast"],
    "bad-name": ["count<1"],
    ok: "rate>0.9",
  });
  expect(result.success).toBe(false);
  const issues = result.error?.issues.map((i) => [i.path.join("."), i.message.split(":")[0]]);
  // A type mistake in one entry does not hide the bad expressions of the others.
  expect(issues).toEqual([
    ["ok", expect.any(String)], // not an array: zod's own type issue
    ["ws_connecting.1", "ERR_THRESHOLD_SYNTAX"],
    ["ws_connecting.2", "ERR_THRESHOLD_VALUE"],
    ["bad-name", "ERR_THRESHOLD_METRIC"],
  ]);
  const only = thresholdsSchema.safeParse({
    ws_connecting: ["p(95)<500", "p(95)500", "avg<fast"],
    "bad-name": ["count<1"],
  });
  expect(only.error?.issues[1].message).toBe(
    'ERR_THRESHOLD_VALUE: "fast" is not a number; thresholds compare plain numbers (times in ms, data in bytes, rates from 0 to 1).',
  );
});

test("a value past Number.MAX_VALUE (Infinity once read) is an issue at its expression, as Infinity is", () => {
  const result = thresholdsSchema.safeParse({
    ws_connecting: ["p(95)<1e400", "p(95)<Infinity", `max<1${"0".repeat(400)}`],
  });
  expect(result.error?.issues.map((i) => [i.path.join("."), i.message.split(":")[0]])).toEqual([
    ["ws_connecting.0", "ERR_THRESHOLD_VALUE"],
    ["ws_connecting.1", "ERR_THRESHOLD_VALUE"],
    ["ws_connecting.2", "ERR_THRESHOLD_VALUE"],
  ]);
});

test("a method a built-in metric's kind lacks is an issue too; a metric of the user's is checked at the end", () => {
  const result = thresholdsSchema.safeParse({
    ws_sessions: ["count>0", "p(95)<3"],
    "ws_connecting{url:a}": ["max<1000", "p(95)<500"],
    my_counter: ["p(95)<3"], // its kind is known only once the run made it
  });
  expect(result.error?.issues.map((i) => [i.path.join("."), i.message.split(":")[0]])).toEqual([
    ["ws_sessions.1", "ERR_THRESHOLD_UNSUPPORTED"],
  ]);
  expect(thresholdsSchema.safeParse(["count<1"]).success).toBe(false);
  expect(thresholdsSchema.safeParse(null).success).toBe(false);
});

test("k6's long form { threshold, abortOnFail } is refused with what to write instead", () => {
  const result = thresholdsSchema.safeParse({
    ws_connecting: [{ threshold: "p(95)<500", abortOnFail: true }],
  });
  const messages = result.error?.issues
    .filter((i) => i.path.join(".") === "ws_connecting.0")
    .map((i) => i.message);
  expect(messages).toContainEqual(
    'ERR_THRESHOLD_SYNTAX: k6\'s long form { "threshold": …, "abortOnFail": … } is not taken here: write the expression itself, "p(95)<500" (a run is judged when it ends, never aborted).',
  );
});
