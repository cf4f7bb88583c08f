import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandHelp } from "../../src/run/args";
import { runCli } from "../../src/cli/main";
import { MAX_SUMMARY_FILE_BYTES, MERGE_SPEC } from "../../src/cli/mergeCommand";
import type { CliIo } from "../../src/run/output";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary, type Summary } from "../../src/metrics/summary";
import { parseSummary, serializeSummary } from "../../src/metrics/summaryJson";
import { parseThresholdArg } from "../../src/metrics/thresholds";
import { recordWs } from "../../src/metrics/ws";
import { MAX_HISTOGRAM_BYTES } from "../../src/metrics/histogram";
import { craftHistogram } from "../helpers/craftHistogram";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "scenetree-merge-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function merge(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir };
  const code = await runCli(["merge", ...args], io);
  return { code, stdout, stderr };
}

/** A shard's summary file: `connects` handshakes of `ms` each and `failed` failed attempts. */
function shard(
  file: string,
  connects: number,
  ms: number,
  failed: number,
  thresholds: string[] = [],
): string {
  const metrics = new Metrics();
  for (let i = 0; i < connects; i++) recordWs(metrics, "connected", ms);
  for (let i = 0; i < failed; i++) recordWs(metrics, "connectFailed");
  const summary = createSummary(metrics, {
    startedAt: 0,
    durationMs: 10_000,
    thresholds: thresholds.map(parseThresholdArg),
  });
  writeFileSync(join(dir, file), serializeSummary(summary));
  return file;
}

test("0: the merged summary is printed and every threshold holds", async () => {
  shard("a.json", 10, 5, 0);
  shard("b.json", 30, 7, 0);
  const { code, stdout, stderr } = await merge("a.json", "b.json", "--threshold", "ws_connecting:p(95)<500");
  expect([code, stderr]).toEqual([0, ""]);
  expect(stdout).toContain("  █ TOTAL RESULTS (10s, 2 summaries merged)\n");
  expect(stdout).toContain("    ✓ 'p(95)<500' p(95)=7ms\n");
  expect(stdout).toMatch(/ws_sessions\.+: 40 /);
});

test("99: a threshold failed, from --threshold or recorded in a shard", async () => {
  shard("a.json", 10, 5, 1, ["ws_connect_failed:count<2"]);
  shard("b.json", 11, 5, 1, ["ws_connect_failed:count<2"]);
  // Each shard passed alone (1 < 2); merged, 2 failed connects cross the threshold.
  expect(parseSummary(readFileSync(join(dir, "a.json"), "utf8")).thresholds[0].ok).toBe(true);
  const recorded = await merge("a.json", "b.json");
  expect(recorded.code).toBe(99);
  expect(recorded.stdout).toContain("    ✗ 'count<2' count=2\n");
  expect(recorded.stderr).toBe("scenetree merge: 1 of 1 thresholds failed (ws_connect_failed).\n");
  const cli = await merge(
    "a.json",
    "--threshold",
    "ws_connecting:max<1",
    "--threshold",
    "ws_sessions:count>0",
  );
  expect(cli.code).toBe(99);
  expect(cli.stderr).toBe("scenetree merge: 1 of 3 thresholds failed (ws_connecting).\n");
});

