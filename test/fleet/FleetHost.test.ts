import { WORKER_YOUNG_GENERATION_MB, workerResourceLimits } from "../../src/fleet/FleetHost";

describe("fleet workers' resource limits", () => {
  test("a small young generation by default", () => {
    expect(workerResourceLimits("")).toEqual({ maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB });
    expect(workerResourceLimits("--enable-source-maps --max-old-space-size=4096")).toEqual({
      maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
    });
  });

  test("none of ours when the user sizes the semi-spaces with a V8 flag (execArgv or NODE_OPTIONS)", () => {
    expect(workerResourceLimits("--max-semi-space-size=32")).toEqual({});
    expect(workerResourceLimits("--require x --max_semi_space_size=8")).toEqual({});
    expect(workerResourceLimits(" --min-semi-space-size=4")).toEqual({});
  });
});
