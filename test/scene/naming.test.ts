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
    expect(readableUniqueName("A099", taken("A099"))).toBe("A100");
    // digit by digit, as Godot's increase_numeric_string: past what a double holds exactly
    expect(readableUniqueName("Node12345678901234567890", taken("Node12345678901234567890"))).toBe(
      "Node12345678901234567891",
    );
    expect(readableUniqueName("Node9007199254740992", taken("Node9007199254740992"))).toBe(
      "Node9007199254740993",
    );
    expect(readableUniqueName(`Node${"9".repeat(21)}`, taken(`Node${"9".repeat(21)}`))).toBe(
      `Node1${"0".repeat(21)}`,
    );
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
    expect(matchesPattern("a😀b", "a?b")).toBe(true); // one code point is one character, as in Godot
    expect(matchesPattern("😀", "?")).toBe(true);
  });
});
