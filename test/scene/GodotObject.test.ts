import { once } from "node:events";
import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { signal, type SignalsOf } from "../../src/core/signals/SignalSet";
import { Callable } from "../../src/scene/Callable";
import { ConnectFlags } from "../../src/scene/GodotObject";
import { UserCallbackError } from "../../src/scene/errors";
import { FRAME } from "../helpers/recording";

const shipSignals = Node.signals.extend({ hit: signal<[damage: number, by: string]>("damage", "by") });

class Ship extends Node<SignalsOf<typeof shipSignals>> {
  static override readonly signals = shipSignals;
  received: string[] = [];
  onHit(damage: number, by: string, extra?: string) {
    this.received.push(`${damage}:${by}${extra ? ":" + extra : ""}`);
  }
}

describe("GodotObject", () => {
  let tree: SceneTree;
  let errors: UserCallbackError[];

  beforeEach(() => {
    errors = [];
    tree = new SceneTree({ onError: (e) => errors.push(e) });
  });

  afterEach(() => tree.finalize());

  describe("#connect", () => {
    it("connects a function and returns a disconnect function", () => {
      const ship = new Ship("Ship");
      const seen: number[] = [];
      const handler = (damage: number) => seen.push(damage);
      const disconnect = ship.connect("hit", handler);
      expect(ship.isConnected("hit", handler)).toBe(true);
      ship.emitSignal("hit", 3, "a");
      disconnect();
      disconnect(); // harmless twice
      ship.emitSignal("hit", 4, "b");
      expect(seen).toEqual([3]);
      expect(ship.isConnected("hit", handler)).toBe(false);
    });

    it("connects a Callable with bound arguments appended after the signal's", () => {
      const ship = new Ship("Ship");
      const target = new Ship("Target");
      ship.connect("hit", new Callable(target, "onHit").bind("bound"));
      ship.emitSignal("hit", 5, "laser");
      expect(target.received).toEqual(["5:laser:bound"]);
      expect(ship.isConnected("hit", new Callable(target, "onHit").bind("bound"))).toBe(true);
      ship.disconnect("hit", new Callable(target, "onHit").bind("bound"));
      ship.emitSignal("hit", 6, "laser");
      expect(target.received).toEqual(["5:laser:bound"]);
    });

    it("refuses to connect the same callable twice", () => {
      const ship = new Ship("Ship");
      const handler = () => undefined;
      ship.connect("hit", handler);
      expect(() => ship.connect("hit", handler)).toThrow(
        expect.objectContaining({ code: "ERR_ALREADY_CONNECTED" }),
      );
    });

    it("ONE_SHOT disconnects before the first call", () => {
      const ship = new Ship("Ship");
      let calls = 0;
      const handler = () => {
        calls++;
        expect(ship.isConnected("hit", handler)).toBe(false);
      };
      ship.connect("hit", handler, ConnectFlags.ONE_SHOT);
      ship.emitSignal("hit", 1, "x");
      ship.emitSignal("hit", 1, "x");
      expect(calls).toBe(1);
    });

    it("DEFERRED calls at the next flush with the emitted arguments", () => {
      const ship = new Ship("Ship");
      tree.root.addChild(ship);
      const seen: string[] = [];
      ship.connect("hit", (d, by) => seen.push(`${d}${by}`), ConnectFlags.DEFERRED);
      ship.emitSignal("hit", 7, "z");
      expect(seen).toEqual([]);
      tree.step(FRAME);
      expect(seen).toEqual(["7z"]);
    });

    it("drops connections to a target when the target is freed", () => {
      const ship = new Ship("Ship");
      const target = new Ship("Target");
      ship.connect("hit", new Callable(target, "onHit"));
      target.free();
      expect(ship.listenerCount("hit")).toBe(0);
      ship.emitSignal("hit", 1, "x");
      expect(target.received).toEqual([]);
    });
  });

  describe("#emit", () => {
    it("reports a throwing handler with the node path, and still runs the other handlers", () => {
      const ship = new Ship("Ship");
      tree.root.addChild(ship);
      const seen: string[] = [];
      ship.connect("hit", () => {
        throw new Error("boom");
      });
      ship.on("hit", () => seen.push("second"));
      ship.emitSignal("hit", 1, "x");
      expect(seen).toEqual(["second"]);
      expect(errors).toHaveLength(1);
      expect(errors[0].nodePath).toBe("/root/Ship");
      expect(errors[0].message).toContain('signal "hit" handler on /root/Ship threw: boom');
    });

    it("works with events.once for await", async () => {
      const ship = new Ship("Ship");
      const waiting = once(ship, "ready");
      tree.root.addChild(ship);
      await expect(waiting).resolves.toEqual([]);
    });
  });

  describe("user errors", () => {
    it("reports a throwing _process once per frame and keeps processing the others", () => {
      const order: string[] = [];
      class Bad extends Node {
        override _process() {
          order.push("bad");
          throw new Error("bad frame");
        }
      }
      class Good extends Node {
        override _process() {
          order.push("good");
        }
      }
      tree.root.addChild(new Bad("Bad"));
      tree.root.addChild(new Good("Good"));
      tree.step(FRAME);
      tree.step(FRAME);
      expect(order).toEqual(["bad", "good", "bad", "good"]);
      expect(errors.map((e) => `${e.callback}@${e.nodePath}`)).toEqual([
        "_process@/root/Bad",
        "_process@/root/Bad",
      ]);
    });

    it("reports a throwing _ready and still readies the rest of the tree", () => {
      class Bad extends Node {
        override _ready() {
          throw new Error("no");
        }
      }
      const parent = new Node("P");
      parent.addChild(new Bad("Bad"));
      tree.root.addChild(parent);
      expect(parent.isNodeReady()).toBe(true);
      expect(errors.map((e) => e.nodePath)).toEqual(["/root/P/Bad"]);
    });

    it("reports a throwing deferred call", () => {
      const node = new Node("N");
      tree.root.addChild(node);
      node.callDeferred(() => {
        throw new Error("later");
      });
      node.callDeferred("noSuchMethod");
      tree.step(FRAME);
      expect(errors.map((e) => e.message)).toEqual([
        "deferred function on /root/N threw: later",
        'deferred noSuchMethod() on /root/N threw: Method "noSuchMethod" does not exist on the target.',
      ]);
    });

    it("throws out of step() with fatalErrors", () => {
      const fatal = new SceneTree({ fatalErrors: true });
      class Bad extends Node {
        override _process() {
          throw new Error("fatal");
        }
      }
      fatal.root.addChild(new Bad("Bad"));
      expect(() => fatal.step(FRAME)).toThrow(UserCallbackError);
      fatal.finalize();
    });
  });
});

