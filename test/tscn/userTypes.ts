import { z } from "zod";
import { Node } from "../../src/scene/Node";
import { getNodeType, nodePathProp, nodePropsSchema, registerNodeType } from "../../src";

/**
 * The TypeScript classes a user would write for the corpus's GDScripts: `Bot` (Godot 3,
 * scripts/bot.gd, class_name Bot) and `GameController` (Godot 4, scripts/game_controller.gd). The
 * importer maps the scripted nodes onto them because they are registered under the scripts' class_name.
 */
export class Bot extends Node {
  target: Node | null = null;
  speed = 1;
  tags: Record<string, unknown> = {};
  readonly calls: unknown[][] = [];

  _onTickTimeout(...args: unknown[]): void {
    this.calls.push(["_onTickTimeout", ...args]);
  }

  _onHeroEntered(...args: unknown[]): void {
    this.calls.push(["_onHeroEntered", ...args]);
  }
}

export class GameController extends Node {
  settings: Record<string, unknown> = {};
  spawnPoints: string[] = [];
  readonly calls: unknown[][] = [];

  _onHeartbeatTimeout(...args: unknown[]): void {
    this.calls.push(["_onHeartbeatTimeout", ...args]);
  }

  _onSocketConnected(...args: unknown[]): void {
    this.calls.push(["_onSocketConnected", ...args]);
  }

  _onMessage(...args: unknown[]): void {
    this.calls.push(["_onMessage", ...args]);
  }

  _onHudReady(...args: unknown[]): void {
    this.calls.push(["_onHudReady", ...args]);
  }
}

/** Registers the corpus's user classes (once per test file). */
export function registerUserTypes(): void {
  if (!getNodeType("Bot"))
    registerNodeType(
      "Bot",
      Bot,
      nodePropsSchema.extend({
        target: nodePathProp().optional(),
        speed: z.number().optional(),
        tags: z.record(z.string(), z.unknown()).optional(),
      }),
    );
  if (!getNodeType("GameController"))
    registerNodeType(
      "GameController",
      GameController,
      nodePropsSchema.extend({
        settings: z.record(z.string(), z.unknown()).optional(),
        spawnPoints: z.array(z.string()).optional(),
      }),
    );
}
