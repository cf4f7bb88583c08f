/**
 * Meets the package the way a user does: the packed tarball installed into a project outside the
 * repository, then imported from ESM and CommonJS, type-checked strictly, and run through its CLI.
 * `npm test` builds dist/ first (pretest); this suite packs that build without rebuilding it, so it
 * never deletes dist/ under the other suites' feet.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { REPO, npm, rangeOf, run, tempProject, write } from "./helpers";
import { CJS_DEFAULT, CJS_USER, CTS_USER, ESM_DEFAULT, ESM_USER, JS_USER } from "./consumerCode";

jest.setTimeout(180_000);

let project: string;
let tarball: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO, "dist", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it in pretest).");
  }
  const packDir = tempProject("pack");
  const packed = await run(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir],
    REPO,
  );
  expect(packed.stderr).not.toMatch(/ERR!/);
  expect(packed.code).toBe(0);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(packDir, path.basename(info.filename));
  shipped = info.files.map((f) => f.path);

  project = tempProject("consumer");
  write(project, { "package.json": JSON.stringify({ name: "consumer", version: "1.0.0", private: true }) });
  const installed = await npm(["install", tarball, rangeOf("typescript"), rangeOf("@types/node")], project);
  expect(installed.stderr).not.toMatch(/ERR!/);
  expect(installed.code).toBe(0);
});

let shipped: string[] = [];

afterAll(() => {
  for (const dir of [project, tarball && path.dirname(tarball)]) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("the tarball", () => {
  test("ships the build, the CLI, the schema, the examples the README links to, README and LICENSE", () => {
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      "scene.schema.json",
      "bin/scenetree.js",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/index.js.map",
      "dist/esm/index.mjs",
      "dist/esm/index.d.mts",
      "dist/cli/main.js",
      "dist/inspector/server.js",
      "dist/inspector/public/index.html",
      "dist/inspector/public/app.js",
      "examples/k8s/indexed-job.yaml",
    ]) {
      expect(shipped).toContain(file);
    }
  });

  test("ships nothing of the development tree", () => {
    const devOnly = shipped.filter((file) =>
      /^(src|test|bench|scenes|scripts|docs|coverage|node_modules)\/|\.tgz$|^tsconfig|^eslint|^jest|^\.prettier|^\.ci|^\.git/.test(
        file,
      ),
    );
    expect(devOnly).toEqual([]);
  });
});

describe("a consumer project", () => {
  test("imports it from ESM and CommonJS as one module instance", async () => {
    write(project, {
      "esm.mjs": [
        'import { Node, SceneTree } from "scenetree";',
        'import { createRequire } from "node:module";',
        "const cjs = createRequire(import.meta.url)('scenetree');",
        "const tree = new SceneTree();",
        'tree.root.addChild(new Node("FromEsm"));',
        'console.log(tree.root.getNode("FromEsm").getPath(), Node === cjs.Node);',
      ].join("\n"),
      "cjs.cjs": [
        'const { Node, SceneTree } = require("scenetree");',
        "const tree = new SceneTree();",
        'tree.root.addChild(new Node("FromCjs"));',
        'console.log(tree.root.getNode("FromCjs").getPath());',
        'console.log(require.resolve("scenetree/scene.schema.json"));',
        'console.log(require("scenetree/package.json").name);',
      ].join("\n"),
    });
    const esm = await run("node", ["esm.mjs"], project);
    expect(esm).toMatchObject({ code: 0, stdout: "/root/FromEsm true\n" });
    const cjs = await run("node", ["cjs.cjs"], project);
    expect(cjs.code).toBe(0);
    expect(cjs.stdout.split("\n")).toEqual([
      "/root/FromCjs",
      path.join(fs.realpathSync(project), "node_modules", "scenetree", "scene.schema.json"),
      "scenetree",
      "",
    ]);
  });

  test("ESM's named, default and namespace imports and CommonJS's require share types, registry and names", async () => {
    const names = [...readmeImports(installedReadme()).values];
    expect(names).toEqual(
      expect.arrayContaining([
        "Node",
        "SceneTree",
        "WebsocketClient",
        "z",
        "NodeTypeRegistry",
        "registerSceneFormat",
      ]),
    );
    write(project, {
      "shared.mjs": [
        'import scenetree, { Node, getNodeType, registerNodeType } from "scenetree";',
        'import * as namespace from "scenetree";',
        'import { createRequire } from "node:module";',
        "const cjs = createRequire(import.meta.url)('scenetree');",
        "class EsmBot extends Node {}",
        "registerNodeType(EsmBot);",
        "class CjsBot extends cjs.Node {}",
        "cjs.registerNodeType(CjsBot);",
        "console.log(cjs.getNodeType('EsmBot')?.nodeClass === EsmBot, getNodeType('CjsBot')?.nodeClass === CjsBot);",
        "console.log(new CjsBot() instanceof Node, new EsmBot() instanceof cjs.Node, scenetree === cjs, cjs.default === cjs);",
        `const names = ${JSON.stringify(names)};`,
        "console.log(names.filter((n) => !(n in namespace) || !(n in cjs) || namespace[n] !== cjs[n]));",
      ].join("\n"),
    });
    const shared = await run("node", ["shared.mjs"], project);
    expect(shared).toMatchObject({ code: 0, stderr: "", stdout: "true true\ntrue true true true\n[]\n" });
  });

  test("serves the inspector's page and its libraries from the installed package", async () => {
    write(project, {
      "inspect.cjs": [
        'const { SceneTree, startInspector } = require("scenetree");',
        "(async () => {",
        "  const tree = new SceneTree();",
        "  const inspector = await startInspector(tree);",
        "  const origin = new URL(inspector.url).origin;",
        '  for (const file of ["/", "/app.js", "/vendor/htm-preact.js", "/vendor/uplot.js", "/vendor/uplot.css"]) {',
        "    const response = await fetch(origin + file);",
        "    console.log(file, response.status, (await response.text()).length > 100);",
        "  }",
        "  await inspector.close();",
        "})();",
      ].join("\n"),
    });
    const ran = await run("node", ["inspect.cjs"], project);
    expect(ran.stderr).toBe("");
    expect(ran.stdout.split("\n")).toEqual([
      "/ 200 true",
      "/app.js 200 true",
      "/vendor/htm-preact.js 200 true",
      "/vendor/uplot.js 200 true",
      "/vendor/uplot.css 200 true",
      "",
    ]);
  });

  describe("type-checks the README's code", () => {
    // One set of user projects, compiled under each configuration users have; every flag strict.
    const STRICT = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      noPropertyAccessFromIndexSignature: true,
      isolatedModules: true,
      skipLibCheck: false,
      noEmit: true,
      target: "ES2022",
      lib: ["ES2023"],
      types: ["node"],
    };
    beforeAll(() => {
      const names = readmeImports(installedReadme());
      write(path.join(project, "types"), {
        "cjs/package.json": JSON.stringify({ type: "commonjs" }),
        "cjs/bot.ts": CJS_USER,
        "cjs/bot.cts": CTS_USER,
        "cjs/default.ts": CJS_DEFAULT,
        "esm/package.json": JSON.stringify({ type: "module" }),
        "esm/readme.ts": ESM_USER,
        "esm/default.ts": ESM_DEFAULT,
        // Every name the README imports from the package is in its types.
        "esm/names.ts": `import { ${[...names.values, ...names.types].map((n) => `type ${n}`).join(", ")} } from "scenetree";\n`,
        "js/package.json": JSON.stringify({ type: "commonjs" }),
        "js/bot.js": JS_USER,
      });
    });

    test.each<[string, Record<string, unknown>, string[]]>([
      // ES modules and CommonJS modules (`import` syntax and `import x = require`) in one program.
      [
        "nodenext",
        { module: "nodenext", moduleResolution: "nodenext" },
        ["esm/*.ts", "cjs/*.ts", "cjs/*.cts"],
      ],
      [
        "node16, verbatimModuleSyntax",
        { module: "node16", moduleResolution: "node16", verbatimModuleSyntax: true },
        ["esm/*.ts", "cjs/*.cts"],
      ],
      [
        "bundler (esnext), verbatimModuleSyntax",
        { module: "esnext", moduleResolution: "bundler", verbatimModuleSyntax: true },
        ["esm/*.ts"],
      ],
      [
        "bundler (preserve), verbatimModuleSyntax",
        { module: "preserve", moduleResolution: "bundler", verbatimModuleSyntax: true, skipLibCheck: true },
        ["esm/*.ts", "cjs/bot.ts", "cjs/default.ts"],
      ],
      [
        "// @ts-check JavaScript",
        {
          module: "nodenext",
          moduleResolution: "nodenext",
          allowJs: true,
          checkJs: true,
          skipLibCheck: true,
        },
        ["js/*.js"],
      ],
    ])("%s", async (name, options, include) => {
      const config = `tsconfig.${name.replace(/\W+/g, "-")}.json`;
      const dir = path.join(project, "types");
      write(dir, { [config]: JSON.stringify({ compilerOptions: { ...STRICT, ...options }, include }) });
      const tsc = await run(path.join(project, "node_modules", ".bin", "tsc"), ["-p", config], dir);
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.code).toBe(0);
    });

    test("the same modules run with node --import tsx, ESM and CommonJS sharing one instance", async () => {
      write(path.join(project, "types"), {
        "esm/run.mts": [
          'import { createRequire } from "node:module";',
          'import "./readme.js";',
          'import { same } from "./default.js";',
          "const require = createRequire(import.meta.url);",
          'const { sameInstance } = require("../cjs/bot.cts");',
          'const { sameDefault } = require("../cjs/default.ts");',
          "console.log(same, await sameInstance(), sameDefault);",
        ].join("\n"),
      });
      const ran = await run("node", ["--import", "tsx", "esm/run.mts"], path.join(project, "types"));
      // readme.ts's Hull emits "hit" with (3, "Kraken") as it loads.
      expect(ran).toMatchObject({ code: 0, stderr: "", stdout: "3.0 KRAKEN\ntrue true true\n" });
    });

    test('node10 (classic "node") without esModuleInterop: no error in the package\'s own declarations', async () => {
      // TypeScript 5's defaults for `module: commonjs`. zod's and pino's declarations have errors of
      // their own under these settings (default imports of `export =` modules); ours must have none.
      const dir = path.join(project, "types");
      const options = {
        ...STRICT,
        module: "commonjs",
        moduleResolution: "node",
        esModuleInterop: false,
        allowSyntheticDefaultImports: false,
        ignoreDeprecations: "6.0",
      };
      write(dir, {
        "tsconfig.node10.json": JSON.stringify({
          compilerOptions: options,
          include: ["cjs/bot.ts", "cjs/default.ts"],
        }),
      });
      const tsc = await run(
        path.join(project, "node_modules", ".bin", "tsc"),
        ["-p", "tsconfig.node10.json"],
        dir,
      );
      const ours = (tsc.stdout + tsc.stderr)
        .split("\n")
        .filter((line) => !/node_modules\/(zod|pino)\//.test(line));
      expect(ours.join("\n").trim()).toBe("");
    });
  });

  test("npx scenetree runs a scene whose TypeScript script registers its type", async () => {
    write(project, {
      "src/bot.ts": [
        'import { Node, nodePropsSchema, registerNodeType, z } from "scenetree";',
        "export class Bot extends Node {",
        "  greeting = '';",
        "  override _ready(): void {",
        "    console.log(`${this.greeting} from ${this.getPath()}`);",
        "    this.getTree().quit(0);",
        "  }",
        "}",
        "registerNodeType(Bot, nodePropsSchema.extend({ greeting: z.string() }));",
      ].join("\n"),
      "scenes/main.scene.json": JSON.stringify({
        $schema: "../node_modules/scenetree/scene.schema.json",
        format: 1,
        scripts: ["../src/bot.ts"],
        root: { name: "Main", type: "Bot", props: { greeting: "hello" } },
      }),
    });
    const ran = await run("npx", ["--no-install", "scenetree", "run", "scenes/main.scene.json"], project);
    expect(ran.stderr).toBe("");
    expect(ran).toMatchObject({ code: 0, stdout: "hello from /root/Main\n" });
  });

  test("a scene of another project, with its own copy of the package or none, gets this CLI's library", async () => {
    // A script's `import ... from "scenetree"` is the library of the CLI that runs it, whichever copy
    // is nearest the script: else it would register its type where the loader never looks.
    const other = tempProject("other");
    write(other, {
      "package.json": JSON.stringify({ name: "other", version: "1.0.0", private: true }),
      "src/bot.ts": [
        'import { Node, registerNodeType } from "scenetree";',
        "export class OtherBot extends Node {",
        "  override _ready(): void {",
        "    console.log(`ready ${this.getPath()}`);",
        "    this.getTree().quit(0);",
        "  }",
        "}",
        "registerNodeType(OtherBot);",
      ].join("\n"),
      "scenes/main.scene.json": JSON.stringify({
        format: 1,
        scripts: ["../src/bot.ts"],
        root: { name: "Main", type: "OtherBot" },
      }),
    });
    try {
      const cli = path.join(project, "node_modules", ".bin", "scenetree");
      const bare = await run(cli, ["run", "scenes/main.scene.json"], other);
      expect(bare).toMatchObject({ code: 0, stdout: "ready /root/Main\n", stderr: "" });
      fs.cpSync(
        path.join(project, "node_modules", "scenetree"),
        path.join(other, "node_modules", "scenetree"),
        {
          recursive: true,
        },
      );
      const copied = await run(cli, ["run", "scenes/main.scene.json"], other);
      expect(copied).toMatchObject({ code: 0, stdout: "ready /root/Main\n", stderr: "" });
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test("npx scenetree run --instances runs the scene in worker threads of the installed package", async () => {
    write(project, {
      "src/probe.ts": [
        'import { Node, nodePropsSchema, registerNodeType, z } from "scenetree";',
        "export class Probe extends Node {",
        "  label = '';",
        "  override _ready(): void {",
        "    console.log(`${this.getTree().instance.index} ${this.label}`);",
        '    this.getTree().metrics.counter("probes").add(1);',
        "    this.getTree().quit(0);",
        "  }",
        "}",
        "registerNodeType(Probe, nodePropsSchema.extend({ label: z.string() }));",
      ].join("\n"),
      "scenes/fleet.scene.json": JSON.stringify({
        format: 1,
        scripts: ["../src/probe.ts"],
        root: { name: "Main", type: "Probe", props: { label: "bot-{index}" } },
      }),
    });
    const ran = await run(
      "npx",
      ["--no-install", "scenetree", "run", "scenes/fleet.scene.json", "--instances", "4", "--workers", "2"],
      project,
    );
    expect(ran.code).toBe(0);
    const bots = ran.stdout.split("\n").filter((line) => /^\d bot-/.test(line));
    expect(bots.sort()).toEqual(["0 bot-0", "1 bot-1", "2 bot-2", "3 bot-3"]);
    // The workers' registries, merged in the main thread: one summary for the four trees.
    expect(ran.stdout).toMatch(/\n {4}probes\.+: 4 /);
    expect(ran.stderr).toContain("Fleet done: 4 of 4 instances quit with 0.");
  });

  test("the README's full load-test example runs as written, from the installed README", async () => {
    const readme = fs.readFileSync(path.join(project, "node_modules", "scenetree", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### A full example"));
    const block = (lang: string): string => {
      const match = new RegExp("```" + lang + "\\n([\\s\\S]*?)\\n```").exec(section);
      if (!match) throw new Error(`no ${lang} block in "A full example"`);
      return match[1];
    };
    const sceneText = block("json");
    const script = block("ts");
    const server = block("js");
    // Where the README names them; the scene's script path says where the script goes.
    expect(section).toMatch(
      /save the scene as `scenes\/load-bot\.scene\.json`\s+and the script as `src\/loadBot\.ts`/,
    );
    expect(JSON.parse(sceneText).scripts).toEqual(["../src/loadBot.ts"]);
    expect(server).toContain("port: 9000");

    // The server on a free port instead of 9000, saying which.
    write(project, {
      "server.cjs": `${server.replace("port: 9000", "port: 0")}\nwss.on("listening", () => console.log(wss.address().port));\n`,
      "src/loadBot.ts": script,
    });
    const child = spawn(process.execPath, ["server.cjs"], {
      cwd: project,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        child.stdout.once("data", (data: Buffer) => resolve(data.toString().trim()));
        child.once("exit", (code) => reject(new Error(`server.cjs exited with ${code}`)));
      });
      const scene = JSON.parse(sceneText.replace("127.0.0.1:9000", `127.0.0.1:${port}`)) as {
        thresholds: Record<string, string[]>;
      };
      // join_time's p(95)<250 is a wall-clock bound: a loaded test machine may miss it. join_ok stays.
      delete scene.thresholds.join_time;
      write(project, { "scenes/load-bot.scene.json": JSON.stringify(scene, null, 2) });
      const ran = await run(
        "npx",
        [
          "--no-install",
          "scenetree",
          "run",
          "scenes/load-bot.scene.json",
          "--instances",
          "20",
          "--workers",
          "2",
        ],
        project,
      );
      expect(ran.stderr).toContain("Fleet done: 20 of 20 instances quit with 0.");
      expect(ran.stdout).toContain("✓ 'rate>0.99' rate=100.00%");
      expect(ran.stdout).toMatch(/join_ok\.+: 100\.00% 20 out of 20/);
      expect(ran.stdout).toMatch(/join_time\.+: count=20 /);
      expect(ran.code).toBe(0);
    } finally {
      child.kill();
    }
  });

  test("a script that does not compile is reported with file, line:column and the compiler's message", async () => {
    write(project, {
      "src/broken.ts":
        'import { Node } from "scenetree";\nexport class Broken extends Node {\n  x: number = ;\n}\n',
      "scenes/broken.scene.json": JSON.stringify({
        format: 1,
        scripts: ["../src/broken.ts"],
        root: { name: "Main", type: "Broken" },
      }),
    });
    const ran = await run(
      "npx",
      ["--no-install", "scenetree", "validate", "scenes/broken.scene.json"],
      project,
    );
    expect(ran.code).toBe(2);
    expect(ran.stdout + ran.stderr).toContain("ERR_SCRIPT_LOAD");
    expect(ran.stdout + ran.stderr).toMatch(/broken\.ts:3:\d+: ERROR: Unexpected ";"/);
  });
});

describe("scenetree init", () => {
  test("scaffolds a project where npm install, npm start and npm test pass", async () => {
    const parent = tempProject("init");
    try {
      const cli = path.join(project, "node_modules", ".bin", "scenetree");
      const init = await run(cli, ["init", "mybot"], parent);
      expect(init.stderr).toBe("");
      expect(init.code).toBe(0);
      const app = path.join(parent, "mybot");
      // The scaffold depends on scenetree from the registry; here the tarball under test stands in for it.
      const installed = await npm(["install", tarball], app);
      expect(installed.stderr).not.toMatch(/ERR!/);
      expect(installed.code).toBe(0);
      const start = await run("npm", ["start", "--silent"], app);
      expect(start.stderr).toBe("");
      expect(start.code).toBe(0);
      const validate = await run("npm", ["run", "validate", "--silent"], app);
      expect(validate.code).toBe(0);
      const tested = await run("npm", ["test", "--silent"], app);
      expect(tested.stdout).toMatch(/# pass [1-9]/);
      expect(tested.stdout).toMatch(/# fail 0/);
      expect(tested.code).toBe(0);
      const again = await run(cli, ["init", "mybot"], parent);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain("package.json");
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});

function installedReadme(): string {
  return fs.readFileSync(path.join(project, "node_modules", "scenetree", "README.md"), "utf8");
}

/** The names the README's examples import from the package: `{ values, types }` (`type X` imports). */
function readmeImports(readme: string): { values: Set<string>; types: Set<string> } {
  const values = new Set<string>();
  const types = new Set<string>();
  const lists = [
    ...readme.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"scenetree"/g),
    ...readme.matchAll(/const\s*\{([^}]*)\}\s*=\s*require\("scenetree"\)/g),
  ];
  for (const [statement, list] of lists) {
    for (const entry of (list ?? "").split(",")) {
      const name = entry.trim().split(/\s+as\s+/)[0] ?? "";
      if (name === "") continue;
      if (name.startsWith("type ")) types.add(name.slice(5).trim());
      else if (statement.startsWith("import type")) types.add(name);
      else values.add(name);
    }
  }
  // The first column of the table in "### API" (scene files), before any "→ result":
  // `loadScene(file, …)`, `new NodeTypeRegistry()`, `defaultNodeTypes`…
  const api = readme.slice(readme.indexOf("\n### API\n"));
  for (const row of api.slice(0, api.indexOf("\n#", 1)).matchAll(/^\| (.*?) \|/gm)) {
    for (const [, chunk] of (row[1] ?? "").split("→")[0].matchAll(/`([^`]*)`/g)) {
      const name = /^(?:new\s+)?([A-Za-z_$][\w$]*)(?:\(|$)/.exec(chunk ?? "")?.[1];
      if (name) values.add(name);
    }
  }
  for (const name of values) types.delete(name);
  return { values, types };
}