describe("GodotObject#emit with several listeners", () => {
  it("runs once-listeners once and lets a listener remove a later one without skipping it this time", () => {
    const tree = new SceneTree();
    const ship = new Ship("Ship");
    const seen: string[] = [];
    const second = () => seen.push("second");
    ship.once("hit", () => seen.push("once"));
    ship.on("hit", () => {
      seen.push("first");
      ship.off("hit", second);
    });
    ship.on("hit", second);
    ship.emitSignal("hit", 1, "x");
    ship.emitSignal("hit", 1, "x");
    // Listeners are copied before the emission, as Node's EventEmitter does.
    expect(seen).toEqual(["once", "first", "second", "first"]);
    tree.finalize();
  });
});

describe("SceneTree signals", () => {
  it("emits nodeAdded and nodeRemoved for every node of a subtree", () => {
    const tree = new SceneTree();
    const seen: string[] = [];
    tree.on("nodeAdded", (n) => seen.push(`+${n.name}`));
    tree.on("nodeRemoved", (n) => seen.push(`-${n.name}`));
    const a = new Node("A");
    a.addChild(new Node("B"));
    tree.root.addChild(a);
    tree.root.removeChild(a);
    expect(seen).toEqual(["+A", "+B", "-B", "-A"]);
    tree.finalize();
  });
});

describe("GodotObject#_emit2 (the per-message path)", () => {
  it("guards one listener and several alike: a throw is reported, the other listeners still run", () => {
    const errors: UserCallbackError[] = [];
    const tree = new SceneTree({ onError: (e) => errors.push(e) });
    const ship = new Ship("Ship");
    tree.root.addChild(ship);
    const seen: string[] = [];
    ship.on("hit", () => {
      throw new Error("first");
    });
    ship._emit2("hit", 1, "x");
    ship.on("hit", (damage, by) => seen.push(`${damage}${by}`));
    ship._emit2("hit", 2, "y");
    expect(seen).toEqual(["2y"]);
    expect(errors.map((e) => e.message)).toEqual([
      'signal "hit" handler on /root/Ship threw: first',
      'signal "hit" handler on /root/Ship threw: first',
    ]);
    tree.finalize();
  });
});