describe("shards: a summary of a shard says which one it is", () => {
  const sharded = (file: string, index: number, count: number, connects = 10 + index, seed = 7) => {
    shard(file, connects, 5, 0);
    const summary = JSON.parse(readFileSync(join(dir, file), "utf8"));
    writeFileSync(
      join(dir, file),
      JSON.stringify({ ...summary, shard: { index, count, instances: 40, seed } }),
    );
  };

  test("every shard of the fleet: merged, nothing said", async () => {
    for (let i = 0; i < 3; i++) sharded(`s${i}.json`, i, 3);
    const { code, stderr } = await merge("s0.json", "s1.json", "s2.json");
    expect([code, stderr]).toEqual([0, ""]);
  });

  test("the same shard of the same fleet twice is refused (2); a missing one is a warning", async () => {
    sharded("s0.json", 0, 3);
    sharded("again.json", 0, 3, 99); // another run of shard 0: other figures, the same shard
    sharded("s2.json", 2, 3);
    const twice = await merge("s0.json", "again.json");
    expect([twice.code, twice.stdout]).toEqual([2, ""]);
    expect(twice.stderr).toBe(
      "scenetree merge: again.json is shard 0/3 of the same fleet as s0.json; merging it twice would count it twice.\n",
    );
    const missing = await merge("s0.json", "s2.json");
    expect(missing.code).toBe(0);
    expect(missing.stderr).toBe(
      "scenetree merge: warning: shard 1/3 of the fleet of 40 instances, seed 7, 3 shards is missing: the merge covers 2 of 3.\n",
    );
  });

  test("a copy of a shard's summary is the same shard twice: refused, with no warning that both are counted", async () => {
    sharded("s0.json", 0, 2);
    copyFileSync(join(dir, "s0.json"), join(dir, "copy.json"));
    const { code, stdout, stderr } = await merge("s0.json", "copy.json");
    expect([code, stdout, stderr]).toEqual([
      2,
      "",
      "scenetree merge: copy.json is shard 0/2 of the same fleet as s0.json; merging it twice would count it twice.\n",
    ]);
  });

  test("a huge shard count: the missing shards are counted, the first ten named, none listed one by one", async () => {
    sharded("s0.json", 0, 2 ** 32);
    sharded("s3.json", 3, 2 ** 32);
    const { code, stderr } = await merge("s0.json", "s3.json");
    expect(code).toBe(0);
    const named = [1, 2, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => `${i}/4294967296`).join(", ");
    expect(stderr).toBe(
      `scenetree merge: warning: shards ${named} and 4294967284 more of the fleet of 40 instances, seed 7, 4294967296 shards are missing: the merge covers 2 of 4294967296.\n`,
    );
    sharded("big.json", 5, 2 ** 53 - 1);
    const most = await merge("big.json");
    expect(most.code).toBe(0);
    expect(most.stderr).toContain(
      ` and ${2 ** 53 - 12} more of the fleet of 40 instances, seed 7, ${2 ** 53 - 1} shards`,
    );
  });

  test("shards of different fleets (another seed): merged, with a warning", async () => {
    sharded("a0.json", 0, 2, 10, 7);
    sharded("a1.json", 1, 2, 11, 7);
    sharded("b0.json", 0, 2, 12, 8);
    const { code, stderr } = await merge("a0.json", "a1.json", "b0.json");
    expect(code).toBe(0);
    expect(stderr).toContain("scenetree merge: warning: these are shards of 2 different fleets (");
    expect(stderr).toContain("shard 1/2 of the fleet of 40 instances, seed 8, 2 shards is missing");
  });
});

test("a copy of a summary is merged, with a warning that it holds the very same summary", async () => {
  shard("a.json", 10, 5, 1);
  copyFileSync(join(dir, "a.json"), join(dir, "copy.json"));
  const { code, stdout, stderr } = await merge("a.json", "copy.json");
  expect(code).toBe(0);
  expect(stderr).toBe(
    "scenetree merge: warning: copy.json holds the very same summary as a.json (a copy?); both are counted.\n",
  );
  expect(stdout).toMatch(/ws_sessions\.+: 20 /);
});

test("the same file by another name (a symlink, a hard link, a symlinked folder) is refused: it would count twice", async () => {
  shard("a.json", 10, 5, 1);
  symlinkSync("a.json", join(dir, "link.json"));
  linkSync(join(dir, "a.json"), join(dir, "hard.json"));
  symlinkSync(dir, join(dir, "alias"), "dir");
  for (const other of [
    "link.json",
    "hard.json",
    join("alias", "a.json"),
    join(dir, "alias", "alias", "a.json"),
  ]) {
    const { code, stdout, stderr } = await merge("a.json", other);
    expect([code, stdout, stderr]).toEqual([
      2,
      "",
      `scenetree merge: ${other} is the same file as a.json; merging it twice would count it twice.\n`,
    ]);
  }
});

