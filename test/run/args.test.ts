import { commandHelp, parseCommand, UsageError, type CommandSpec } from "../../src/run/args";
import { IMPORT_SPEC } from "../../src/cli/importCommand";
import { RUN_SPEC, START_SPEC } from "../../src/cli/runCommand";
import { SCHEMA_SPEC } from "../../src/cli/schemaCommand";
import { VALIDATE_SPEC } from "../../src/cli/validateCommand";

const SPEC = {
  name: "demo",
  synopsis: "<file> [options]",
  description: "A demo command.",
  options: {
    "quit-after": { type: "string", value: "SECONDS", description: "Quit later." },
    "print-tree": { type: "boolean", description: "Print it." },
    scripts: { type: "string", multiple: true, value: "FILE", description: "Import it." },
    out: { type: "string", short: "o", value: "FILE", description: "Write here." },
  },
  positionals: { min: 1, max: 1, name: "scene file" },
} as const satisfies CommandSpec;

function usageError(args: string[], spec: CommandSpec = SPEC): UsageError {
  try {
    parseCommand(spec, args);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no UsageError for ${args.join(" ")}`);
}

describe("parseCommand", () => {
  test("values by their long names, repeatable flags as lists in order, the file argument", () => {
    expect(
      parseCommand(SPEC, ["a.json", "--quit-after", "2", "--scripts", "x.ts", "-o", "out", "--scripts=y.ts"]),
    ).toEqual({
      help: false,
      values: { "quit-after": "2", scripts: ["x.ts", "y.ts"], out: "out" },
      positionals: ["a.json"],
    });
  });

  test("--help and -h win wherever they are, even beside mistakes", () => {
    expect(parseCommand(SPEC, ["--help"])).toEqual({ help: true });
    expect(parseCommand(SPEC, ["a.json", "b.json", "--frob", "-h"])).toEqual({ help: true });
  });

  test("an unknown flag names the closest known one", () => {
    const error = usageError(["a.json", "--quit-afer", "1"]);
    expect(error.message).toBe('Unknown option "--quit-afer". Did you mean "--quit-after"?');
    expect(error.command).toBe("demo");
    expect(usageError(["a.json", "--print_tree"]).message).toBe(
      'Unknown option "--print_tree". Did you mean "--print-tree"?',
    );
    expect(usageError(["a.json", "--frobnicate"]).message).toBe('Unknown option "--frobnicate".');
    // One dash for a long name: shown as typed, not as the letters -q -u -i ...
    expect(usageError(["a.json", "-quit-after", "1"]).message).toBe(
      'Unknown option "-quit-after". Did you mean "--quit-after"?',
    );
    expect(usageError(["a.json", "-x"]).message).toBe('Unknown option "-x".');
  });

  test("a flag spelt longer or shorter than the known one names it (--output for import's --out)", () => {
    expect(usageError(["a.json", "--output", "x.json"]).message).toBe(
      'Unknown option "--output". Did you mean "--out"?',
    );
    expect(usageError(["a.json", "--print"]).message).toBe(
      'Unknown option "--print". Did you mean "--print-tree"?',
    );
    expect(usageError(["--out", "x.json"], SCHEMA_SPEC).message).toBe(
      'Unknown option "--out". Did you mean "--output"?',
    );
  });

  test("a second file is an error, not silently the one used", () => {
    expect(usageError(["a.json", "b.json"]).message).toBe(
      'demo takes one scene file, got 2: "a.json", "b.json".',
    );
    expect(usageError([]).message).toBe("demo needs a scene file.");
  });

  test("a flag's value: missing, swallowing the next flag, or given to a switch", () => {
    expect(usageError(["a.json", "--quit-after"]).message).toBe(
      "--quit-after needs a value: --quit-after SECONDS.",
    );
    expect(usageError(["a.json", "--quit-after", "--print-tree"]).message).toBe(
      "--quit-after needs a value: --quit-after SECONDS.",
    );
    expect(usageError(["a.json", "--print-tree=yes"]).message).toBe(
      '--print-tree takes no value, got "yes".',
    );
    expect(parseCommand(SPEC, ["a.json", "--quit-after=-1"])).toMatchObject({
      values: { "quit-after": "-1" },
    });
  });

  test("a negative number after a flag is its value (for the flag's own check to refuse), not a missing value", () => {
    expect(parseCommand(SPEC, ["a.json", "--quit-after", "-1", "--scripts", "-2.5", "-o", "-3"])).toEqual({
      help: false,
      values: { "quit-after": "-1", scripts: ["-2.5"], out: "-3" },
      positionals: ["a.json"],
    });
    expect(parseCommand(SPEC, ["--quit-after", "-.5", "a.json"])).toMatchObject({
      values: { "quit-after": "-.5" },
      positionals: ["a.json"],
    });
    // A dash and a letter is still another flag.
    expect(usageError(["a.json", "--quit-after", "-x"]).message).toBe(
      "--quit-after needs a value: --quit-after SECONDS.",
    );
    expect(usageError(["a.json", "--quit-after", "-"]).message).toBe(
      "--quit-after needs a value: --quit-after SECONDS.",
    );
  });
});

describe("commandHelp", () => {
  test("usage line, description, every option with its value name, --help, footer", () => {
    expect(commandHelp({ ...SPEC, footer: "Exit codes: 0." })).toBe(
      [
        "Usage: scenetree demo <file> [options]",
        "",
        "A demo command.",
        "",
        "Options:",
        "  --quit-after SECONDS  Quit later.",
        "  --print-tree          Print it.",
        "  --scripts FILE        Import it. Repeatable.",
        "  -o, --out FILE        Write here.",
        "  -h, --help            Print this help and exit.",
        "",
        "Exit codes: 0.",
        "",
      ].join("\n"),
    );
  });

  test.each([RUN_SPEC, START_SPEC, VALIDATE_SPEC, SCHEMA_SPEC, IMPORT_SPEC])(
    "$name: the help lists exactly the flags the parser accepts",
    (spec: CommandSpec) => {
      const help = commandHelp(spec);
      const listed = [...help.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
      expect(listed).toEqual([...Object.keys(spec.options), "help"]);
      for (const [name, option] of Object.entries(spec.options)) {
        const args = option.type === "string" ? [`--${name}`, "v"] : [`--${name}`];
        const files = Array.from({ length: spec.positionals.min }, (_, i) => `f${i}`);
        expect(parseCommand(spec, [...files, ...args])).toMatchObject({ help: false });
      }
      expect(help.split("\n").every((line) => line.length <= 100)).toBe(true);
    },
  );
});
