import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseScene, saveScene } from "../../src";

let folder: string;
beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), "save-scene-"))));
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

describe("saveScene: what the file system refuses is said of the file asked for", () => {
  test("a missing folder is named, not the temporary file written beside the target", async () => {
    const packed = parseScene('{ "format": 1, "root": { "name": "A", "type": "Node" } }');
    const missing = path.join(folder, "missing");
    const file = path.join(missing, "a.scene.json");
    const error = await saveScene(file, packed).then(
      () => null,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(error).toMatchObject({
      code: "ENOENT",
      syscall: "open",
      path: missing,
      message: `ENOENT: the folder '${missing}' does not exist (saveScene does not create folders), so '${file}' can't be written`,
    });
    expect(error?.message).not.toMatch(/\.tmp/);
    // A "folder" that is a file: said so, with the file system's own code.
    fs.writeFileSync(path.join(folder, "file"), "");
    const under = path.join(folder, "file", "a.scene.json");
    await expect(saveScene(under, packed)).rejects.toMatchObject({
      code: "ENOTDIR",
      path: path.join(folder, "file"),
      message: `ENOTDIR: '${path.join(folder, "file")}' is a file, not a folder (saveScene does not create folders), so '${under}' can't be written`,
    });
    expect(fs.readdirSync(folder)).toEqual(["file"]);
  });

  test("a file saved replaces the old one whole, with nothing left beside it", async () => {
    const file = path.join(folder, "a.scene.json");
    fs.writeFileSync(file, "old");
    await saveScene(file, parseScene('{ "format": 1, "root": { "name": "A", "type": "Node" } }'));
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ format: 1, root: { name: "A" } });
    expect(fs.readdirSync(folder)).toEqual(["a.scene.json"]);
  });
});
