import { instanceSeed, MAX_SEED, randomBaseSeed } from "../../src/fleet/seed";

describe("instanceSeed", () => {
  test("is the same on every machine: pinned values", () => {
    // If these change, every recorded --seed replays differently: change them only on purpose.
    expect([0, 3].map((index) => instanceSeed(7, index))).toEqual([588686121, 2372217166]);
    expect(instanceSeed(0, 0)).toBe(2462723854);
  });

  test("gives distinct unsigned 32-bit seeds to the instances of one base", () => {
    const seeds = new Set<number>();
    let outOfRange = 0;
    for (let index = 0; index < 100_000; index++) {
      const seed = instanceSeed(123456789, index);
      if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) outOfRange++;
      seeds.add(seed);
    }
    expect([seeds.size, outOfRange]).toEqual([100_000, 0]);
  });

  test("depends on the base seed", () => {
    expect(instanceSeed(1, 5)).not.toBe(instanceSeed(2, 5));
    expect(instanceSeed(MAX_SEED, 5)).not.toBe(instanceSeed(0, 5));
  });
});

describe("randomBaseSeed", () => {
  test("is an unsigned 32-bit number", () => {
    const seed = randomBaseSeed();
    expect(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED).toBe(true);
  });
});
