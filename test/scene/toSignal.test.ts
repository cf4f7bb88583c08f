import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { TestClock } from "../../src/core/clock";
import { toSignal } from "../../src/scene/toSignal";

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

describe("toSignal", () => {
  it("resolves with the signal's arguments", async () => {
    // A user signal is untyped: the node's type knows only the signals its class declares.
    const node = new Node("N");
    node.addUserSignal("hit");
    const waiting = toSignal(node, "hit");
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
