import { UsageError } from "../../src/run/args";
import { parseRunArgs } from "../../src/cli/runCommand";
import { joinInspectValue } from "../../src/cli/inspectFlag";

describe("--inspect", () => {
  it("joins an address that follows it, and leaves a scene path alone", () => {
    expect(joinInspectValue(["--inspect", "9339", "a.json"])).toEqual(["--inspect=9339", "a.json"]);
    expect(joinInspectValue(["--inspect", "0.0.0.0:9339"])).toEqual(["--inspect=0.0.0.0:9339"]);
    expect(joinInspectValue(["--inspect", "a.json"])).toEqual(["--inspect=", "a.json"]);
    expect(joinInspectValue(["a.json", "--inspect"])).toEqual(["a.json", "--inspect="]);
  });

  it("parses into the run options: loopback and a free port by default", () => {
    expect(parseRunArgs(["s.json"], null)?.inspect).toBeNull();
    expect(parseRunArgs(["--inspect", "s.json"], null)).toMatchObject({
      scene: "s.json",
      inspect: { host: "127.0.0.1", port: 0 },
    });
    expect(parseRunArgs(["s.json", "--inspect", "9339"], null)?.inspect).toEqual({
      host: "127.0.0.1",
      port: 9339,
    });
    expect(parseRunArgs(["--inspect=0.0.0.0:9339", "s.json"], null)?.inspect).toEqual({
      host: "0.0.0.0",
      port: 9339,
    });
  });

  it("takes the word after it for its value unless it is a flag, or the scene while none was given", () => {
    const bad = (value: string) =>
      `--inspect takes a port or host:port (e.g. 9339 or 0.0.0.0:9339), got "${value}".`;
    for (const value of ["0.0.0.0", "abc", ":9340", "127.0.0.1:", "-1", "b.json"]) {
      expect(() => parseRunArgs(["a.json", "--inspect", value], null)).toThrow(new UsageError(bad(value)));
    }
    expect(() => parseRunArgs(["--inspect", "0.0.0.0", "a.json"], null)).toThrow(
      new UsageError(bad("0.0.0.0")),
    );
    // start's scene is optional: a word that is no scene file is --inspect's value there too
    expect(() => parseRunArgs(["--inspect", "abc"], "scenes/main.scene.json")).toThrow(
      new UsageError(bad("abc")),
    );
    expect(parseRunArgs(["--inspect", "a.tscn"], null)).toMatchObject({
      scene: "a.tscn",
      inspect: { host: "127.0.0.1", port: 0 },
    });
    expect(parseRunArgs(["--inspect", "--print-tree", "a.json"], null)).toMatchObject({
      scene: "a.json",
      printTree: true,
      inspect: { port: 0 },
    });
    // A flag's value is not the scene: the scene after --inspect is still the first one
    expect(parseRunArgs(["--summary-json", "out.json", "--inspect", "a.json"], null)).toMatchObject({
      scene: "a.json",
      inspect: { port: 0 },
    });
    expect(joinInspectValue(["--inspect", "--", "a.json"])).toEqual(["--inspect=", "--", "a.json"]);
  });

  it("refuses a bad address as a usage error", () => {
    expect(() => parseRunArgs(["--inspect=99999", "s.json"], null)).toThrow(UsageError);
    expect(() => parseRunArgs(["--inspect=x y", "s.json"], null)).toThrow(/--inspect takes a port/);
  });
});
