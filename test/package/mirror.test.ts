import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "../..");
/** A module this long has its own test file: test/<same path>.test.ts or test/<same path>.<aspect>.test.ts. */
const MAX_UNTESTED_LINES = 100;

/**
 * Modules over the limit tested elsewhere, each for a reason. Keep this short: a module that grows a
 * job of its own gets a test file of its own.
 */
const ALLOWED: Record<string, string> = {
  // The curated public surface: test/package checks what it exports and that the package resolves.
  "index.ts": "test/package/package.test.ts",
  // The worker-thread entry: it runs only in worker threads, exercised end to end by runFleet.
  "fleet/worker.ts": "test/fleet/runFleet.test.ts",
  // Message shapes between the fleet's threads and their version: exercised by both ends' tests.
  "fleet/protocol.ts": "test/fleet/FleetHost.test.ts",
};

function modules(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, "src", dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return modules(rel);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [rel] : [];
  });
}

function lines(file: string): number {
  return fs.readFileSync(file, "utf8").split("\n").length;
}

function hasOwnTest(module: string): boolean {
  const stem = module.replace(/\.ts$/, "");
  const folder = path.join(ROOT, "test", path.dirname(stem));
  const base = path.basename(stem);
  if (!fs.existsSync(folder)) return false;
  return fs
    .readdirSync(folder)
    .some((name) => name === `${base}.test.ts` || (name.startsWith(`${base}.`) && name.endsWith(".test.ts")));
}

describe("test/ mirrors src/", () => {
  const long = modules("").filter((module) => lines(path.join(ROOT, "src", module)) > MAX_UNTESTED_LINES);

  test("every module over 100 lines has its own test file, or a reason in the allowlist", () => {
    expect(long.length).toBeGreaterThan(50);
    const missing = long.filter((module) => !hasOwnTest(module) && !(module in ALLOWED));
    expect(missing).toEqual([]);
  });

  test("the allowlist names only long modules without their own test, and tests that exist", () => {
    for (const [module, coveredBy] of Object.entries(ALLOWED)) {
      expect([module, long.includes(module), hasOwnTest(module)]).toEqual([module, true, false]);
      expect(fs.existsSync(path.join(ROOT, coveredBy))).toBe(true);
    }
  });
});
