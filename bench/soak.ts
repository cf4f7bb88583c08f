/**
 * Heap over a long soak: the engine churning for many frames on the fake clock (deferred calls every
 * frame, createTimer, spawned children with Timers, queueFree, nodes removed and re-added, tweens). The
 * heap after a full GC is sampled at the first quarter and at the end; a leak shows as growth. This is
 * a figure of the machine's GC as much as of the engine, so it lives here, not in a unit test.
 *
 *   npx tsx bench/soak.ts [--quick]
 */
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { Node, SceneTree, TestClock, Timer } from "scenetree";
import { formatTable } from "./measure";

const FRAME_MS = 80;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

class Churn extends Node {
  private frame = 0;
  private parked: Node | null = null;
  work = 0;

  override _process(): void {
    this.frame++;
    this.callDeferred(() => this.work++);
    const tree = this.getTree();
    if (this.frame % 7 === 0)
      tree.createTimer(0.1 + (this.frame % 30) / 10).connect("timeout", () => this.work++);
    if (this.frame % 5 === 0) {
      const target = { v: 0 };
      this.createTween()
        .tweenProperty(target, "v", 1, 0.3)
        .connect("finished", () => this.work++);
    }
    if (this.frame % 11 === 0) {
      const child = new Node(`Spawn${this.frame}`);
      const timer = Object.assign(new Timer("T"), { waitTime: 0.2, autostart: true });
      timer.connect("timeout", () => this.work++);
      child.addChild(timer);
      this.addChild(child);
    }
    if (this.frame % 11 === 5 && this.getChildCount() > 8) this.getChild(0)!.queueFree();
    if (this.frame % 17 === 0) {
      if (this.parked) {
        this.callDeferred("addChild", this.parked);
        this.parked = null;
      } else if (this.getChildCount() > 2) {
        const child = this.getChild(1)!;
        this.removeChild(child);
        this.parked = child;
      }
    }
  }

  override _exitTree(): void {
    this.parked?.free();
    this.parked = null;
  }
}

export interface SoakResult {
  frames: number;
  firstQuarterMB: number;
  endMB: number;
  growth: number;
  seconds: number;
}

export function main(options: { quick?: boolean; tiny?: boolean } = {}): SoakResult {
  const frames = options.tiny ? 5_000 : options.quick ? 200_000 : 1_080_000;
  const clock = new TestClock();
  const tree = new SceneTree({ clock });
  tree.root.addChild(new Churn("Churn"));
  const running = tree.run({ fps: 1000 / FRAME_MS });
  const chunk = 1000;
  const chunks = Math.ceil(frames / chunk);
  const started = process.hrtime.bigint();
  let first = 0;
  for (let i = 0; i < chunks; i++) {
    clock.advance(chunk * FRAME_MS);
    if (i === Math.floor(chunks / 4)) first = heapAfterGc();
  }
  const end = heapAfterGc();
  if (tree.getFrame() < frames) throw new Error(`soak bench: ran ${tree.getFrame()} of ${frames} frames`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  tree.quit(0);
  clock.advance(1000);
  void running;
  return { frames, firstQuarterMB: first / 1e6, endMB: end / 1e6, growth: (end - first) / first, seconds };
}

export function report(r: SoakResult): string {
  return formatTable(
    ["scenario", "frames", "heap at 1/4 (MB)", "heap at end (MB)", "growth", "run (s)"],
    [
      [
        `soak, ${((r.frames * FRAME_MS) / 3_600_000).toFixed(1)} h of tree time`,
        r.frames.toLocaleString("en-US"),
        r.firstQuarterMB,
        r.endMB,
        `${(r.growth * 100).toFixed(2)}%`,
        r.seconds,
      ],
    ],
  );
}

if (require.main === module) console.log(report(main({ quick: process.argv.includes("--quick") })));
