import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandHelp } from "../../src/run/args";
import { runCli } from "../../src/cli/main";
import { MERGE_SPEC } from "../../src/cli/mergeCommand";
import type { CliIo } from "../../src/run/output";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary } from "../../src/metrics/summary";
import { parseSummary, serializeSummary } from "../../src/metrics/summaryJson";
import { parseThresholdArg } from "../../src/metrics/thresholds";
import { recordWs } from "../../src/metrics/ws";

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
  shard("b.json", 10, 5, 1, ["ws_connect_failed:count<2"]);
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
    [["a.json", "--threshold", "ws_sessions:p(95)<500"], "scenetree merge: ERR_THRESHOLD_UNSUPPORTED: "],
    [["a.json", "kind.json"], 'scenetree merge: ERR_SUMMARY_FORMAT: Metric "ws_sessions" is a counter'],
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

  test("a bad threshold is shown with a caret under the bad part", async () => {
    shard("a.json", 1, 1, 0);
    const { stderr } = await merge("a.json", "--threshold", "ws_connecting:p(95<500");
    expect(stderr.split("\n").slice(1, 3)).toEqual([
      "    ws_connecting:p(95<500",
      `    ${" ".repeat(14)}^^^^`,
    ]);
  });

  test("an unwritable --summary-json", async () => {
    shard("a.json", 1, 1, 0);
    const { code, stderr } = await merge("a.json", "--summary-json", join(dir, "no", "such", "dir.json"));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--summary-json .*dir\.json: can't write it \(ENOENT\)\./);
  });
});

test("--help prints the help and exits 0", async () => {
  const { code, stdout } = await merge("--help");
  expect([code, stdout]).toEqual([0, commandHelp(MERGE_SPEC)]);
  expect(stdout).toContain("99 a threshold failed");
});
