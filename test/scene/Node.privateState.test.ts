import { Node, ProcessMode } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { GodotObject } from "../../src/scene/GodotObject";
import { nodeData } from "../../src/scene/node/data";

const FRAME = 1 / 60;

/**
 * A user class that declares a field under every name the engine once kept on the node itself, and
 * scribbles over all of them every frame. The engine's state lives elsewhere, so nothing may notice.
 */
class Squatter extends Node {
  static order: string[] = [];
  _tree: unknown = "not a tree";
  _parent: unknown = null;
  _children: unknown = [];
  _index: unknown = 99;
  _indexOffset: unknown = -3;
  _depth: unknown = 0;
  _name: unknown = "Impostor";
  _childrenByName: unknown = new Map();
  _owner: unknown = null;
  _owned: unknown = null;
  _groups: unknown = null;
  _blocked: unknown = 1_000;
  _processMode: unknown = ProcessMode.DISABLED;
  _processPriority: unknown = -1e9;
  _physicsPriority: unknown = -1e9;
  _processEnabled: unknown = false;
  _physicsEnabled: unknown = false;
  _effectiveMode: unknown = ProcessMode.DISABLED;
  _modeEpoch: unknown = -7;
  _idlePlanIndex: unknown = 0;
  _readyFirst: unknown = true;
  _readyNotified: unknown = false;
  _freeing: unknown = true;
  _freed: unknown = true;
  _queuedForDeletion: unknown = true;
  _uniqueNameInOwner: unknown = true;
  _setTree: unknown = "no";
  _guard: unknown = "no";
  _describe: unknown = "no";
  _context: unknown = "no";
  _tryContext: unknown = "no";
  _emitNoArgs: unknown = "no";
  _emitChild: unknown = "no";
  _position: unknown = "no";
  frames = 0;

  override _process(): void {
    this.frames++;
    Squatter.order.push(this.name);
    this.scribble();
  }

  override _physicsProcess(): void {
    this.scribble();
  }

  scribble(): void {
    const self = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(self)) {
      if (key.startsWith("_")) self[key] = this.frames % 2 === 0 ? null : { junk: this.frames };
    }
  }
}

describe("Node: engine state is private", () => {
  let tree: SceneTree;

  beforeEach(() => {
    tree = new SceneTree();
    Squatter.order = [];
  });

  afterEach(() => tree.finalize());

  it("fields named like every former internal leave the tree, process order, groups and lookups intact", () => {
    const a = new Squatter("A");
    const b = new Squatter("B");
    const c = new Squatter("C");
    a.processPriority = 2;
    b.processPriority = 1;
    a.addToGroup("squatters");
    c.addToGroup("squatters");
    tree.root.addChild(a);
    tree.root.addChild(b);
    a.addChild(c);
    c.owner = a;
    c.uniqueNameInOwner = true;

    for (let i = 0; i < 5; i++) tree.step(FRAME);

    // Process order by priority: C (0), B (1), A (2).
    expect(Squatter.order.slice(0, 3)).toEqual(["C", "B", "A"]);
    expect(a.frames).toBe(5);
    expect(b.frames).toBe(5);
    expect(c.frames).toBe(5);
    // Tree shape and names.
    expect(a.getParent()).toBe(tree.root);
    expect(c.getParent()).toBe(a);
    expect(a.getChildren()).toEqual([c]);
    expect(b.getIndex()).toBe(1);
    expect(c.getPath()).toBe("/root/A/C");
    expect(a.name).toBe("A");
    expect(a.isInsideTree()).toBe(true);
    expect(a.getTree()).toBe(tree);
    expect(a.owner).toBeNull();
    expect(c.owner).toBe(a);
    // Lookups.
    expect(tree.root.getNode("A/C")).toBe(c);
    expect(c.getNode("/root/B")).toBe(b);
    expect(a.getNode("%C")).toBe(c);
    expect(a.findChild("C")).toBe(c);
    // Groups.
    expect(tree.getNodesInGroup("squatters")).toEqual([a, c]);
    expect(c.isInGroup("squatters")).toBe(true);
    // Processing and state.
    expect(a.processMode).toBe(ProcessMode.INHERIT);
    expect(a.canProcess()).toBe(true);
    expect(a.isProcessing()).toBe(true);
    expect(a.isInstanceValid()).toBe(true);
    expect(a.isQueuedForDeletion()).toBe(false);
    expect(a.isNodeReady()).toBe(true);

    // Pausing, moving and freeing still work on the engine's own state.
    tree.paused = true;
    tree.step(FRAME);
    expect(a.frames).toBe(5);
    tree.paused = false;
    c.reparent(b);
    expect(b.getNode("C")).toBe(c);
    a.queueFree();
    tree.step(FRAME);
    expect(a.isInstanceValid()).toBe(false);
    expect(tree.root.getChildren()).toEqual([b]);
    expect(tree.getNodesInGroup("squatters")).toEqual([c]);
  });

  it("the engine's record is reached through nodeData(), not the object's own names", () => {
    const node = new Squatter("N");
    tree.root.addChild(node);
    const data = nodeData(node);
    expect(data.name).toBe("N");
    expect(data.parent).toBe(tree.root);
    expect(data.depth).toBe(2);
    expect(Object.keys(node).filter((k) => k.startsWith("_")).length).toBeGreaterThan(20);
    // The record is not an enumerable string key: JSON and Object.keys see the user's fields only.
    expect(Object.keys(new Node("Plain"))).toEqual([]);
  });

  it("a GodotObject subclass may name fields _freed, _describe and _queuedForDeletion", () => {
    class Thing extends GodotObject {
      _freed = "mine";
      _describe = "mine";
      _queuedForDeletion = "mine";
    }
    const thing = new Thing();
    expect(thing.isInstanceValid()).toBe(true);
    thing.free();
    expect(thing.isInstanceValid()).toBe(false);
    expect(thing._freed).toBe("mine");
  });
});
