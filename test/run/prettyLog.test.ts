import { formatPretty } from "../../src/run/prettyLog";

const line = (record: Record<string, unknown>) =>
  formatPretty(JSON.stringify({ time: 1, pid: 2, hostname: "h", ...record }) + "\n");

describe("formatPretty (--log-format pretty)", () => {
  test("the CLI's own messages (no node) are their text alone, whatever the level", () => {
    expect(line({ level: 40, msg: "a.tscn:3: warning: unsupported" })).toBe(
      "a.tscn:3: warning: unsupported\n",
    );
    expect(line({ level: 20, msg: "Loaded x in 1.0 ms." })).toBe("Loaded x in 1.0 ms.\n");
  });

  test("a node's line: path, level, message, then fields (quoted only when they need it)", () => {
    expect(
      line({ level: 20, node: "/root/Bot", msg: "closed", code: 1001, reason: "Going Away", tags: { a: 1 } }),
    ).toBe('/root/Bot: debug: closed code=1001 reason="Going Away" tags={"a":1}\n');
    expect(line({ level: 10, node: "/root/Bot", msg: "m", empty: "", eq: "a=b", ok: "x/y:1" })).toBe(
      '/root/Bot: trace: m empty="" eq="a=b" ok=x/y:1\n',
    );
  });

  test("in a fleet the instance index comes first; an unknown level number is shown as is", () => {
    expect(line({ level: 30, node: "/root/Bot", instance: 12, msg: "hi" })).toBe(
      "[12] /root/Bot: info: hi\n",
    );
    expect(line({ level: 35, node: "/root/Bot", msg: "custom" })).toBe("/root/Bot: 35: custom\n");
  });

  test("an err prints its stack indented below the line", () => {
    const err = { type: "Error", message: "boom", stack: "Error: boom\n    at f (a.ts:1:1)" };
    expect(line({ level: 50, node: "/root/N", msg: "failed", err })).toBe(
      "/root/N: error: failed\n    Error: boom\n        at f (a.ts:1:1)\n",
    );
  });

  test("a line that is not JSON passes through unchanged", () => {
    expect(formatPretty("not json\n")).toBe("not json\n");
  });
});

describe("formatPretty: text from outside cannot forge lines or drive the terminal", () => {
  const forged = '\n/root/Fake: error: forged\n{"level":50}';
  const esc = "\x1b[2J\x1b[31m";

  test("a node's path, message, keys and values stay on one line, their controls escaped", () => {
    const out = line({
      level: 20,
      node: `/root/Bad${forged}`,
      msg: `closed${forged}\r`,
      reason: `bye${forged}`,
      color: `${esc}red`, // no space: bare before, raw ESC
      c1: "\u009b31m\u0085",
      [`k${forged}=1`]: 1,
    });
    expect(out.split("\n")).toHaveLength(2); // one line, and the empty string after its newline
    expect([...out.slice(0, -1)].filter((c) => /\p{Cc}/u.test(c))).toEqual([]); // no control but the final newline
    expect(out).toBe(
      '/root/Bad\\n/root/Fake: error: forged\\n{"level":50}: debug: ' +
        'closed\\n/root/Fake: error: forged\\n{"level":50}\\r ' +
        'reason="bye\\n/root/Fake: error: forged\\n{\\"level\\":50}" ' +
        'color="\\u001b[2J\\u001b[31mred" c1="\\u009b31m\\u0085" ' +
        '"k\\n/root/Fake: error: forged\\n{\\"level\\":50}=1"=1\n',
    );
  });

  test("the CLI's own multi-line message (a thrown message, a stack) is indented below its first line", () => {
    expect(line({ level: 50, msg: `ERROR: _ready threw: boom${forged} ${esc}` })).toBe(
      'ERROR: _ready threw: boom\n    /root/Fake: error: forged\n    {"level":50} \\u001b[2J\\u001b[31m\n',
    );
    const err = { message: "x", stack: `Error: x${esc}\r\n    at f (a.ts:1:1)` };
    expect(line({ level: 50, node: "/root/N", msg: "failed", err })).toBe(
      "/root/N: error: failed\n    Error: x\\u001b[2J\\u001b[31m\n        at f (a.ts:1:1)\n",
    );
  });

  test("a fleet's instance index and an unknown level are escaped too", () => {
    expect(line({ level: "\x1b[0m", node: "/root/N", instance: "1\n2", msg: "m" })).toBe(
      "[1\\n2] /root/N: \\u001b[0m: m\n",
    );
  });
});
