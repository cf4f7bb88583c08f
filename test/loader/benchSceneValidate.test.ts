import { main } from "../../bench/scene-validate";

describe("bench/scene-validate", () => {
  test("every scenario, at a tenth of the limits, is the scene it says: valid ones load, broken ones report", async () => {
    const rows = await main({ tiny: true, runs: 1, print: false });
    const problems = Object.fromEntries(rows.map((r) => [r.scenario, r.problems]));
    expect(problems).toEqual({
      "flat: 250,000 nodes": 0,
      "1,000 deep, 250,000 nodes": 0,
      "32 MiB file": 0,
      "one bad connection path, 1,000 deep": 1,
      "a bad NodePath prop on every node, 1,000 deep": 99,
      "an unknown type on every node, 1,000 deep": 99,
      "2,000 mistyped connections among 2,000 siblings": 200,
      "998 sub-scenes deep over a 249,000-node leaf": 0,
      "instance bomb: 8 levels of 20 instances": 1,
    });
    expect(rows.find((r) => r.scenario.startsWith("998"))?.files).toBe(100);
  }, 60_000);
});
