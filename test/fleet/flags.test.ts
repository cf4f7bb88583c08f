import { UsageError } from "../../src/run/args";
import {
  MAX_FLEET_SECONDS,
  parseFleetFlags,
  parseSeed,
  parseShardFlags,
  type RunFlagsForFleet,
} from "../../src/fleet/flags";

const RUN: RunFlagsForFleet = {
  scene: "bot.scene.json",
  fps: 30,
  logLevel: "warn",
  logFormat: "pretty",
  seed: 5,
  quitAfter: null,
  printTree: false,
  scripts: [],
};

const usage = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("no UsageError");
};

describe("parseFleetFlags", () => {
  test("without --instances there is no fleet", () => {
    expect(parseFleetFlags({}, RUN, {})).toBeNull();
  });

  test("fleet flags without --instances are refused rather than ignored", () => {
    expect(usage(() => parseFleetFlags({ workers: "2" }, RUN, {}))).toBe("--workers needs --instances N.");
    expect(usage(() => parseFleetFlags({ "ramp-up": "2" }, RUN, {}))).toBe("--ramp-up needs --instances N.");
  });

  test("defaults: one worker per core, no ramp-up, no duration, the whole fleet", () => {
    expect(parseFleetFlags({ instances: "20" }, RUN, {})).toEqual({
      scene: "bot.scene.json",
      instances: 20,
      workers: null,
      rampUp: 0,
      duration: null,
      shard: { index: 0, count: 1 },
      seed: 5,
      fps: 30,
      logLevel: "warn",
      logFormat: "pretty",
      scripts: [],
    });
  });

  test("every flag", () => {
    expect(
      parseFleetFlags(
        { instances: "5000", workers: "2", "ramp-up": "30", duration: "300.5", shard: "3/4" },
        RUN,
        {},
      ),
    ).toMatchObject({
      instances: 5000,
      workers: 2,
      rampUp: 30,
      duration: 300.5,
      shard: { index: 3, count: 4 },
    });
  });

  const rampUp = (text: string) =>
    `--ramp-up needs a non-negative number of seconds, at most 31536000 (365 days), got "${text}".`;
  const duration = (text: string) =>
    `--duration needs a positive number of seconds, at most 31536000 (365 days), got "${text}".`;

  test("--ramp-up and --duration of a year at most", () => {
    expect(
      parseFleetFlags({ instances: "4", "ramp-up": "31536000", duration: "31536000" }, RUN, {}),
    ).toMatchObject({
      rampUp: MAX_FLEET_SECONDS,
      duration: MAX_FLEET_SECONDS,
    });
    expect(MAX_FLEET_SECONDS).toBe(31_536_000);
  });

  test.each([
    [{ instances: "0" }, '--instances needs a whole number from 1 to 4294967295, got "0".'],
    [{ instances: "2.5" }, '--instances needs a whole number from 1 to 4294967295, got "2.5".'],
    [{ instances: "ten" }, '--instances needs a whole number from 1 to 4294967295, got "ten".'],
    [{ instances: "4", workers: "0" }, '--workers needs a whole number from 1 to 1024, got "0".'],
    [{ instances: "4", "ramp-up": "-1" }, rampUp("-1")],
    [{ instances: "4", duration: "0" }, duration("0")],
    [{ instances: "4", duration: "" }, duration("")],
    // Past a year: 1e308 s is Infinity in ms, and instance 0's start time (Infinity × 0) NaN.
    [{ instances: "4", "ramp-up": "1e308" }, rampUp("1e308")],
    [{ instances: "4", "ramp-up": "31536000.001" }, rampUp("31536000.001")],
    [{ instances: "4", duration: "1e400" }, duration("1e400")],
    [{ instances: "4", duration: "Infinity" }, duration("Infinity")],
  ])("%j is refused", (values, message) => {
    expect(usage(() => parseFleetFlags(values, RUN, {}))).toBe(message);
  });

  test("flags that only make sense for one tree are refused with --instances", () => {
    expect(usage(() => parseFleetFlags({ instances: "2" }, { ...RUN, quitAfter: 1 }, {}))).toMatch(
      /--duration/,
    );
    expect(usage(() => parseFleetFlags({ instances: "2" }, { ...RUN, printTree: true }, {}))).toMatch(
      /--print-tree/,
    );
  });
});

describe("parseShardFlags", () => {
  test("--shard I/M", () => {
    expect(parseShardFlags("0/1", undefined, {})).toEqual({ index: 0, count: 1 });
    expect(parseShardFlags(" 2 / 5 ", undefined, {})).toEqual({ index: 2, count: 5 });
  });

  test("--shards M takes I from JOB_COMPLETION_INDEX", () => {
    expect(parseShardFlags(undefined, "4", { JOB_COMPLETION_INDEX: "3" })).toEqual({ index: 3, count: 4 });
  });

  test.each([
    ["5/5", undefined, {}, /index must be below the shard count \(0\.\.4\)/],
    ["1/0", undefined, {}, /shard count must be at least 1/],
    ["1-4", undefined, {}, /--shard needs I\/M/],
    ["-1/4", undefined, {}, /--shard needs I\/M/],
    ["0/2", "2", {}, /not both/],
    [undefined, "4", {}, /JOB_COMPLETION_INDEX/],
    [undefined, "4", { JOB_COMPLETION_INDEX: "x" }, /must be a whole number, got "x"/],
    [
      undefined,
      "4",
      { JOB_COMPLETION_INDEX: "4" },
      /JOB_COMPLETION_INDEX=4 with --shards 4: the shard index/,
    ],
    [undefined, "0", { JOB_COMPLETION_INDEX: "0" }, /--shards needs a whole number/],
  ])("%s / --shards %s / env %j is refused", (shard, shards, env, message) => {
    expect(usage(() => parseShardFlags(shard, shards, env))).toMatch(message);
  });
});

describe("parseSeed", () => {
  test("a whole number 0..2^32-1, or null", () => {
    expect(parseSeed(undefined)).toBeNull();
    expect(parseSeed("0")).toBe(0);
    expect(parseSeed("4294967295")).toBe(4294967295);
    expect(usage(() => parseSeed("4294967296"))).toMatch(/--seed needs a whole number from 0 to 4294967295/);
    expect(usage(() => parseSeed("-3"))).toMatch(/--seed/);
  });
});
