import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../src/run/args";
import { checkOutputWritable, writeOutputFile } from "../../src/run/output";

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "output-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const LONG_NAME = `${"a".repeat(300)}.json`; // past NAME_MAX (255)

/** The InputError `f` throws: its message. */
function refusal(f: () => void): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("no error");
}

describe("checkOutputWritable (before the run)", () => {
  test("a file that can be created: nothing is left behind", () => {
    checkOutputWritable("new.json", dir);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("an existing file is left as it was", () => {
    const file = path.join(dir, "old.json");
    fs.writeFileSync(file, "kept");
    const before = fs.statSync(file).mtimeMs;
    checkOutputWritable(file, dir);
    expect([fs.readFileSync(file, "utf8"), fs.statSync(file).mtimeMs]).toEqual(["kept", before]);
  });

  test("through a link to a file not there yet: neither the link's target nor anything else is left", () => {
    fs.symlinkSync(path.join(dir, "target.json"), path.join(dir, "link.json"));
    checkOutputWritable("link.json", dir);
    expect(fs.readdirSync(dir)).toEqual(["link.json"]);
    expect(fs.existsSync(path.join(dir, "target.json"))).toBe(false);
  });

  test("a device is not opened (it could block, a pipe with no reader)", () => {
    expect(() => checkOutputWritable("/dev/null", dir)).not.toThrow();
  });

  test.each([
    [LONG_NAME, `Can't write ${LONG_NAME}: name too long (ENAMETOOLONG).`],
    ["/proc/x.json", "Can't write /proc/x.json: no such file or directory (ENOENT)."], // /proc creates no file
    ["no/such/x.json", `Can't write no/such/x.json: the folder "no/such" does not exist.`],
  ])("%s is refused in one line naming the file and the system's reason", (file, message) => {
    expect(refusal(() => checkOutputWritable(file, dir))).toBe(message);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("writeOutputFile (at the end)", () => {
  test.each([
    ["/dev/full", "Can't write /dev/full: no space left on the device."],
    // Root opens it, then the write fails; anyone else can't open it.
    ["/proc/version", /^Can't write \/proc\/version: (i\/o error \(EIO\)|permission denied)\.$/],
    [LONG_NAME, `Can't write ${LONG_NAME}: name too long (ENAMETOOLONG).`],
    ["/proc/x.json", "Can't write /proc/x.json: no such file or directory (ENOENT)."],
  ])("every failure of the system's is an InputError: %s", (file, message) => {
    expect(refusal(() => writeOutputFile(file, "{}", dir))).toMatch(message);
  });

  test("writes the file", () => {
    writeOutputFile("out.json", "{}", dir);
    expect(fs.readFileSync(path.join(dir, "out.json"), "utf8")).toBe("{}");
  });
});
