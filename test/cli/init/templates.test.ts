import { z } from "zod";
import {
  MAIN_SCENE,
  mainScene,
  packageJson,
  projectFiles,
  readme,
  tsconfigJson,
} from "../../../src/cli/init/templates";
import type { OwnManifest } from "../../../src/cli/init/manifest";
// The public entry point: the scene uses the built-in WebSocket nodes it registers.
import {
  Node,
  nodePropsSchema,
  parseScene,
  registerNodeType,
  Timer,
  unregisterNodeType,
} from "../../../src/index";

const manifest: OwnManifest = {
  version: "1.2.3",
  ranges: { tsx: "^4.0.0", typescript: "^5.5.0", "@types/node": "^22.0.0" },
};

/** Stands for the scaffolded Bot: its props and the methods the scene connects to. */
class Bot extends Node {
  messages = 3;
  timeLimit = 5;
  onServerListening(): void {}
  onConnected(): void {}
  onMessage(): void {}
}

describe("init templates", () => {
  test("a new project's files, in the order they are reported", () => {
    expect(projectFiles({ name: "my-bots", manifest }).map((f) => f.path)).toEqual([
      "package.json",
      "tsconfig.json",
      MAIN_SCENE,
      "src/bot.ts",
      "test/bot.test.ts",
      ".gitignore",
      "README.md",
    ]);
  });

  test("package.json depends on this scenetree version and shares its tool ranges", () => {
    const pkg = JSON.parse(packageJson({ name: "my-bots", manifest }));
    expect(pkg).toMatchObject({
      name: "my-bots",
      type: "commonjs",
      scripts: { start: "scenetree start", validate: `scenetree validate ${MAIN_SCENE}` },
      dependencies: { scenetree: "^1.2.3" },
      devDependencies: manifest.ranges,
    });
    expect(JSON.parse(tsconfigJson()).include).toEqual(["src", "test"]);
  });

  test("the main scene is valid once Bot is registered: its props, children and connections all exist", () => {
    registerNodeType("Bot", Bot, nodePropsSchema.extend({ messages: z.number(), timeLimit: z.number() }));
    try {
      const root = parseScene(mainScene(), { file: `/project/${MAIN_SCENE}` }).instantiate();
      expect(root.getNode("Bot/SendTimer")).toBeInstanceOf(Timer);
      expect((root.getNode("Bot") as Bot).messages).toBe(3);
      root.free();
    } finally {
      unregisterNodeType("Bot");
    }
  });

  test("the README names the project and the scene npm start runs", () => {
    const text = readme("my-bots");
    expect(text.startsWith("# my-bots\n")).toBe(true);
    expect(text).toContain(`runs \`${MAIN_SCENE}\``);
  });
});
