import * as path from "node:path";
import { formatProblem, type SceneProblem } from "../../src";

const problem = (file: string): SceneProblem => ({
  code: "ERR_MISSING_FILE",
  file,
  line: 1,
  column: 1,
  path: "",
  message: "Can't read the scene file: It is not a regular file.",
  hint: "A scene file must be a regular file that can be read.",
});

describe("formatProblem", () => {
  test("shortens a file under relativeTo to its relative path", () => {
    const cwd = path.resolve("/work/project");
    expect(formatProblem(problem(path.join(cwd, "scenes", "a.scene.json")), cwd).split("\n")[0]).toBe(
      `${path.join("scenes", "a.scene.json")}:1:1  ERR_MISSING_FILE: Can't read the scene file: It is not a regular file.`,
    );
  });

  test("names relativeTo itself by its path, not as an empty name (scenetree run . in a folder)", () => {
    const cwd = path.resolve("/work/project");
    expect(formatProblem(problem(cwd), cwd).split("\n")[0]).toBe(
      `${cwd}:1:1  ERR_MISSING_FILE: Can't read the scene file: It is not a regular file.`,
    );
  });
});