test(`a file over ${MAX_SUMMARY_FILE_BYTES / 1024 / 1024} MiB is refused unread`, async () => {
  shard("a.json", 1, 1, 0);
  // Sparse: its size says past the limit, its blocks hold nothing.
  writeFileSync(join(dir, "big.json"), "");
  truncateSync(join(dir, "big.json"), MAX_SUMMARY_FILE_BYTES + 1);
  const { code, stdout, stderr } = await merge("a.json", "big.json");
  expect([code, stdout, stderr]).toEqual([
    2,
    "",
    `scenetree merge: big.json: ${MAX_SUMMARY_FILE_BYTES + 1} bytes, more than a summary file may have (64 MiB); it is not read.\n`,
  ]);
  truncateSync(join(dir, "big.json"), MAX_SUMMARY_FILE_BYTES);
  const atLimit = await merge("big.json");
  expect(atLimit.code).toBe(2);
  expect(atLimit.stderr).toMatch(/^scenetree merge: big\.json: ERR_SUMMARY_FORMAT: Not JSON: /);
});

test("a metric named __proto__ is merged, judged and written like any other", async () => {
  const metrics = new Metrics();
  metrics.counter("__proto__").add(5);
  writeFileSync(join(dir, "proto.json"), serializeSummary(createSummary(metrics, { durationMs: 1000 })));
  const { code, stdout, stderr } = await merge(
    "proto.json",
    "--threshold",
    "__proto__:count>0",
    "--summary-json",
    "out.json",
  );
  expect([code, stderr]).toEqual([0, ""]);
  expect(stdout).toContain("    ✓ 'count>0' count=5\n");
  expect(stdout).toMatch(/ {4}__proto__\.+: 5 /);
  expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).metrics.__proto__.data).toEqual({
    count: 5,
  });
});

test("--summary-json writes the merged summary, which merges and evaluates again", async () => {
  shard("a.json", 10, 5, 0);
  shard("b.json", 10, 9, 0);
  const first = await merge(
    "a.json",
    "b.json",
    "--summary-json",
    "ab.json",
    "--threshold",
    "ws_connecting:max<=9",
  );
  expect(first.code).toBe(0);
  const ab = parseSummary(readFileSync(join(dir, "ab.json"), "utf8"));
  expect([ab.sources, ab.metrics.ws_sessions.values.count, ab.thresholds.length]).toEqual([2, 20, 1]);
  shard("c.json", 10, 20, 0);
  const again = await merge("ab.json", "c.json");
  expect(again.code).toBe(99); // the recorded max<=9 now sees the 20 ms of c
  expect(again.stdout).toContain("3 summaries merged");
});

