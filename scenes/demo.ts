/**
 * Node classes written in TypeScript for the example scenes. A scene imports this module through
 * `"scripts": ["./demo.ts"]`; registering the classes makes them usable as `"type"` in scene files.
 */
import { z } from "zod";
import { Node, Timer, nodePathProp, nodePropsSchema, registerNodeType, timerPropsSchema } from "scenetree";

/** Prints what happens to it: its lifecycle, and every call made through a connection to `note`. */
export class Announcer extends Node {
  /** Printed before each line, so the output of several announcers can be told apart. */
  label = "";
  /** A node the scene points at (a NodePath prop); printed when ready to show it was resolved. */
  watched: Node | null = null;
  /** How many `note` calls to take before quitting the tree (0: never). */
  quitAfterLogs = 0;
  private logs = 0;

  override _ready(): void {
    this.say(`ready${this.watched ? ` (watching ${this.watched.name})` : ""}`);
  }

  override _exitTree(): void {
    this.say("_exitTree");
  }

  /** Connection target: prints the signal's arguments and any bound ones. */
  note(...args: unknown[]): void {
    this.logs++;
    this.say(`note(${args.map((a) => JSON.stringify(a)).join(", ")})`);
    if (this.quitAfterLogs > 0 && this.logs >= this.quitAfterLogs) {
      this.say("done, quitting");
      this.getTree().quit(0);
    }
  }

  private say(text: string): void {
    const time = this.isInsideTree() ? ` t=${(this.getTree().getFrame() / 60).toFixed(2)}s` : "";
    console.log(`[${this.label || this.name}${time}] ${text}`);
  }
}

registerNodeType(
  "Announcer",
  Announcer,
  nodePropsSchema.extend({
    label: z.string().optional(),
    watched: nodePathProp().optional(),
    quitAfterLogs: z.int().min(0).optional(),
  }),
);

/** A one-shot timer that quits the tree with `exitCode` when it times out: every example ends by itself. */
export class QuitTimer extends Timer {
  exitCode = 0;

  override _ready(): void {
    this.connect("timeout", () => {
      console.log(`[${this.name}] quitting with exit code ${this.exitCode}`);
      this.getTree().quit(this.exitCode);
    });
  }
}

registerNodeType(
  "QuitTimer",
  QuitTimer,
  timerPropsSchema.extend({ exitCode: z.int().min(0).max(255).optional() }),
);
