/**
 * The published types of the engine's user-visible classes list only their public API: no engine
 * internal under a `_` name (Godot's virtuals keep theirs), no TypeScript `private` member (whose name
 * a subclass could not reuse), so a user subclass may declare any field. Reads the built `dist/`
 * (`npm run build`; `npm test` builds it in pretest).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { REPO } from "./helpers";

jest.setTimeout(120_000);

const DIST = path.join(REPO, "dist");

/** Godot's virtuals (and the ones built-in nodes override), which keep Godot's underscore. */
const VIRTUALS = new Set([
  "_enterTree",
  "_exitTree",
  "_ready",
  "_process",
  "_physicsProcess",
  "_notification",
]);

const CLASSES: Array<[file: string, name: string]> = [
  ["scene/Node.d.ts", "Node"],
  ["scene/SceneTree.d.ts", "SceneTree"],
  ["scene/GodotObject.d.ts", "GodotObject"],
  ["scene/SceneTreeTimer.d.ts", "SceneTreeTimer"],
  ["nodes/Timer.d.ts", "Timer"],
  ["nodes/websocketConnection.d.ts", "WebSocketConnectionNode"],
  ["nodes/WebsocketClient.d.ts", "WebsocketClient"],
  ["nodes/WebSocketNode.d.ts", "WebSocketNode"],
  ["nodes/WebSocketServer.d.ts", "WebSocketServer"],
  ["nodes/InstancePlaceholder.d.ts", "InstancePlaceholder"],
];

interface Member {
  name: string;
  isPrivate: boolean;
}

function membersOf(file: string, className: string): Member[] {
  const text = fs.readFileSync(path.join(DIST, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const members: Member[] = [];
  let found = false;
  source.forEachChild((statement) => {
    if (!ts.isClassDeclaration(statement) || statement.name?.text !== className) return;
    found = true;
    for (const member of statement.members) {
      if (!member.name) continue; // a constructor, an index signature
      const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) : undefined;
      const isPrivate = (modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
      members.push({ name: member.name.getText(source), isPrivate });
    }
  });
  if (!found) throw new Error(`${file} declares no class ${className}`);
  return members;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(DIST, "index.d.ts"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it in pretest).");
  }
});

describe("the published declarations", () => {
  it.each(CLASSES)("%s: class %s has no engine internals", (file, className) => {
    const members = membersOf(file, className);
    expect(members.length).toBeGreaterThan(3);
    const internals = members
      .filter((m) => (m.name.startsWith("_") && !VIRTUALS.has(m.name)) || m.isPrivate)
      .map((m) => m.name);
    expect(internals).toEqual([]);
    // Computed keys (the engine's symbols) are marked @internal and stripped too.
    expect(members.filter((m) => m.name.startsWith("[")).map((m) => m.name)).toEqual([]);
  });

  it("import no package's default export, which a user's esModuleInterop: false would reject", () => {
    // `import WebSocket from "ws"` (an `export =` module) is TS1259 under TypeScript 5's defaults for
    // `module: commonjs` with skipLibCheck off; named imports compile under every setting.
    const defaultImports: string[] = [];
    for (const file of fs.readdirSync(DIST, { recursive: true, encoding: "utf8" })) {
      if (!/\.d\.m?ts$/.test(file)) continue;
      const text = fs.readFileSync(path.join(DIST, file), "utf8");
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      source.forEachChild((statement) => {
        if (!ts.isImportDeclaration(statement) || !statement.importClause?.name) return;
        const from = (statement.moduleSpecifier as ts.StringLiteral).text;
        if (!from.startsWith(".")) defaultImports.push(`${file}: ${statement.getText(source)}`);
      });
    }
    expect(defaultImports).toEqual([]);
  });

  it("Node keeps Godot's virtuals", () => {
    const names = membersOf("scene/Node.d.ts", "Node").map((m) => m.name);
    for (const virtual of VIRTUALS) expect(names).toContain(virtual);
  });

  it("a subclass reusing every former internal name type-checks, and getTree() is a SceneTree", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-decl-"));
    try {
      const entry = path.join(dir, "user.ts");
      fs.writeFileSync(
        entry,
        [
          `import { Node, SceneTree, GodotObject, Timer, WebsocketClient, WebSocketServer } from ${JSON.stringify(path.join(DIST, "index"))};`,
          "export class Mine extends Node {",
          "  _tree = 1; _parent = 'p'; _children: string[] = []; _index = 0; _depth = 0; _name = 'n';",
          "  _owner = null; _groups = 0; _blocked = false; _processMode = 'x'; _childrenByName = {};",
          "  _setTree(): number { return 1; } _guard = 2; _describe = 3; _context = 4; _tryContext = 5;",
          "  _freed = 6; _queuedForDeletion = 7; _emit2 = 8; _emitNoArgs = 9; _position = 10;",
          "  override _ready(): void {",
          "    const timer = this.getTree().createTimer(1);",
          "    timer.timeLeft = 2;",
          "    const tree: SceneTree = this.getTree();",
          "    void tree.root;",
          "  }",
          "}",
          "export class MyTree extends SceneTree { _paused = 'x'; _timeScale = 'y'; _exitCode = 'z'; timers = 1; frames = 2; }",
          "export class MyObject extends GodotObject { _freed = 'x'; _describe = 1; }",
          "export class MyTimer extends Timer { _waitTime = 'w'; _timeLeft = 't'; _paused = 1; _internalProcess = 2; }",
          "export class MyClient extends WebsocketClient { _socket = 's'; _waiters = 1; _url = 'u'; _send = 2; _receiveLimitValue = 3; }",
          "export class MyServer extends WebSocketServer { _peers = 'p'; _listener = 1; _internalProcess = 2; }",
        ].join("\n"),
      );
      const program = ts.createProgram([entry], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.Node16,
        moduleResolution: ts.ModuleResolutionKind.Node16,
        types: ["node"],
        typeRoots: [path.join(REPO, "node_modules", "@types")],
        skipLibCheck: true,
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      expect(diagnostics).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
