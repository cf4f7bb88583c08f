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

  it("refuses a bad address as a usage error", () => {
    expect(() => parseRunArgs(["--inspect=99999", "s.json"], null)).toThrow(UsageError);
    expect(() => parseRunArgs(["--inspect=x y", "s.json"], null)).toThrow(/--inspect takes a port/);
  });
});
