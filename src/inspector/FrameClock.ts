import type { SceneTree } from "../scene/SceneTree";
import { markOwn } from "./ownListeners";

/** Frame times kept between two reads; frames beyond it are counted but not timed. */
export const MAX_FRAME_TIMES = 240;

/**
 * Measures the frames a tree runs, through its public `physicsFrame` and `processFrame` signals: a
 * frame starts at the first of them and ends when the code that stepped it returns (a microtask
 * queued at the start runs then, as no microtask runs inside a synchronous `step()`). Listens only
 * while it exists; a tree without it pays nothing.
 */
export class FrameClock {
  private frameStart = -1;
  private times: number[] = [];
  private readonly recent: number[] = [];

  private readonly onFrameSignal = markOwn((): void => {
    if (this.frameStart >= 0) return;
    this.frameStart = performance.now();
    queueMicrotask(this.endFrame);
  });

  private readonly endFrame = (): void => {
    const now = performance.now();
    if (this.times.length < MAX_FRAME_TIMES)
      this.times.push(Math.round((now - this.frameStart) * 1000) / 1000);
    this.recent.push(now);
    this.frameStart = -1;
  };

  constructor(private readonly tree: SceneTree) {
    tree.on("physicsFrame", this.onFrameSignal);
    tree.on("processFrame", this.onFrameSignal);
  }

  dispose(): void {
    this.tree.off("physicsFrame", this.onFrameSignal);
    this.tree.off("processFrame", this.onFrameSignal);
  }

  /** Milliseconds each frame took since the last call. */
  takeTimes(): number[] {
    const times = this.times;
    this.times = [];
    return times;
  }

  /** Frames that ended within the last second of wall time. */
  fps(): number {
    const cutoff = performance.now() - 1000;
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop] < cutoff) drop++;
    if (drop > 0) this.recent.splice(0, drop);
    return this.recent.length;
  }
}
