import * as fs from "node:fs";
import * as path from "node:path";
import { importTscn, type TscnImportResult } from "../../src/tscn";
import { parseScene } from "../../src/loader";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import type { Node } from "../../src/scene/Node";
import { Timer } from "../../src/nodes/Timer";
import { WebSocketNode } from "../../src/nodes/WebSocketNode";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { ProcessMode } from "../../src/scene/Node";
import { Bot, GameController, registerUserTypes } from "./userTypes";

/**
 * The corpus: Godot 3 scenes saved by Godot 3.2.3 itself (godot3/scripts/generate.gd) and Godot 4
 * scenes written the way the Godot 4 editor saves them. Each `.tscn` is converted, compared with the
 * `.scene.json` beside it, and that JSON is then loaded by scenetree's loader and run in a SceneTree.
 */
const CORPUS = path.resolve(__dirname, "../fixtures/tscn");
const fixture = (...parts: string[]) => path.join(CORPUS, ...parts);

registerUserTypes();

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Warnings as `relative/file.tscn:line CODE`, the way a person scans them. */
function warningLines(result: TscnImportResult): string[] {
  return result.warnings.map((w) => `${path.relative(CORPUS, w.file)}:${w.line} ${w.code}`);
}

/** Loads the expected JSON with the loader (sub-scenes resolve beside it) and runs it one frame. */
function run(expectedFile: string): { tree: SceneTree; scene: Node; done: () => void } {
  const packed = parseScene(fs.readFileSync(expectedFile, "utf8"), { file: expectedFile });
  const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  const scene = packed.instantiate();
  tree.root.addChild(scene);
  tree.step(1 / 60);
  return {
    tree,
    scene,
    done: () => {
      tree.quit();
      tree.step(0);
    },
  };
}

describe("Godot 3 corpus (saved by Godot 3.2.3)", () => {
  let result: TscnImportResult;
  beforeAll(async () => {
    result = await importTscn(fixture("godot3/main.tscn"), { instances: "json" });
  });

  test("main.tscn and its sub-scene convert to the expected JSON", () => {
    expect(result.scene).toEqual(readJson(fixture("godot3/main.scene.json")));
    expect(result.subScenes.map((s) => [s.source, s.file])).toEqual([
      [fixture("godot3/player.tscn"), fixture("godot3/player.scene.json")],
    ]);
    expect(result.subScenes[0].scene).toEqual(readJson(fixture("godot3/player.scene.json")));
  });

  test("every loss is a warning naming file and line", () => {
    expect(warningLines(result)).toEqual([
      "godot3/main.tscn:34 W_UNKNOWN_TYPE", // Node2D
      "godot3/main.tscn:35 W_PROPERTY_DROPPED", // modulate
      "godot3/main.tscn:36 W_PROPERTY_DROPPED", // position
      "godot3/main.tscn:49 W_SCRIPT", // mystery.gd: no class registered
      "godot3/main.tscn:50 W_PROPERTY_DROPPED", // its export
    ]);
    expect(result.warnings[0].message).toContain("Node2D");
    expect(result.warnings[3].message).toContain('register a TypeScript class as "Mystery"');
  });

  test("scripts: bot.gd became the registered Bot class, mystery.gd stayed a Node", () => {
    expect(
      result.scripts.map(({ node, script, className, type, line }) => ({
        node,
        script,
        className,
        type,
        line,
      })),
    ).toEqual([
      { node: "Bot", script: "res://scripts/bot.gd", className: "Bot", type: "Bot", line: 39 },
      { node: "Odd", script: "res://scripts/mystery.gd", className: null, type: null, line: 49 },
    ]);
  });

  test("the converted scene loads and runs: props, groups, owners, NodePaths, connections with binds", () => {
    const { tree, scene, done } = run(fixture("godot3/main.scene.json"));
    try {
      expect(scene.processMode).toBe(ProcessMode.ALWAYS);
      const tick = scene.getNode("Tick") as Timer;
      expect(tick).toBeInstanceOf(Timer);
      expect([tick.waitTime, tick.processPriority]).toEqual([0.5, 3]);
      expect(tick.timeLeft).toBeGreaterThan(0); // autostart started it when it became ready
      expect(tick.isInGroup("clocks")).toBe(true);
      expect(scene.getNode("World").processMode).toBe(ProcessMode.PAUSABLE);
      const hero = scene.getNode("World/Hero");
      expect([hero.processPriority, hero.isInGroup("heroes"), hero.isInGroup("players")]).toEqual([
        7,
        true,
        true,
      ]);
      expect((hero.getNode("Cooldown") as Timer).oneShot).toBe(true);
      expect(hero.getNode("Cooldown").owner).toBe(hero);
      expect(hero.owner).toBe(scene);
      const bot = scene.getNode("Bot") as Bot;
      expect(bot).toBeInstanceOf(Bot);
      expect(bot.target).toBe(tick);
      expect(bot.speed).toBe(2.5);
      expect(bot.tags).toEqual({ kind: "scout", level: 3, path: [1, 2] });
      // tree_entered of the instanced Hero fired when the scene entered the tree
      expect(bot.calls).toEqual([["_onHeroEntered"]]);
      // timeout → Bot with binds [1, "two"], deferred and one-shot
      for (let i = 0; i < 31; i++) tree.step(1 / 60);
      expect(bot.calls).toEqual([["_onHeroEntered"], ["_onTickTimeout", 1, "two"]]);
      expect(tick.isConnected("timeout" as never, bot._onTickTimeout as never)).toBe(false);
    } finally {
      done();
    }
  });
});