describe("2: invalid input, said on stderr, nothing on stdout", () => {
  test.each([
    [[], "scenetree: merge needs a summary file."],
    [["--bogus", "a.json"], 'scenetree: Unknown option "--bogus".'],
    [["missing.json"], "scenetree merge: missing.json: can't read it (ENOENT)."],
    [
      ["a.json", "./a.json"],
      "scenetree merge: ./a.json is the same file as a.json; merging it twice would count it twice.",
    ],
    [["bad.json"], "scenetree merge: bad.json: ERR_SUMMARY_FORMAT: Not JSON: "],
    [
      ["k6.json"],
      'scenetree merge: k6.json: ERR_SUMMARY_FORMAT: Not a scenetree summary (its "format" is not',
    ],
    [
      ["a.json", "--threshold", "ws_connecting:p(95<500"],
      "scenetree merge: --threshold: ERR_THRESHOLD_METHOD: ",
    ],
    [
      ["a.json", "--threshold", "ws_sessions:p(95)<500"],
      "scenetree merge: --threshold ws_sessions:p(95)<500: ERR_THRESHOLD_UNSUPPORTED: ws_sessions is a counter: it has no p(95).",
    ],
    [
      ["a.json", "kind.json"],
      'scenetree merge: ERR_SUMMARY_FORMAT: Metric "ws_sessions" is a counter in a.json but a trend in kind.json; they can\'t be merged.\n',
    ],
  ])("%j", async (args, start) => {
    shard("a.json", 1, 1, 0);
    writeFileSync(join(dir, "bad.json"), "{ not json");
    writeFileSync(join(dir, "k6.json"), JSON.stringify({ metrics: {}, root_group: {} }));
    const kind = new Metrics();
    kind.trend("ws_sessions_x").add(1);
    const wrongKind = JSON.parse(serializeSummary(createSummary(kind, { durationMs: 1 })));
    wrongKind.metrics.ws_sessions = wrongKind.metrics.ws_sessions_x;
    writeFileSync(join(dir, "kind.json"), JSON.stringify(wrongKind));
    const { code, stdout, stderr } = await merge(...args);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr.startsWith(start)).toBe(true);
  });

  test("a histogram that inflates past the limit (a decompression bomb), or of other settings, names the file", async () => {
    shard("a.json", 2, 1, 0);
    const hostile = (file: string, hdr: string, count: number) => {
      const summary = JSON.parse(readFileSync(join(dir, "a.json"), "utf8"));
      Object.assign(summary.metrics.ws_connecting.data, { count, hdr });
      writeFileSync(join(dir, file), JSON.stringify(summary));
    };
    hostile("bomb.json", craftHistogram(Buffer.alloc(2 * 1024 * 1024)), 0);
    // One sample at 2 µs, in buckets 1000 wide: the fleet's p(95) would be off by that much.
    hostile(
      "coarse.json",
      craftHistogram(Buffer.from([4]), { digits: 1, lowest: 1000n, highest: 1n << 40n }),
      2,
    );
    const bomb = await merge("a.json", "bomb.json");
    expect([bomb.code, bomb.stdout, bomb.stderr]).toEqual([
      2,
      "",
      `scenetree merge: bomb.json: ERR_SUMMARY_FORMAT: Invalid summary at metrics.ws_connecting.data.hdr: it inflates to more than ${MAX_HISTOGRAM_BYTES} bytes, more than any histogram of a summary needs.\n`,
    ]);
    const coarse = await merge("a.json", "coarse.json");
    expect([coarse.code, coarse.stdout]).toEqual([2, ""]);
    expect(coarse.stderr).toBe(
      "scenetree merge: coarse.json: ERR_SUMMARY_FORMAT: Invalid summary at metrics.ws_connecting.data.hdr: it was recorded with 1 significant digits and a lowest value of 1000, where scenetree records with 3 and 1; histograms of other settings do not merge exactly.\n",
    );
  });

  test("figures that contradict each other, or a start and duration past the largest number, name the file", async () => {
    shard("a.json", 4, 5, 0);
    const edit = (file: string, change: (summary: Summary) => void) => {
      const summary = JSON.parse(readFileSync(join(dir, "a.json"), "utf8"));
      change(summary);
      writeFileSync(join(dir, file), JSON.stringify(summary));
    };
    edit("range.json", (s) => Object.assign(s.metrics.ws_connecting.data, { min: 400, max: 500, sum: 1800 }));
    edit("negative.json", (s) => Object.assign(s.metrics.ws_connecting.data, { sum: -100000 }));
    edit("end.json", (s) => Object.assign(s, { startedAt: 1.7e308, durationMs: 1.7e308 }));
    const rate = new Metrics();
    rate.rate("join_ok").add(true);
    const halfPass = JSON.parse(serializeSummary(createSummary(rate, { durationMs: 1 })));
    halfPass.metrics.join_ok.data.passes = 0.5;
    writeFileSync(join(dir, "pass.json"), JSON.stringify(halfPass));
    for (const [file, where] of [
      ["range.json", "metrics.ws_connecting.data.hdr: min 400 and max 500 lie outside"],
      ["negative.json", "metrics.ws_connecting.data.sum: "],
      ["pass.json", "metrics.join_ok.data.passes: "],
      ["end.json", "durationMs: startedAt + durationMs is past the largest number."],
    ]) {
      const { code, stdout, stderr } = await merge("a.json", file, "--summary-json", "out.json");
      expect([code, stdout]).toEqual([2, ""]);
      expect(
        stderr.startsWith(`scenetree merge: ${file}: ERR_SUMMARY_FORMAT: Invalid summary at ${where}`),
      ).toBe(true);
      expect(stderr.split("\n")).toHaveLength(2); // one line
    }
    expect(existsSync(join(dir, "out.json"))).toBe(false);
  });

  test("a metric name the registry would refuse (a newline that forges lines, 1 MB) names the file, on one line", async () => {
    shard("a.json", 1, 1, 0);
    const text = readFileSync(join(dir, "a.json"), "utf8");
    const forged = '"data_sent\\n    ws_connect_failed.....: 0 \\u001b[32mOK\\u001b[0m"';
    writeFileSync(join(dir, "nl.json"), text.replace('"ws_sessions"', forged));
    writeFileSync(join(dir, "long.json"), text.replace('"ws_sessions"', `"${"a".repeat(1_000_000)}"`));
    const nl = await merge("a.json", "nl.json");
    expect([nl.code, nl.stdout]).toEqual([2, ""]);
    expect(nl.stderr).toBe(
      `scenetree merge: nl.json: ERR_INVALID_METRIC_NAME: Invalid summary at metrics: Invalid metric name ${forged}: use letters, digits and _ (not a digit first), at most 128 characters, e.g. "login_time".\n`,
    );
    const long = await merge("long.json");
    expect([long.code, long.stdout]).toEqual([2, ""]);
    expect(long.stderr).toContain(`Invalid metric name "${"a".repeat(60)}… (1000000 characters)": `);
    expect(long.stderr.length).toBeLessThan(400);
  });

  test("a threshold recorded in a file that does not parse, or does not fit its metric in another file, names the file", async () => {
    shard("a.json", 1, 1, 0, ["ws_connecting:p(95)<500"]);
    const edit = (file: string, thresholds: object[]) => {
      const summary = JSON.parse(readFileSync(join(dir, "a.json"), "utf8"));
      summary.thresholds.push(...thresholds);
      writeFileSync(join(dir, file), JSON.stringify(summary));
    };
    const result = { ok: true, value: 1, recorded: true };
    edit("bad.json", [{ metric: "ws_connecting", source: "p(95<3", ...result }]);
    edit("badname.json", [{ metric: "ws connecting", source: "p(95)<3", ...result }]);
    // No joins here, a trend in joins.json: the merged trend would be judged by count, which it has not.
    edit("counts.json", [{ metric: "joins", source: "count>0", ...result }]);
    const joins = new Metrics();
    joins.trend("joins").add(1);
    writeFileSync(join(dir, "joins.json"), serializeSummary(createSummary(joins, { durationMs: 1 })));
    const bad = await merge("a.json", "bad.json");
    expect([bad.code, bad.stdout]).toEqual([2, ""]);
    expect(bad.stderr).toMatch(
      /^scenetree merge: bad\.json: ERR_THRESHOLD_METHOD: Invalid summary at thresholds\.1\.source: "p\(95<3": .+\n$/,
    );
    const badName = await merge("badname.json");
    expect(badName.stderr).toMatch(
      /^scenetree merge: badname\.json: ERR_THRESHOLD_METRIC: Invalid summary at thresholds\.1\.metric: "ws connecting": .+\n$/,
    );
    const unfit = await merge("counts.json", "joins.json");
    expect([unfit.code, unfit.stdout]).toEqual([2, ""]);
    expect(unfit.stderr).toBe(
      "scenetree merge: counts.json: its threshold 'joins:count>0': ERR_THRESHOLD_UNSUPPORTED: joins is a trend: it has no count. Thresholds on a trend use avg, min, max, med, p(N).\n",
    );
  });

  test("a bad threshold is shown with a caret under the bad part", async () => {
    shard("a.json", 1, 1, 0);
    const { stderr } = await merge("a.json", "--threshold", "ws_connecting:p(95<500");
    expect(stderr.split("\n").slice(1, 3)).toEqual([
      "    ws_connecting:p(95<500",
      `    ${" ".repeat(14)}^^^^`,
    ]);
  });

  test("a --summary-json in a missing folder is refused up front, as run refuses it: nothing read or printed", async () => {
    shard("a.json", 1, 1, 0);
    const out = join(dir, "no", "such", "dir.json");
    // missing.json is never read: the output path is checked before any summary.
    const result = await merge("a.json", "missing.json", "--summary-json", out);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `scenetree merge: Can't write ${out}: the folder "${join(dir, "no", "such")}" does not exist.\n`,
    });
    expect(await merge("a.json", "--summary-json", ".")).toEqual({
      code: 2,
      stdout: "",
      stderr: "scenetree merge: Can't write .: it is a folder.\n",
    });
  });

  test("a --summary-json that can't be created (/proc/x.json) is refused up front too, in run's words", async () => {
    shard("a.json", 1, 1, 0);
    // Before, only the folder was checked: the merged summary was printed, then the write failed.
    expect(await merge("a.json", "--summary-json", "/proc/x.json")).toEqual({
      code: 2,
      stdout: "",
      stderr: "scenetree merge: Can't write /proc/x.json: no such file or directory (ENOENT).\n",
    });
  });
});

