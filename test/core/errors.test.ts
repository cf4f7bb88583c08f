import * as fs from "node:fs";
import * as path from "node:path";
import {
  CodedError,
  ERROR_CODES,
  NodeNotFoundError,
  SceneTreeError,
  UserCallbackError,
  type ErrorCodeName,
} from "../../src/core/errors";
import { ErrorCode } from "../../src/core/ErrorCode";
import { SceneError } from "../../src/loader/SceneError";
import { TscnError } from "../../src/tscn/errors";
import { MetricsError, ThresholdError } from "../../src/metrics/errors";
import { ConnectionWaitError } from "../../src/nodes/WebsocketClient";
import { InputError, UsageError } from "../../src/run/args";
import { Node } from "../../src/scene/Node";
import * as api from "../../src/index";

const ROOT = path.join(__dirname, "../..");
const CODES = new Set<string>(Object.keys(ERROR_CODES));
/** Member names of Godot's numeric enum: return values, documented beside the thrown codes. */
const RETURNED = new Set<string>(Object.keys(ErrorCode).filter((key) => Number.isNaN(Number(key))));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const SOURCES = sourceFiles(path.join(ROOT, "src")).map((file) => ({
  file: path.relative(ROOT, file),
  text: fs.readFileSync(file, "utf8"),
}));

describe("CodedError", () => {
  test("carries its code, message, cause and details", () => {
    const cause = new Error("inner");
    const error = new CodedError("ERR_LIMIT", "too big", { cause, details: { limit: 3 } });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_LIMIT");
    expect(error.message).toBe("too big");
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ limit: 3 });
    expect(error.name).toBe("CodedError");
    expect("cause" in new CodedError("ERR_LIMIT", "no cause")).toBe(false);
  });

  test("every error class scenetree exports extends it and keeps its own name and instanceof", () => {
    const problem = {
      code: "ERR_MISSING_FILE" as const,
      file: "a.scene.json",
      line: 1,
      column: 1,
      path: "",
      message: "m",
      hint: "",
    };
    const cases: Array<[CodedError, abstract new (...args: never[]) => CodedError, string, ErrorCodeName]> = [
      [new SceneTreeError("ERR_PARENT_BUSY", "m"), SceneTreeError, "SceneTreeError", "ERR_PARENT_BUSY"],
      [new NodeNotFoundError("A/B", "/root"), SceneTreeError, "NodeNotFoundError", "ERR_NODE_NOT_FOUND"],
      [
        new UserCallbackError("/root", "_ready", new Error("x")),
        UserCallbackError,
        "UserCallbackError",
        "ERR_USER_CALLBACK",
      ],
      [new SceneError([problem]), SceneError, "SceneError", "ERR_MISSING_FILE"],
      [new TscnError("ERR_TSCN_SYNTAX", "a.tscn", 2, 3, "bad"), TscnError, "TscnError", "ERR_TSCN_SYNTAX"],
      [new MetricsError("ERR_METRICS_IN_USE", "m"), MetricsError, "MetricsError", "ERR_METRICS_IN_USE"],
      [
        new ThresholdError("ERR_THRESHOLD_SYNTAX", "p(95)500", 0, 8, "m"),
        MetricsError,
        "ThresholdError",
        "ERR_THRESHOLD_SYNTAX",
      ],
      [
        new ConnectionWaitError("ERR_TIMEOUT", "m"),
        ConnectionWaitError,
        "ConnectionWaitError",
        "ERR_TIMEOUT",
      ],
      [new InputError("m"), InputError, "InputError", "ERR_INPUT"],
      [new UsageError("m", "run"), InputError, "UsageError", "ERR_USAGE"],
    ];
    for (const [error, subclass, name, code] of cases) {
      expect(error).toBeInstanceOf(CodedError);
      expect(error).toBeInstanceOf(subclass);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(CODES.has(error.code)).toBe(true);
    }
    expect(new TscnError("ERR_TSCN_SYNTAX", "a.tscn", 2, 3, "bad").message).toBe("a.tscn:2:3: bad");
  });

  test("no class in src extends Error directly except the base", () => {
    const direct = SOURCES.flatMap(({ file, text }) =>
      [...text.matchAll(/class (\w+) extends (?:Error|TypeError|RangeError)\b/g)].map(
        (m) => `${file}: ${m[1]}`,
      ),
    );
    // Internal signals, each caught inside its own layer and turned into a coded error or a warning.
    const internal = ["src/loader/readBudget.ts: ReadRefusal", "src/tscn/json.ts: Unrepresentable"];
    expect(direct.sort()).toEqual(["src/core/errors.ts: CodedError", ...internal].sort());
  });

  test("engine misuse throws a coded error from the table", () => {
    const node = new Node();
    let caught: unknown;
    try {
      node.addChild(node);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodedError);
    expect(CODES.has((caught as CodedError).code)).toBe(true);
    node.free();
  });

  test("the public surface exports the base class and the table", () => {
    expect(api.CodedError).toBe(CodedError);
    expect(api.ERROR_CODES).toBe(ERROR_CODES);
  });
});

