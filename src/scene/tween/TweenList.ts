import type { TreeContext } from "../context";
import { ATTACH, CAN_PROCESS, CLEAR, STEP_FRAME } from "./internal";
import { Tween } from "./Tween";

/** The tweens a SceneTree steps, in creation order (Godot's `SceneTree::tweens`). */
export class TweenList {
  private tweens: Tween[] = [];

  constructor(private readonly tree: TreeContext) {}

  create(): Tween {
    const tween = new Tween();
    tween[ATTACH](this.tree);
    this.tweens.push(tween);
    return tween;
  }

  /**
   * Every tween in the list, in creation order. As in Godot, a tween that finished or was killed stays
   * (valid) until its next step discards it.
   */
  snapshot(): Tween[] {
    return this.tweens.slice();
  }

  /**
   * Godot's `SceneTree::process_tweens`: steps every tween of this kind of step that may process, and
   * discards the ones that are done. Tweens created meanwhile wait for the next step. `tree.paused` is
   * read for each tween, as Godot reads the tree's flag: a callback that pauses the tree holds the tweens
   * after it in the same pass.
   */
  process(scaled: number, unscaled: number, physics: boolean, tree: { readonly paused: boolean }): void {
    const tweens = this.tweens;
    const count = tweens.length;
    if (count === 0) return;
    let discarded = false;
    for (let i = 0; i < count; i++) {
      const tween = tweens[i];
      if (!tween[CAN_PROCESS](tree.paused, physics)) continue;
      if (!tween[STEP_FRAME](scaled, unscaled)) {
        tween[CLEAR]();
        discarded = true;
      }
    }
    if (discarded) this.tweens = this.tweens.filter((tween) => tween.isValid());
  }

  /** Godot's `SceneTree::finalize`: every tween is cleared, so none stays valid or takes more steps. */
  clear(): void {
    const tweens = this.tweens;
    this.tweens = [];
    for (const tween of tweens) tween[CLEAR]();
  }
}
