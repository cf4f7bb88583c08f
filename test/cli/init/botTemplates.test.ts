import * as api from "../../../src/index";
import { botSource, botTestSource } from "../../../src/cli/init/botTemplates";
import { mainScene } from "../../../src/cli/init/templates";

/** The names a source imports from "scenetree" (values, not types). */
function importedNames(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/^import \{([^}]*)\} from "scenetree";$/gm)) {
    for (const part of m[1].split(",")) {
      const name = part.trim();
      if (name && !name.startsWith("type ")) names.push(name);
    }
  }
  return names;
}

describe("init bot templates", () => {
  test("the bot and its test import only what the package exports", () => {
    const names = [...importedNames(botSource()), ...importedNames(botTestSource())];
    expect(names).toEqual(
      expect.arrayContaining(["Node", "registerNodeType", "SceneTree", "TestClock", "loadScene"]),
    );
    expect(names.filter((name) => !(name in api))).toEqual([]);
  });

  test("the bot registers the type the scene uses, with the methods the scene connects to", () => {
    const scene = JSON.parse(mainScene());
    expect(botSource()).toMatch(/registerNodeType\(\s*"Bot",\s*Bot\b/);
    const methods = scene.connections
      .filter((c: { to: string }) => c.to === "Bot")
      .map((c: { method: string }) => c.method);
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) expect(botSource()).toMatch(new RegExp(`\\n  ${method}\\(`));
  });

  test("the test loads the scene from the project's scenes folder and checks the exit code", () => {
    expect(botTestSource()).toContain('path.join(__dirname, "..", "scenes", "main.scene.json")');
    expect(botTestSource()).toContain("assert.equal(tree.exitCode, 0);");
  });
});
