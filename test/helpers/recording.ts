import { Node } from "../../src/scene/Node";

/** Collects `"name:hook"` entries so a test can pin the exact order the engine calls things in. */
export class Log {
  entries: string[] = [];

  push(entry: string): void {
    this.entries.push(entry);
  }

  /** Returns what was logged since the last take, and starts afresh. */
  take(): string[] {
    const out = this.entries;
    this.entries = [];
    return out;
  }
}

/** A node that logs its lifecycle virtuals and signals (it does not process). */
export class RecordingNode extends Node {
  constructor(
    name: string,
    readonly events: Log,
    readonly withSignals = false,
  ) {
    super(name);
    if (withSignals) {
      this.on("treeEntered", () => events.push(`${this.name}:treeEntered`));
      this.on("ready", () => events.push(`${this.name}:readySignal`));
      this.on("treeExiting", () => events.push(`${this.name}:treeExiting`));
      this.on("treeExited", () => events.push(`${this.name}:treeExited`));
      this.on("childEnteredTree", (c) => events.push(`${this.name}:childEnteredTree(${c.name})`));
      this.on("childExitingTree", (c) => events.push(`${this.name}:childExitingTree(${c.name})`));
      this.on("childOrderChanged", () => events.push(`${this.name}:childOrderChanged`));
    }
  }

  override _enterTree(): void {
    this.events.push(`${this.name}:enter`);
  }

  override _ready(): void {
    this.events.push(`${this.name}:ready`);
  }

  override _exitTree(): void {
    this.events.push(`${this.name}:exit`);
  }
}

/** A recording node that also processes (it overrides `_process` and `_physicsProcess`). */
export class ProcessingNode extends RecordingNode {
  onProcess?: () => void;
  onPhysics?: () => void;

  override _process(): void {
    this.events.push(`${this.name}:process`);
    this.onProcess?.();
  }

  override _physicsProcess(): void {
    this.events.push(`${this.name}:physics`);
    this.onPhysics?.();
  }
}

export const FRAME = 1 / 60;
