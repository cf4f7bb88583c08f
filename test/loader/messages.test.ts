import * as fs from "node:fs";
import * as path from "node:path";
import { ERROR_CODES } from "../../src/core/errors";
import { located, MESSAGES, refusalHint } from "../../src/loader/messages";
import { parseScene } from "../../src/loader/loadScene";
import { SceneError } from "../../src/loader/SceneError";
import { installBuiltins } from "../../src/run/builtins";

installBuiltins();

/** Stands for any argument: reads as "x" in a template, and has what builders call on their arguments. */
const ANY = Object.assign(new String("x"), { join: () => "x" });

describe("loader messages", () => {
  test("each builder gives a problem whose code is the key it is listed under, with a message and a hint", () => {
    let count = 0;
    for (const [code, builders] of Object.entries(MESSAGES)) {
      expect(Object.keys(ERROR_CODES)).toContain(code);
      for (const [name, build] of Object.entries(builders) as Array<
        [string, (...args: unknown[]) => unknown]
      >) {
        const problem = build(...new Array(build.length).fill(ANY)) as {
          code: string;
          message: string;
          hint: string;
        };
        expect([name, problem.code]).toEqual([name, code]);
        // A builder may pass an argument through as the whole text (a read refusal's own words).
        for (const text of [problem.message, problem.hint].map(String)) {
          expect(text.length).toBeGreaterThan(0);
          expect(text).not.toMatch(/undefined|\[object /);
        }
        count++;
      }
    }
    expect(count).toBeGreaterThan(40);
  });

  test("builders word the problem with the values they are given", () => {
    expect(
      MESSAGES.ERR_INSTANCE_CYCLE.cycle("b.scene.json", ["a.scene.json", "b.scene.json", "a.scene.json"]),
    ).toEqual({
      code: "ERR_INSTANCE_CYCLE",
      message: 'Instancing "b.scene.json" makes a cycle: a.scene.json → b.scene.json → a.scene.json.',
      hint: "A scene can't contain itself, directly or through other scenes; remove this instance.",
    });
    expect(MESSAGES.ERR_UNSUPPORTED_FORMAT.format("2", 1, true).hint).toBe(
      "The file was written for a newer scenetree: update scenetree.",
    );
    expect(MESSAGES.ERR_UNSUPPORTED_FORMAT.format('"1"', 1, false).hint).toBe('Write "format": 1.');
    expect(MESSAGES.ERR_INVALID_VALUE.notAccepted("mode", '"x"', "pausable", '"pausable"').hint).toBe(
      'Did you mean "pausable"? Accepted: "pausable".',
    );
    expect(MESSAGES.ERR_INVALID_VALUE.notAccepted("mode", '"x"', null, '"a", "b"').hint).toBe(
      'Accepted: "a", "b".',
    );
    expect(refusalHint("file-count")).toContain("maxFiles");
    expect(refusalHint("unreadable")).toBe("A scene file must be a regular file that can be read.");
  });

  test("located puts a problem at a place, keys in the order SceneProblem lists them", () => {
    const problem = located(MESSAGES.ERR_LIMIT.fileBytes(10), "a.scene.json");
    expect(Object.keys(problem)).toEqual(["code", "file", "line", "column", "path", "message", "hint"]);
    expect(problem).toMatchObject({ code: "ERR_LIMIT", file: "a.scene.json", line: 1, column: 1, path: "" });
    expect(problem.message).toBe("The scene file is larger than 10 bytes.");
  });

  test("the loader reports a catalog problem as the catalog words it", () => {
    let caught: unknown;
    try {
      parseScene('{ "format": 1, "root": { "name": "A", "type": "Node", "children": [42] } }', {
        file: "x.scene.json",
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SceneError);
    const [problem] = (caught as SceneError).problems;
    expect(problem).toMatchObject({ ...MESSAGES.ERR_WRONG_TYPE.node("42"), path: "root.children[0]" });
  });

  test("a scene's overlong names are repeated cut short, in messages, hints and JSON paths", () => {
    const big = "A".repeat(1_000_000);
    const scene = {
      format: 1,
      root: { name: "R", type: "Node", props: { [big]: 1 }, children: [{ name: "C", type: big }] },
      connections: [
        { from: big, signal: "x", to: ".", method: "m" },
        { from: ".", signal: big, to: ".", method: big },
      ],
    };
    let caught: unknown;
    try {
      parseScene(JSON.stringify(scene), { file: "big.scene.json" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SceneError);
    const error = caught as SceneError;
    expect(error.problems.map((p) => p.code)).toEqual(
      expect.arrayContaining(["ERR_UNKNOWN_PROPERTY", "ERR_UNKNOWN_TYPE"]),
    );
    for (const problem of error.problems) {
      for (const text of [problem.message, problem.hint, problem.path]) expect(text.length).toBeLessThan(400);
    }
    expect(error.message.length).toBeLessThan(3000);
    expect(error.message).toContain(`"${"A".repeat(60)}… (1000000 characters)"`);
    expect(error.problems[0].path).toBe(`root.props["${"A".repeat(60)}… (1000000 characters)"]`);
  });

  test("a long list the loader makes is not cut: only overlong words are", () => {
    let caught: unknown;
    try {
      parseScene(
        '{ "format": 1, "root": { "name": "R", "type": "WebsocketClient", "props": { "bogus": 1 } } }',
      );
    } catch (error) {
      caught = error;
    }
    const [problem] = (caught as SceneError).problems;
    expect(problem.hint.length).toBeGreaterThan(300);
    expect(problem.hint).toMatch(/^Known properties: processMode, .*, localAddress, dispatch\.$/);
  });

  test("no other loader module builds a problem from an inline code and text", () => {
    const dir = path.join(__dirname, "../../src/loader");
    const inline = fs
      .readdirSync(dir)
      .filter((file) => file.endsWith(".ts") && file !== "messages.ts")
      .flatMap((file) => {
        const text = fs.readFileSync(path.join(dir, file), "utf8");
        return [...text.matchAll(/\.add\(\s*"ERR_[A-Z_]+"|code: "ERR_[A-Z_]+"/g)].map(
          (m) => `${file}: ${m[0]}`,
        );
      });
    expect(inline).toEqual([]);
  });
});