describe("Godot 4 corpus", () => {
  let result: TscnImportResult;
  beforeAll(async () => {
    result = await importTscn(fixture("godot4/main.tscn"), { instances: "json" });
  });

  test("main.tscn and ui/hud.tscn convert to the expected JSON", () => {
    expect(result.scene).toEqual(readJson(fixture("godot4/main.scene.json")));
    expect(result.subScenes.map((s) => path.relative(CORPUS, s.file))).toEqual(["godot4/ui/hud.scene.json"]);
    expect(result.subScenes[0].scene).toEqual(readJson(fixture("godot4/ui/hud.scene.json")));
  });

  test("every loss is a warning naming file and line", () => {
    expect(warningLines(result)).toEqual([
      "godot4/ui/hud.tscn:5 W_UNKNOWN_TYPE", // CanvasLayer
      "godot4/ui/hud.tscn:6 W_PROPERTY_DROPPED", // layer
      "godot4/ui/hud.tscn:7 W_SCRIPT", // hud.gd
      "godot4/ui/hud.tscn:9 W_UNKNOWN_TYPE", // Label
      "godot4/ui/hud.tscn:10 W_PROPERTY_DROPPED",
      "godot4/ui/hud.tscn:11 W_PROPERTY_DROPPED",
      "godot4/ui/hud.tscn:12 W_PROPERTY_DROPPED",
      "godot4/main.tscn:55 W_PROPERTY_DROPPED", // text of HUD/Label, changed inside the instance
      "godot4/main.tscn:57 W_UNKNOWN_TYPE", // CPUParticles2D
      "godot4/main.tscn:58 W_PROPERTY_DROPPED",
      "godot4/main.tscn:59 W_PROPERTY_DROPPED", // SubResource gradient
      "godot4/main.tscn:60 W_PROPERTY_DROPPED", // SubResource curve
      "godot4/main.tscn:64 W_CONNECTION_CHANGED", // unbinds=1
    ]);
  });

  test("the seed addons' scripts become WebSocketNode and WebsocketClient; game_controller.gd the registered class", () => {
    expect(result.scripts.map((s) => [path.relative(CORPUS, s.file), s.node, s.className, s.type])).toEqual([
      ["godot4/main.tscn", ".", "GameController", "GameController"],
      ["godot4/main.tscn", "Net/Socket", null, "WebSocketNode"], // websocket.gd: by file name
      ["godot4/main.tscn", "Net/Client", "WebsocketClient", "WebsocketClient"],
      ["godot4/ui/hud.tscn", ".", null, null],
    ]);
  });

  test("the converted scene loads and runs", () => {
    const { scene, done } = run(fixture("godot4/main.scene.json"));
    try {
      expect(scene).toBeInstanceOf(GameController);
      const game = scene as GameController;
      expect(game.settings).toEqual({
        difficulty: "hard",
        lives: 3,
        spawn: { x: 12, y: 4.5 },
        tint: { r: 1, g: 0.5, b: 0, a: 1 },
      });
      const socket = scene.getNode("%Socket") as WebSocketNode;
      expect(socket).toBeInstanceOf(WebSocketNode);
      expect([
        socket.host,
        socket.route,
        socket.useWss,
        socket.receiveLimit,
        socket.connectionTimeout,
      ]).toEqual(["127.0.0.1", "/ws", false, 16, 5]);
      expect(socket.autoconnectReference).toBe(scene.getNode("HUD"));
      const client = scene.getNode("Net/Client") as WebsocketClient;
      expect(client).toBeInstanceOf(WebsocketClient);
      expect([client.connectionUrl, client.autoReconnect]).toEqual(["ws://127.0.0.1:9/chat", true]);
      expect(scene.getNode("HUD/Blink")).toBeInstanceOf(Timer);
      // HUD's ready → _on_hud_ready, one-shot
      expect(game.calls).toContainEqual(["_onHudReady"]);
    } finally {
      done();
    }
  });

  test("lobby.tscn (Godot 4.6 style: unique_id, comments, typed values) converts and runs", async () => {
    const lobby = await importTscn(fixture("godot4/lobby.tscn"));
    expect(lobby.scene).toEqual(readJson(fixture("godot4/lobby.scene.json")));
    expect(warningLines(lobby)).toEqual([
      "godot4/lobby.tscn:10 W_PROPERTY_DROPPED", // editor_description
      "godot4/lobby.tscn:11 W_PROPERTY_DROPPED", // metadata/_edit_lock_
      "godot4/lobby.tscn:15 W_PROPERTY_DROPPED", // metadata/capacity
      "godot4/lobby.tscn:16 W_PROPERTY_DROPPED",
      "godot4/lobby.tscn:17 W_PROPERTY_DROPPED",
      "godot4/lobby.tscn:29 W_CONNECTION_CHANGED", // flags=18: CONNECT_INHERITED
    ]);
    const { scene, done } = run(fixture("godot4/lobby.scene.json"));
    try {
      expect(scene.processMode).toBe(ProcessMode.DISABLED);
      expect((scene.getNode("Socket") as WebSocketNode).autoconnectReference).toBe(scene.getNode("Seats"));
    } finally {
      done();
    }
  });

  test("instances: tscn (the default) references the sub-scene's .tscn relative to the output", async () => {
    const direct = await importTscn(fixture("godot4/main.tscn"));
    const hud = direct.scene.root.children!.find((c) => c.name === "HUD")!;
    expect(hud.instance).toBe("./ui/hud.tscn");
    const elsewhere = await importTscn(fixture("godot4/main.tscn"), {
      outFile: fixture("out/main.scene.json"),
    });
    expect(elsewhere.scene.root.children!.find((c) => c.name === "HUD")!.instance).toBe(
      "../godot4/ui/hud.tscn",
    );
  });
});
