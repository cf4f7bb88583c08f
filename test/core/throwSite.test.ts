import * as path from "node:path";
import { throwSite } from "../../src/core/throwSite";
import { NodePath } from "../../src/scene/NodePath";

function thrownHere(): unknown {
  try {
    throw new Error("from the test"); // line 7
  } catch (error) {
    return error;
  }
}

describe("throwSite", () => {
  test("the first frame in the user's code: file, line and column of the throw", () => {
    expect(throwSite(thrownHere())).toBe(` (at ${__filename}:7:11)`);
  });

  test("frames in this package and in Node are skipped: the site is the user's call into it", () => {
    let error: unknown;
    try {
      new NodePath("a::b"); // throws inside src/scene
    } catch (e) {
      error = e;
    }
    const site = throwSite(error);
    expect(site).toMatch(
      new RegExp(`^ \\(at ${__filename.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+\\)$`),
    );
    expect(site).not.toContain(`${path.sep}src${path.sep}`);
  });

  test("nothing to point at: no text", () => {
    expect(throwSite("a string")).toBe("");
    const bare = new Error("no stack");
    bare.stack = "Error: no stack";
    expect(throwSite(bare)).toBe("");
  });
});
