import { matchesPattern, readableUniqueName, validateNodeName } from "../../src/scene/naming";

describe("naming", () => {
  it("readableUniqueName increments a trailing number, keeping zero padding", () => {
    const taken =
      (...names: string[]) =>
      (name: string) =>
        names.includes(name);
    expect(readableUniqueName("Timer", taken())).toBe("Timer");
    expect(readableUniqueName("Timer", taken("Timer"))).toBe("Timer2");
    expect(readableUniqueName("Timer", taken("Timer", "Timer2"))).toBe("Timer3");
    expect(readableUniqueName("Timer2", taken("Timer2"))).toBe("Timer3");
    expect(readableUniqueName("A09", taken("A09"))).toBe("A10");
    expect(readableUniqueName("A0", taken("A0"))).toBe("A1");
  });

  it("validateNodeName replaces characters that would break paths", () => {
    expect(validateNodeName('a.b:c@d/e"f%g')).toBe("a_b_c_d_e_f_g");
  });

  it("matchesPattern supports * and ? and is case-sensitive", () => {
    expect(matchesPattern("Enemy12", "Enemy*")).toBe(true);
    expect(matchesPattern("Enemy1", "Enemy?")).toBe(true);
    expect(matchesPattern("Enemy12", "Enemy?")).toBe(false);
    expect(matchesPattern("enemy", "Enemy*")).toBe(false);
    expect(matchesPattern("a.b", "a.b")).toBe(true);
    expect(matchesPattern("axb", "a.b")).toBe(false);
  });
});
