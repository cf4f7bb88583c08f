/**
 * Shared by the Godot trace tests: the recording nodes (mirrors of rec.gd / proc.gd / member.gd in
 * test/fixtures/godot3/scripts), fixture reading and the Godot 3 → Godot 4 transforms.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";

export const FIXTURES = join(__dirname, "..", "fixtures", "godot3");

/**
 * The frame delta Godot 3.2 passed with --fixed-fps 60: 1/60 rounded to a 32-bit float (Godot 3's
 * `MainLoop::idle(float)`; Godot 4 passes a double). Using the same delta as the recording keeps timer
 * arithmetic comparable: with the double 1/60, 3 frames leave 6.9e-18 of a 0.05 s timer, 30 frames a
 * hair of a 0.5 s one, and they fire one frame later than with Godot 3's slightly larger delta.
 */
export const DELTA = Math.fround(1 / 60);

export function fixture(scenario: string): string[] {
  return readFileSync(join(FIXTURES, `${scenario}.txt`), "utf8")
    .split("\n")
    .filter((line) => line.length > 0);
}

// ---------------------------------------------------------------- recording nodes (mirror rec.gd / proc.gd)

export type HookName = "enter" | "ready" | "exit" | "process" | "physics";
export type Hook = (node: Rec) => void;

export class Trace {
  lines: string[] = [];
  constructor(readonly tree: SceneTree) {}

  out(line: string): void {
    this.lines.push(line);
  }

  /** Godot's `Engine.get_idle_frames()`: frames completed so far. */
  get frame(): number {
    return this.tree.getFrame();
  }
}

/** rec.gd: logs enter/ready/exit (and optionally the four node signals), then runs its hook. */
export class Rec extends Node {
  readonly hooks: Partial<Record<HookName, Hook>> = {};

  constructor(
    name: string,
    readonly trace: Trace,
    withSignals = false,
  ) {
    super(name);
    if (withSignals) {
      this.on("treeEntered", () => trace.out(`${this.name}:treeEntered`));
      this.on("ready", () => trace.out(`${this.name}:readySignal`));
      this.on("treeExiting", () => trace.out(`${this.name}:treeExiting`));
      this.on("treeExited", () => trace.out(`${this.name}:treeExited`));
    }
  }

  hook(what: HookName, fn: Hook): this {
    this.hooks[what] = fn;
    return this;
  }

  protected run(what: HookName): void {
    this.hooks[what]?.(this);
  }

  override _enterTree(): void {
    this.trace.out(`${this.name}:enter`);
    this.run("enter");
  }

  override _ready(): void {
    this.trace.out(`${this.name}:ready`);
    this.run("ready");
  }

  override _exitTree(): void {
    this.trace.out(`${this.name}:exit`);
    this.run("exit");
  }
}

/** proc.gd: also logs `Name:process@F` and `Name:physics@F`. */
export class Proc extends Rec {
  override _process(): void {
    this.trace.out(`${this.name}:process@${this.trace.frame}`);
    this.run("process");
  }

  override _physicsProcess(): void {
    this.trace.out(`${this.name}:physics@${this.trace.frame}`);
    this.run("physics");
  }
}

export function newTree(): { tree: SceneTree; t: Trace } {
  const tree = new SceneTree({ fatalErrors: true });
  return { tree, t: new Trace(tree) };
}

/** Steps frames until the tree has been torn down by quit(). */
export function runUntilQuit(tree: SceneTree, maxFrames = 1000): void {
  for (let i = 0; i < maxFrames && !tree.isFinalized(); i++) tree.step(DELTA);
  expect(tree.isFinalized()).toBe(true);
}

// ---------------------------------------------------------------- Godot 3 → Godot 4 transforms

/**
 * tree_exited order. Godot 3's `Node::_propagate_after_exit_tree` visits children first to last; Godot
 * 4's visits them last to first (`for (I = data.children.last(); I; --I)` in scene/main/node.cpp),
 * exactly like `_propagate_exit_tree`. So in Godot 4 a run of `treeExited` lines comes in the same
 * order as those nodes' `treeExiting` lines: reorder each run that way.
 */
export function godot4TreeExitedOrder(lines: string[]): string[] {
  const out = lines.slice();
  for (let i = 0; i < out.length;) {
    if (!out[i].endsWith(":treeExited")) {
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && out[j].endsWith(":treeExited")) j++;
    const names = out.slice(i, j).map((line) => line.split(":")[0]);
    const rank = (name: string) => {
      const at = out.lastIndexOf(`${name}:treeExiting`, i);
      if (at < 0) throw new Error(`no ${name}:treeExiting before its treeExited`);
      return at;
    };
    names.sort((a, b) => rank(a) - rank(b));
    out.splice(i, j - i, ...names.map((name) => `${name}:treeExited`));
    i = j;
  }
  return out;
}

/** Moves the one line equal to `line` to just before the first line equal to `anchor`. */
export function moveBefore(lines: string[], line: string, anchor: string): string[] {
  const out = lines.slice();
  const from = out.indexOf(line);
  expect(from).toBeGreaterThanOrEqual(0);
  out.splice(from, 1);
  const to = out.indexOf(anchor);
  expect(to).toBeGreaterThanOrEqual(0);
  out.splice(to, 0, line);
  return out;
}

/**
 * member.gd: a processing recorder that group calls reach (`hit(tag)`, the `val` property, notification
 * 9001) and that, with `notes`, prints the PAUSED / UNPAUSED / PATH_RENAMED notifications.
 */
export class Member extends Proc {
  notes = false;
  #val: unknown = 0;
  onHit: ((node: Member, tag: string) => void) | null = null;

  hit(tag: string): void {
    this.trace.out(`${this.name}:hit(${tag})@${this.trace.frame}`);
    this.onHit?.(this, tag);
  }

  get val(): unknown {
    return this.#val;
  }

  set val(value: unknown) {
    this.#val = value;
    this.trace.out(`${this.name}:val=${String(value)}@${this.trace.frame}`);
  }

  override _notification(what: number): void {
    super._notification(what);
    const f = this.trace.frame;
    if (what === 9001) this.trace.out(`${this.name}:n9001@${f}`);
    if (!this.notes) return;
    if (what === Node.NOTIFICATION_PATH_RENAMED) this.trace.out(`${this.name}:pathChanged@${f}`);
    else if (what === Node.NOTIFICATION_PAUSED) this.trace.out(`${this.name}:paused@${f}`);
    else if (what === Node.NOTIFICATION_UNPAUSED) this.trace.out(`${this.name}:unpaused@${f}`);
  }
}

/** A member.gd node with processing turned off after its _ready, as the scenarios' `_quiet` hooks do. */
export function quiet(name: string, t: Trace, physics = false, withSignals = false): Member {
  return new Member(name, t, withSignals).hook("ready", (node) => {
    node.setProcess(false);
    node.setPhysicsProcess(physics);
  }) as Member;
}
