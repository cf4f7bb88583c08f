/**
 * The TypeScript files of a new project: the bot node class and its test. They are typechecked and run
 * by test/cli/initCommand.test.ts, since nothing else compiles them.
 */

/** `src/bot.ts`: a node class registered for scene files, driving a WebsocketClient with a Timer. */
export function botSource(): string {
  return `/**
 * The bot. The scene (scenes/main.scene.json) gives it two children, a WebsocketClient named "Client"
 * and a Timer named "SendTimer", and connects their signals to its methods. Once connected it sends a
 * message on each timeout of the timer, counts the echoes, and quits the tree with exit code 0 when
 * every message came back (exit code 1 if that takes longer than \`timeLimit\` seconds).
 *
 * \`registerNodeType\` at the bottom makes the class usable as \`"type": "Bot"\` in scene files. The scene
 * lists this file in its "scripts", so it is imported before the scene's nodes are created.
 */
import { Node, Timer, WebsocketClient, nodePropsSchema, registerNodeType, z } from "scenetree";

export class Bot extends Node {
  /** How many messages to send, one per timeout of SendTimer. */
  messages = 3;
  /** Seconds before the bot gives up and quits with exit code 1. */
  timeLimit = 5;
  /** Echoes received so far. */
  echoes = 0;
  private sent = 0;

  override _ready(): void {
    // A signal connected in code; the scene file connects the others.
    this.sendTimer.connect("timeout", () => this.sendNext());
    this.getTree()
      .createTimer(this.timeLimit)
      .connect("timeout", () => {
        console.log(\`[bot] gave up after \${this.timeLimit} s: \${this.echoes}/\${this.messages} echoes\`);
        this.getTree().quit(1);
      });
  }

  /** The echo server listens on \`port\` (its \`listening\` signal, connected in the scene file). */
  onServerListening(port: number): void {
    this.client.connectionUrl = \`ws://127.0.0.1:\${port}/bot\`;
    this.client.openConnection();
  }

  /** The client is connected (its \`connectionEstablished\` signal): start sending. */
  onConnected(): void {
    console.log(\`[bot] connected to \${this.client.connectionUrl}\`);
    this.sendTimer.start();
  }

  /** A message came back (the client's \`messageReceived\` signal). */
  onMessage(message: Buffer): void {
    this.echoes++;
    console.log(\`[bot] echo \${this.echoes}/\${this.messages}: \${message.toString()}\`);
    if (this.echoes === this.messages) {
      console.log("[bot] done");
      this.getTree().quit(0);
    }
  }

  private sendNext(): void {
    this.sent++;
    this.client.sendText(\`hello #\${this.sent}\`);
    if (this.sent === this.messages) this.sendTimer.stop();
  }

  private get client(): WebsocketClient {
    return this.getNode<WebsocketClient>("Client");
  }

  private get sendTimer(): Timer {
    return this.getNode<Timer>("SendTimer");
  }
}

// The props a scene file may set on a Bot, checked when the scene loads (and by \`npm run validate\`).
registerNodeType(
  "Bot",
  Bot,
  nodePropsSchema.extend({
    messages: z.int().min(1).optional(),
    timeLimit: z.number().gt(0).optional(),
  }),
);
`;
}

/** `test/bot.test.ts`: Node's own test runner, the tree stepped frame by frame on a TestClock. */
export function botTestSource(): string {
  return `/**
 * Runs the scene on a TestClock: each turn of the loop moves the clock one frame on, runs that frame
 * with step(), then waits a moment so the real WebSocket traffic (on 127.0.0.1) can happen.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { SceneTree, TestClock, loadScene } from "scenetree";
import type { Bot } from "../src/bot";

const FRAME = 1 / 60;

test("the bot gets an echo for every message it sends, then quits with exit code 0", async () => {
  const scene = await loadScene(path.join(__dirname, "..", "scenes", "main.scene.json"));
  const clock = new TestClock();
  // fatalErrors: an exception thrown by a node fails the test instead of being printed.
  const tree = new SceneTree({ clock, fatalErrors: true });
  try {
    tree.root.addChild(scene.instantiate());
    const bot = tree.root.getNode<Bot>("Main/Bot");
    for (let frame = 0; frame < 3000 && !tree.isFinalized(); frame++) {
      clock.advance(FRAME * 1000);
      tree.step(FRAME);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(tree.isFinalized(), true, "the tree should have quit");
    assert.equal(bot.echoes, bot.messages);
    assert.equal(tree.exitCode, 0);
  } finally {
    tree.finalize(); // closes the sockets even when an assertion failed
  }
});
`;
}
