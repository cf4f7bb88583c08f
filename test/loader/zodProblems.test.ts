import { z } from "zod";
import { pathLink } from "../../src/loader/jsonPath";
import { JsonSource } from "../../src/loader/parseJson";
import { ProblemList } from "../../src/loader/problems";
import { describeValue, reportZodIssues } from "../../src/loader/zodProblems";

const schema = z
  .object({
    name: z.string().min(1),
    speed: z.number().gt(0),
    count: z.int().optional(),
    mode: z.enum(["pausable", "always"]).optional(),
    tags: z.array(z.string()).max(2).optional(),
    either: z.union([z.string(), z.boolean()]).optional(),
  })
  .strict();

/** The problems `text` (the props of root) has against the schema, as [code, path, line:column, message, hint]. */
function problems(props: Record<string, unknown>) {
  const text = JSON.stringify({ root: { props } }, null, 2);
  const list = new ProblemList("x.scene.json", new JsonSource(text));
  const issues = schema.safeParse(props).error?.issues ?? [];
  reportZodIssues(list, issues, pathLink(pathLink(null, "root"), "props"), props, {
    what: "Bot props",
    knownKeys: Object.keys(schema.shape),
  });
  return list.items.map((p) => [p.code, p.path, `${p.line}:${p.column}`, p.message, p.hint]);
}

describe("reportZodIssues", () => {
  test("a value of the wrong type names what was written and what to write", () => {
    expect(problems({ name: "a", speed: "fast" })).toEqual([
      [
        "ERR_WRONG_TYPE",
        "root.props.speed",
        "5:16",
        '"speed" must be a number, got "fast".',
        "Write a number here, e.g. 1.5.",
      ],
    ]);
  });

  test("a missing key is ERR_SCHEMA, located at the object that lacks it, with an example", () => {
    expect(problems({ name: "a" })).toEqual([
      [
        "ERR_SCHEMA",
        "root.props.speed",
        "3:14",
        'Missing required property "speed" in Bot props.',
        'Add "speed": 1.5.',
      ],
    ]);
  });

  test("numbers out of range, and lengths out of bounds", () => {
    expect(problems({ name: "a", speed: -1, tags: ["x", "y", "z"] })).toEqual([
      ["ERR_OUT_OF_RANGE", "root.props.speed", "5:16", '"speed" must be > 0, got -1.', "Use a number > 0."],
      [
        "ERR_SCHEMA",
        "root.props.tags",
        "6:15",
        '"tags" must have <= 2 items, got an array.',
        "Use <= 2 items.",
      ],
    ]);
    expect(problems({ name: "", speed: 1 })[0].slice(3)).toEqual([
      '"name" must have >= 1 characters, got "".',
      "It can't be empty.",
    ]);
    expect(problems({ name: "a", speed: 1, count: 1.5 })[0].slice(0, 1)).toEqual(["ERR_WRONG_TYPE"]);
  });

  test("an enum value with a did-you-mean and the accepted values; a union names the schema", () => {
    const [code, , , message, hint] = problems({ name: "a", speed: 1, mode: "pausabel" })[0];
    expect([code, message, hint]).toEqual([
      "ERR_INVALID_VALUE",
      '"mode" can\'t be "pausabel".',
      'Did you mean "pausable"? Accepted: "pausable", "always".',
    ]);
    expect(problems({ name: "a", speed: 1, either: 3 })[0]).toEqual([
      "ERR_WRONG_TYPE",
      "root.props.either",
      "6:17",
      '"either" can\'t be 3.',
      "See the scene JSON Schema (scenetree schema) for what this property accepts.",
    ]);
  });

  test("an unknown key is reported at the key, with the known ones", () => {
    expect(problems({ name: "a", sped: 1, speed: 1 })).toEqual([
      [
        "ERR_UNKNOWN_PROPERTY",
        "root.props.sped",
        "5:7",
        'Unknown property "sped" in Bot props.',
        'Did you mean "speed"? Known properties: name, speed, count, mode, tags, either.',
      ],
    ]);
  });
});

describe("describeValue", () => {
  test.each<[unknown, string]>([
    [null, "null"],
    [[1], "an array"],
    [{}, "an object"],
    ["short", '"short"'],
    ["x".repeat(50), JSON.stringify("x".repeat(37) + "...")],
    [5, "5"],
    [false, "false"],
  ])("%p is %s", (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
