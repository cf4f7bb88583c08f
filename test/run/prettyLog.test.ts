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