describe("ERROR_CODES", () => {
  test("every code documented in README.md is in the table, or is a member of ErrorCode", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const documented = [...new Set(readme.match(/\bERR_[A-Z_]+[A-Z]\b/g) ?? [])];
    expect(documented.length).toBeGreaterThan(40);
    expect(documented.filter((code) => !CODES.has(code) && !RETURNED.has(code))).toEqual([]);
  });

  test("the README's Error codes table has one row per code, with the table's meaning", () => {
    // Until the section is pasted into README.md it waits in docs/pending/errors.md.
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const pending = path.join(ROOT, "docs/pending/errors.md");
    const text = readme.includes("\n## Error codes\n") ? readme : fs.readFileSync(pending, "utf8");
    const section = text.slice(text.indexOf("\n## Error codes\n"));
    const rows = [...section.matchAll(/^\| `(ERR_[A-Z_]+)` \| (.*) \| .* \|$/gm)];
    expect(rows.map((row) => row[1])).toEqual(Object.keys(ERROR_CODES));
    for (const [, code, meaning] of rows) {
      expect(meaning.startsWith(ERROR_CODES[code as ErrorCodeName].meaning)).toBe(true);
    }
  });

  test("every ERR_ string literal in src is a code of the table or a member of ErrorCode", () => {
    const unknown = SOURCES.flatMap(({ file, text }) =>
      [...text.matchAll(/["'`](ERR_[A-Z_]+)["'`]/g)]
        .map((m) => m[1])
        .filter((code) => !CODES.has(code) && !RETURNED.has(code))
        .map((code) => `${file}: ${code}`),
    );
    expect(unknown).toEqual([]);
  });

  test("a folder of src that throws a code is among that code's layers", () => {
    const seen = new Map<string, Set<string>>();
    for (const { file, text } of SOURCES) {
      const layer = file.split(path.sep)[1];
      if (file === path.join("src", "core", "errors.ts") || layer === "index.ts") continue;
      // Quoted strings only: a doc comment's `ERR_BUSY` may be ErrorCode's return value.
      for (const m of text.matchAll(/["'](ERR_[A-Z_]+)["']/g)) {
        if (!CODES.has(m[1])) continue;
        if (!seen.has(m[1])) seen.set(m[1], new Set());
        seen.get(m[1])!.add(layer);
      }
    }
    const wrong = Object.entries(ERROR_CODES)
      .map(([name, info]) => [
        name,
        [...(seen.get(name) ?? [])].filter((layer) => !(info.layers as readonly string[]).includes(layer)),
      ])
      .filter(([, undeclared]) => undeclared.length > 0);
    expect(wrong).toEqual([]);
  });

  test("one string, one meaning: a name shared with ErrorCode says so and points at that member", () => {
    for (const [name, info] of Object.entries(ERROR_CODES) as Array<[string, { returned?: ErrorCode }]>) {
      if (RETURNED.has(name))
        expect([name, info.returned]).toEqual([name, ErrorCode[name as keyof typeof ErrorCode]]);
      else expect([name, info.returned]).toEqual([name, undefined]);
    }
  });

  test("the table can't be changed at run time", () => {
    expect(Object.isFrozen(ERROR_CODES)).toBe(true);
    expect(Object.isFrozen(ERROR_CODES.ERR_LIMIT)).toBe(true);
    expect(Object.isFrozen(ERROR_CODES.ERR_LIMIT.layers)).toBe(true);
  });

  test("each row has a one-line meaning of its own and at least one layer", () => {
    const meanings = new Map<string, string>();
    for (const [name, info] of Object.entries(ERROR_CODES)) {
      expect(name).toMatch(/^ERR_[A-Z]+(_[A-Z]+)*$/);
      expect(info.meaning).toMatch(/^[A-Z_a-z_(].*[.)]$/);
      expect(info.meaning).not.toContain("\n");
      expect(info.layers.length).toBeGreaterThan(0);
      expect(meanings.get(info.meaning)).toBeUndefined();
      meanings.set(info.meaning, name);
    }
  });
});
