import * as path from "node:path";
import "../../src"; // the built-in node types, which runCommand installs before it calls runTree
import { runTree, type TreeRunOptions } from "../../src/cli/runTree";
import { NO_RUN_METRICS } from "../../src/run/runMetrics";
import { parseThresholdArg } from "../../src/metrics/thresholds";
import { captureIo } from "../helpers/captureIo";

const ROOT = path.join(__dirname, "..", "..");
const fixture = (name: string) => path.join("test", "fixtures", "scenes", name);

const capture = () => captureIo(ROOT);

const options = (scene: string, more: Partial<TreeRunOptions> = {}): TreeRunOptions => ({
  scene,
  fps: 60,
  quitAfter: null,
  printTree: false,
  logLevel: "info",
  logFormat: "pretty",
  scripts: [],
  inspect: null,
  ...more,
});

describe("runTree: one tree in this thread", () => {
  test("runs the scene until --quit-after, printing the tree first; a plain scene prints no summary", async () => {
    const io = capture();
    const more = { quitAfter: 0.05, printTree: true };
    expect(await runTree(options(fixture("bom.scene.json"), more), 1, NO_RUN_METRICS, io)).toBe(0);
    expect(io.out).toBe(" ┖╴root\n    ┖╴Bom\n");
    expect(io.err).toBe("");
  });

  test("an invalid scene → 2, its problems on stderr, nothing run", async () => {
    const io = capture();
    expect(await runTree(options(fixture("unknown-type.scene.json")), null, NO_RUN_METRICS, io)).toBe(2);
    expect(io.err).toMatch(/ERR_UNKNOWN_TYPE: Unknown node type "Timre"\.\n[^]*\n1 problem found\.\n$/);
    expect(io.out).toBe("");
  });

  test("a threshold makes the summary print and decides the exit code (99 when crossed)", async () => {
    const io = capture();
    const metrics = { ...NO_RUN_METRICS, thresholds: [parseThresholdArg("ws_sessions:count>0")] };
    expect(await runTree(options(fixture("bom.scene.json"), { quitAfter: 0.05 }), 1, metrics, io)).toBe(99);
    expect(io.out).toContain("✗ 'count>0'");
    expect(io.err).toContain("scenetree run: 1 of 1 thresholds failed (ws_sessions).");
  });
});
