import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { TestClock } from "../../src/core/clock";
import { EventEmitter } from "node:events";
import { signal, type SignalsOf } from "../../src/core/signals/SignalSet";
import { Timer } from "../../src/nodes/Timer";
import { toSignal } from "../../src/scene/toSignal";
import type { GodotObject } from "../../src/scene/GodotObject";

/** Counts a 0.1 s createTimer wait at a time, in an endless await loop, as GDScript's `await` idiom. */
class Ticker extends Node {
  ticks = 0;
  override async _ready(): Promise<void> {
    for (;;) {
      await toSignal(this.getTree().createTimer(0.1), "timeout");
      this.ticks++;
    }
  }
}

const shipSignals = Node.signals.extend({ hit: signal<[damage: number, by: string]>("damage", "by") });
class Ship extends Node<SignalsOf<typeof shipSignals>> {
  static override readonly signals = shipSignals;
}

describe("toSignal", () => {
  it("is typed by the signals the class declares: their arguments, and no misspelt name", async () => {
    const ship = new Ship("S");
    const hit = toSignal(ship, "hit");
    ship.emitSignal("hit", 3, "pirate");
    const [damage, by]: [number, string] = await hit; // no cast
    expect([damage, by]).toEqual([3, "pirate"]);
    // @ts-expect-error a signal Ship does not declare
    void toSignal(ship, "hitt").catch(() => undefined);
    const timer = new Timer("T");
    const timeout: Promise<[]> = toSignal(timer, "timeout");
    const emitter = new EventEmitter();
    const any: Promise<unknown[]> = toSignal(emitter, "anything");
    emitter.emit("anything", 1);
    await expect(any).resolves.toEqual([1]);
    void timeout;
    timer.free();
    ship.free();
  });

  it("resolves with the signal's arguments", async () => {
    // A user signal is untyped: the node's type knows only the signals its class declares.
    const node = new Node("N");
    node.addUserSignal("hit");
    const waiting = toSignal(node as GodotObject, "hit"); // the untyped view a user signal needs
    (node.emitSignal as (signal: string, ...args: unknown[]) => void).call(node, "hit", 1, "two");
    await expect(waiting).resolves.toEqual([1, "two"]);
  });

  it("resumes an await loop between frames when the clock is advanced with advanceAsync", async () => {
    const clock = new TestClock();
    const tree = new SceneTree({ clock });
    const ticker = new Ticker("T");
    tree.root.addChild(ticker);
    void tree.run({ fps: 60 });
    await clock.advanceAsync(1000);
    // A wait starts in the frame after the last one resumed: 7 frames of 1/60 s each, 8 waits a second.
    expect(ticker.ticks).toBe(Math.floor(60 / 7));
    tree.quit();
    await clock.advanceAsync(100);
  });
});