test("--help prints the help and exits 0", async () => {
  const { code, stdout } = await merge("--help");
  expect([code, stdout]).toEqual([0, commandHelp(MERGE_SPEC)]);
  expect(stdout).toContain("99 a threshold failed");
  // commandHelp says "Repeatable." for a multiple flag; the description does not say it again.
  expect(stdout).toContain("e.g. 'ws_connecting:p(95)<500'. Repeatable.\n");
  expect(stdout).not.toMatch(/repeatable\)?\.? Repeatable/i);
});

describe("--threshold on a name close to a built-in metric's: a warning, the same exit code", () => {
  test("a misspelt built-in name is pointed out on stderr; the threshold is still judged", async () => {
    shard("a.json", 1, 1, 1);
    const { code, stdout, stderr } = await merge("a.json", "--threshold", "ws_conect_failed:count<1");
    expect(code).toBe(0);
    expect(stdout).toContain("    ws_conect_failed\n    ✓ 'count<1' count=0 (not recorded)\n");
    expect(stderr).toBe(
      "scenetree merge: --threshold ws_conect_failed: not a built-in metric; did you mean ws_connect_failed? " +
        "(a metric of your own is fine: it is judged when the run has recorded it)\n",
    );
  });

  test("no warning for a built-in name, a name far from every built-in one, or one the summaries recorded", async () => {
    const metrics = new Metrics();
    metrics.counter("ws_pings").add(1); // a metric of the user's own, one letter from ws_ping
    writeFileSync(join(dir, "own.json"), serializeSummary(createSummary(metrics, { durationMs: 1000 })));
    const { code, stderr } = await merge(
      "own.json",
      "--threshold",
      "ws_pings:count>0",
      "--threshold",
      "ws_connect_failed:count<1",
      "--threshold",
      "login_time:count<1",
    );
    expect([code, stderr]).toEqual([0, ""]);
  });
});
