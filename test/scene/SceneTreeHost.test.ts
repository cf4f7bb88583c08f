import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { SceneTreeHost } from "../../src/scene/SceneTreeHost";
import { hostOf } from "../../src/scene/node/data";
import type { UserCallbackError } from "../../src/core/errors";

const FRAME = 1 / 60;

function hostOfTree(tree: SceneTree): SceneTreeHost {
  const host = hostOf(tree.root);
  expect(host).toBeInstanceOf(SceneTreeHost);
  return host as SceneTreeHost;
}

class Ticker extends Node {
  ticks = 0;
  onProcess: (() => void) | null = null;
  override _process(): void {
    this.ticks++;
    this.onProcess?.();
  }
}

describe("SceneTreeHost", () => {
  let tree: SceneTree;
  beforeEach(() => {
    tree = new SceneTree();
  });
  afterEach(() => tree.finalize());

  test("a tree makes its process lists only when a node first processes, and steps without them", () => {
    const host = hostOfTree(tree);
    tree.root.addChild(new Node("Idle"));
    tree.step(FRAME);
    expect(host.idleList).toBeNull();
    expect(host.physicsList).toBeNull();
    expect(host.snapshot(false)).toEqual([]);

    const ticker = new Ticker("Ticker");
    tree.root.addChild(ticker);
    tree.step(FRAME);
    expect(host.idleList).not.toBeNull();
    expect(host.physicsList).toBeNull(); // no _physicsProcess: no physics list either
    expect(host.snapshot(false)).toEqual([ticker]);
    expect(ticker.ticks).toBe(1);

    ticker.setProcess(false);
    expect(host.snapshot(false)).toEqual([]);
  });

  test("a node removed during a pass counts as removed for the rest of that pass only", () => {
    const host = hostOfTree(tree);
    const first = new Ticker("First");
    const second = new Ticker("Second");
    tree.root.addChild(first);
    tree.root.addChild(second);
    const seen: boolean[] = [];
    first.onProcess = () => {
      tree.root.removeChild(second);
      seen.push(host.removedNow(second), host.isPresent(second));
    };
    tree.step(FRAME);
    expect(seen).toEqual([true, false]);
    expect(second.ticks).toBe(0);
    expect(host.removedNow(second)).toBe(false); // the pass ended: the set was cleared
    second.free();
  });

  test("added, renamed and removed nodes reach the tree's signals in order; removing the current scene clears it", () => {
    const log: string[] = [];
    tree.connect("nodeAdded", (node) => log.push(`added ${node.name}`));
    tree.connect("nodeRenamed", (node) => log.push(`renamed ${node.name}`));
    tree.connect("nodeRemoved", (node) => log.push(`removed ${node.name}`));
    const scene = new Node("Level");
    tree.root.addChild(scene);
    tree.currentScene = scene;
    scene.name = "Level2";
    tree.root.removeChild(scene);
    expect(log).toEqual(["added Level", "renamed Level2", "removed Level2"]);
    expect(tree.currentScene).toBeNull();
    scene.free();
  });

  test("errors reported through the host reach the tree's onError with the tree", () => {
    const reports: Array<[string, SceneTree]> = [];
    const own = new SceneTree({
      onError: (error: UserCallbackError, from: SceneTree) => reports.push([error.message, from]),
    });
    const ticker = new Ticker("Bad");
    ticker.onProcess = () => {
      throw new Error("boom");
    };
    own.root.addChild(ticker);
    own.step(FRAME);
    expect(reports).toHaveLength(1);
    expect(reports[0][0]).toContain("boom");
    expect(reports[0][1]).toBe(own);
    own.finalize();
  });
});
