import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { matchesSchema } from "../helpers/jsonSchemaCheck";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join("test", "fixtures", "cli");

/** `scenetree schema ...` with a registry of its own (only the built-in types until its scripts run). */
async function schema(args: string[], cwd = ROOT) {
  let result = { code: -1, stdout: "", stderr: "" };
  await jest.isolateModulesAsync(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh registry per call
    const { runCli } = require("../../src/cli/main") as typeof import("../../src/cli/main");
    let stdout = "";
    let stderr = "";
    const code = await runCli(["schema", ...args], {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      cwd,
    });
    result = { code, stdout, stderr };
  });
  return result;
}

const scene = (root: unknown) => ({ format: 1, scripts: ["./greeter.ts"], root });
const greeter = (props: Record<string, unknown>) => ({ name: "Main", type: "Greeter", props });

describe("scenetree schema with the project's own types", () => {
  test("without scripts: any type name passes, with free-form props (the committed default)", async () => {
    const { code, stdout } = await schema([]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "scene.schema.json"), "utf8")));
    expect(matchesSchema(json, scene(greeter({ greting: 1 })))).toBe(true);
    expect(matchesSchema(json, scene({ name: "Main", type: "Greetr" }))).toBe(true);
  });

  test("--scripts: the editor flags a misspelt type and a misspelt or mistyped prop of a user type", async () => {
    const { code, stdout, stderr } = await schema(["--scripts", `${FIXTURES}/greeter.ts`]);
    expect([code, stderr]).toEqual([0, ""]);
    const json = JSON.parse(stdout);
    expect(json.$defs.GreeterNode.properties.props.properties.greeting).toEqual({ type: "string" });
    expect(json.$defs.ScriptNode).toBeUndefined();
    expect(matchesSchema(json, scene(greeter({ greeting: "hi" })))).toBe(true);
    expect(matchesSchema(json, scene({ name: "Main", type: "Greetr" }))).toBe(false);
    expect(matchesSchema(json, scene(greeter({ greting: "hi" })))).toBe(false);
    expect(matchesSchema(json, scene(greeter({ greeting: 3 })))).toBe(false);
    // built-in types are still checked, and instances still pass
    expect(matchesSchema(json, scene({ name: "T", type: "Timer", props: { waitTime: 2 } }))).toBe(true);
    expect(matchesSchema(json, scene({ name: "T", type: "Timer", props: { waitTme: 2 } }))).toBe(false);
    expect(matchesSchema(json, scene({ instance: "./part.scene.json" }))).toBe(true);
  });

  test("a scene file: its scripts are imported as scenetree run would, and -o writes the schema", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-schema-"));
    try {
      const out = path.join(dir, "scene.schema.json");
      const { code, stdout, stderr } = await schema([`${FIXTURES}/greeter.scene.json`, "-o", out]);
      expect([code, stdout, stderr]).toEqual([0, "", `Wrote ${out}\n`]);
      const json = JSON.parse(fs.readFileSync(out, "utf8"));
      expect(Object.keys(json.$defs)).toContain("GreeterNode");
      expect(matchesSchema(json, scene({ name: "Main", type: "Greetr" }))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a scene whose only problems are in its own types' props still gets its schema, with a note", async () => {
    const { code, stdout, stderr } = await schema([`${FIXTURES}/prop-typo.scene.json`]);
    expect(code).toBe(0);
    expect(stderr).toBe(
      `note: ${FIXTURES}/prop-typo.scene.json has 1 problem (scenetree validate ${FIXTURES}/prop-typo.scene.json lists them).\n`,
    );
    expect(matchesSchema(JSON.parse(stdout), scene(greeter({ greting: "hi" })))).toBe(false);
  });

  test("a scene too broken to import its scripts: its problems, then why, exit 2, no schema", async () => {
    const { code, stdout, stderr } = await schema([`${FIXTURES}/broken-timer.scene.json`]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toContain('ERR_OUT_OF_RANGE: "waitTime" must be > 0, got -1.');
    expect(stderr).toContain(
      `scenetree: ${FIXTURES}/broken-timer.scene.json is invalid, so its scripts were not imported; fix it first, or name them with --scripts.\n`,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
