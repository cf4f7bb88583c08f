/**
 * The files `scenetree init` writes, as functions returning their text. Paths are relative to the new
 * project's folder, with "/" separators.
 */
import { botSource, botTestSource } from "./botTemplates";
import type { OwnManifest } from "./manifest";

export interface ProjectFile {
  path: string;
  content: string;
}

export interface ProjectOptions {
  /** The npm package name of the new project. */
  name: string;
  manifest: OwnManifest;
}

/** The scene `npm start` runs. */
export const MAIN_SCENE = "scenes/main.scene.json";

/** Every file of a new project, in the order they are reported. */
export function projectFiles(options: ProjectOptions): ProjectFile[] {
  return [
    { path: "package.json", content: packageJson(options) },
    { path: "tsconfig.json", content: tsconfigJson() },
    { path: MAIN_SCENE, content: mainScene() },
    { path: "src/bot.ts", content: botSource() },
    { path: "test/bot.test.ts", content: botTestSource() },
    { path: ".gitignore", content: gitignore() },
    { path: "README.md", content: readme(options.name) },
  ];
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

export function packageJson({ name, manifest }: ProjectOptions): string {
  const { ranges } = manifest;
  return json({
    name,
    version: "0.1.0",
    private: true,
    // CommonJS, like the scripts scenetree loads: the test and the scene's scripts then share one copy.
    type: "commonjs",
    scripts: {
      // `start` runs MAIN_SCENE (its default), and `npm start -- other.scene.json` another: `run` takes one file.
      start: "scenetree start",
      validate: `scenetree validate ${MAIN_SCENE}`,
      test: "node --import tsx --test test/bot.test.ts",
    },
    dependencies: {
      scenetree: `^${manifest.version}`,
    },
    devDependencies: {
      "@types/node": ranges["@types/node"],
      tsx: ranges.tsx,
      typescript: ranges.typescript,
    },
  });
}

export function tsconfigJson(): string {
  return json({
    compilerOptions: {
      target: "ES2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      strict: true,
      noImplicitOverride: true,
      noEmit: true,
      types: ["node"],
    },
    include: ["src", "test"],
  });
}

/** A bot and the echo server it talks to, in one scene: it runs with no outside server. */
export function mainScene(): string {
  return `{
  "$schema": "../node_modules/scenetree/scene.schema.json",
  "format": 1,
  "scripts": ["../src/bot.ts"],
  "root": {
    "name": "Main",
    "type": "Node",
    "children": [
      { "name": "EchoServer", "type": "WebSocketServer", "props": { "port": 0, "autostart": true } },
      {
        "name": "Bot",
        "type": "Bot",
        "props": { "messages": 3, "timeLimit": 5 },
        "children": [
          { "name": "Client", "type": "WebsocketClient" },
          { "name": "SendTimer", "type": "Timer", "props": { "waitTime": 0.2 } }
        ]
      }
    ]
  },
  "connections": [
    { "from": "EchoServer", "signal": "messageReceived", "to": "EchoServer", "method": "send" },
    { "from": "EchoServer", "signal": "listening", "to": "Bot", "method": "onServerListening" },
    { "from": "Bot/Client", "signal": "connectionEstablished", "to": "Bot", "method": "onConnected" },
    { "from": "Bot/Client", "signal": "messageReceived", "to": "Bot", "method": "onMessage" }
  ]
}
`;
}

export function gitignore(): string {
  return "node_modules/\ndist/\n";
}

export function readme(name: string): string {
  return `# ${name}

A [scenetree](https://www.npmjs.com/package/scenetree) project: a Godot-style scene tree, run headless
in Node.js. Scenes are JSON files; node behaviour is TypeScript classes.

## Commands

- \`npm start\`: runs \`${MAIN_SCENE}\` until it quits. Here a bot sends three messages to an echo
  server in the same scene, counts the echoes and exits with code 0.
- \`npm run validate\`: checks the scene file and prints every problem (file:line:column, node path).
- \`npm test\`: runs \`test/bot.test.ts\` with Node's test runner; it steps the tree frame by frame on a
  \`TestClock\`.
- \`npx scenetree --help\`: every command (\`run\` takes \`--print-tree\`, \`--quit-after\`, \`--log-level\`).

## Where things are

- \`${MAIN_SCENE}\`: the scene: its nodes, their props, and the signal connections. \`$schema\`
  gives your editor completion and error marks for the built-in node types.
- \`src/bot.ts\`: the \`Bot\` node class, registered for scene files as \`"type": "Bot"\`.
- \`test/bot.test.ts\`: the test.

The scene's \`EchoServer\` (a \`WebSocketServer\` node on a free port) stands in for a real service: it
sends every message back (its \`messageReceived\` signal is connected to its own \`send\` method). To
talk to a real server, delete that node and its two connections, and give \`Client\` the props
\`"connectionUrl": "wss://example.com/socket"\` and \`"autoReconnect": true\`: it connects when ready and
reconnects by itself.

## Add a node type

1. Write a class in \`src/\` that extends \`Node\` (or \`Timer\`, \`WebsocketClient\`, ...), overriding
   Godot's virtual methods as needed: \`_ready()\`, \`_process(delta)\`, \`_exitTree()\`.
2. Register it with the props a scene file may set, as a zod schema:
   \`\`\`ts
   registerNodeType("Greeter", Greeter, nodePropsSchema.extend({ greeting: z.string().optional() }));
   \`\`\`
3. Add the file to the scene's \`"scripts"\` (relative to the scene file) and use \`"type": "Greeter"\`.
`;
}
