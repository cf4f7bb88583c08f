import { once } from "node:events";
import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { signal, type SignalsOf } from "../../src/core/signals/SignalSet";
import { Callable } from "../../src/scene/Callable";
import { ConnectFlags, GodotObject, emit2 } from "../../src/scene/GodotObject";
import { UserCallbackError } from "../../src/core/errors";
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

    it("disconnects a bound or unbound connection by the plain Callable of its method, as Godot does", () => {
      const ship = new Ship("Ship");
      const target = new Ship("Target");
      ship.connect("hit", new Callable(target, "onHit").bind("bound"));
      ship.connect("hit", new Callable(target, "onHit").unbind(1).bind("x"));
      ship.disconnect("hit", new Callable(target, "onHit")); // the first of that method goes
      expect(ship.isConnected("hit", new Callable(target, "onHit").bind("bound"))).toBe(false);
      expect(ship.isConnected("hit", new Callable(target, "onHit").unbind(1).bind("x"))).toBe(true);
      ship.disconnect("hit", new Callable(target, "onHit"));
      expect(ship.getSignalConnectionList("hit")).toHaveLength(0);
      expect(() => ship.disconnect("hit", new Callable(target, "onHit"))).toThrow(
        expect.objectContaining({ code: "ERR_NOT_CONNECTED" }),
      );
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

    it("set / get reach fields and accessors by name; not methods, read-only accessors or absent names", () => {
      class Thing extends GodotObject {
        level = 1;
        callback: (() => string) | null = () => "cb";
        #hp = 5;
        get hp(): number {
          return this.#hp;
        }
        set hp(value: number) {
          this.#hp = value;
        }
        get readOnly(): string {
          return "fixed";
        }
        act(): string {
          return "acted";
        }
      }
      const thing = new Thing();
      expect(thing.set("level", 2)).toBe(true);
      expect(thing.level).toBe(2);
      expect(thing.set("hp", 9)).toBe(true);
      expect(thing.get("hp")).toBe(9);
      expect(thing.get("level")).toBe(2);
      expect(thing.get("callback")).toBe(thing.callback); // a function in a field is a property
      expect(thing.set("readOnly", "x")).toBe(false);
      expect(thing.get("readOnly")).toBe("fixed");
      expect(thing.set("act", 1)).toBe(false); // a method is not a property
      expect(thing.act()).toBe("acted");
      expect(thing.get("act")).toBeNull();
      expect(thing.set("nope", 1)).toBe(false);
      expect(thing.get("nope")).toBeNull();
      expect(thing.get("toString")).toBeNull(); // Object.prototype's are not the object's
      thing.free();
      expect(() => thing.set("level", 3)).toThrow(expect.objectContaining({ code: "ERR_FREED" }));
    });

    it("setDeferred sets a property at the next flush, after calls deferred before it; an unknown one is left alone", () => {
      class Holder extends Node {
        level = 1;
      }
      const node = new Holder("H");
      tree.root.addChild(node);
      const seen: number[] = [];
      node.callDeferred(() => seen.push(node.level));
      node.setDeferred("level", 2);
      node.callDeferred(() => seen.push(node.level));
      node.setDeferred("noSuchProperty", 3);
      expect(node.level).toBe(1);
      tree.step(FRAME);
      expect(seen).toEqual([1, 2]);
      expect("noSuchProperty" in node).toBe(false);
      expect(errors).toEqual([]);
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
    emit2(ship, "hit", 1, "x");
    ship.on("hit", (damage, by) => seen.push(`${damage}${by}`));
    emit2(ship, "hit", 2, "y");
    expect(seen).toEqual(["2y"]);
    expect(errors.map((e) => e.message)).toEqual([
      'signal "hit" handler on /root/Ship threw: first',
      'signal "hit" handler on /root/Ship threw: first',
    ]);
    tree.finalize();
  });
});

describe("GodotObject connections, as Godot 4's object.cpp makes them", () => {
  let tree: SceneTree;
  let errors: UserCallbackError[];

  beforeEach(() => {
    errors = [];
    tree = new SceneTree({ onError: (e) => errors.push(e) });
  });

  afterEach(() => tree.finalize());

  test("a ONE_SHOT connection runs once even when a handler emits the signal again", () => {
    const ship = new Ship("Ship");
    const seen: string[] = [];
    ship.connect("hit", (d) => {
      seen.push(`plain:${d}`);
      if (d === 1) ship.emitSignal("hit", 2, "again");
    });
    ship.connect("hit", (d) => seen.push(`once:${d}`), ConnectFlags.ONE_SHOT);
    ship.emitSignal("hit", 1, "first");
    ship.emitSignal("hit", 3, "third");
    expect(seen).toEqual(["plain:1", "plain:2", "once:1", "plain:3"]);
  });

  test("REFERENCE_COUNTED: connecting again counts up, each disconnect counts down", () => {
    const ship = new Ship("Ship");
    let calls = 0;
    const handler = () => calls++;
    ship.connect("hit", handler, ConnectFlags.REFERENCE_COUNTED);
    ship.connect("hit", handler, ConnectFlags.REFERENCE_COUNTED);
    ship.emitSignal("hit", 1, "x");
    expect(calls).toBe(1); // one connection, counted twice
    ship.disconnect("hit", handler);
    expect(ship.isConnected("hit", handler)).toBe(true);
    ship.disconnect("hit", handler);
    expect(ship.isConnected("hit", handler)).toBe(false);
    expect(() => ship.disconnect("hit", handler)).toThrow(
      expect.objectContaining({ code: "ERR_NOT_CONNECTED" }),
    );
  });

  test("any number of connections; each runs", () => {
    const ship = new Ship("Ship");
    let calls = 0;
    for (let i = 0; i < 25; i++) ship.connect("hit", () => calls++);
    ship.emitSignal("hit", 1, "x");
    expect(calls).toBe(25);
    expect(ship.getSignalConnectionList("hit")).toHaveLength(25);
  });

  test("connecting to, emitting or listening to a signal the class does not have is ERR_NO_SUCH_SIGNAL", () => {
    const ship = new Ship("Ship");
    const noSuchSignal = expect.objectContaining({ code: "ERR_NO_SUCH_SIGNAL" });
    // @ts-expect-error "redy" is not a signal of Ship
    expect(() => ship.connect("redy", () => undefined)).toThrow(noSuchSignal);
    // @ts-expect-error not a signal of Ship
    expect(() => ship.connect("redy", () => undefined)).toThrow(/Did you mean "ready"/);
    // @ts-expect-error not a signal of Ship
    expect(() => ship.emitSignal("boom")).toThrow(noSuchSignal);
    // @ts-expect-error not a signal of Ship
    expect(() => ship.on("boom", () => undefined)).toThrow(noSuchSignal);
    // @ts-expect-error not a signal of Ship
    expect(() => ship.isConnected("boom", () => undefined)).toThrow(noSuchSignal);
    // A class that forgets to declare: the message says how.
    class Undeclared extends Node {}
    expect(() => (new Undeclared() as unknown as Ship).connect("hit", () => undefined)).toThrow(
      /static override readonly signals = Node\.signals\.extend/,
    );
  });

  test("a subclass has its parent's signals and adds its own", () => {
    const cruiserSignals = Ship.signals.extend({ docked: signal<[port: string]>("port") });
    class Cruiser extends Node<SignalsOf<typeof cruiserSignals>> {
      static override readonly signals = cruiserSignals;
    }
    const cruiser = new Cruiser("C");
    const seen: string[] = [];
    cruiser.connect("hit", (d, by) => seen.push(`hit ${d} ${by}`));
    cruiser.connect("docked", (port) => seen.push(`docked ${port}`));
    cruiser.emitSignal("hit", 1, "x");
    cruiser.emitSignal("docked", "Brest");
    expect(seen).toEqual(["hit 1 x", "docked Brest"]);
    expect(cruiser.hasSignal("ready") && cruiser.hasSignal("hit") && cruiser.hasSignal("docked")).toBe(true);
    expect(new Ship().hasSignal("docked")).toBe(false);
    expect(cruiser.getSignalList().map((s) => s.name)).toEqual([
      "docked",
      "hit",
      "ready",
      "treeEntered",
      "treeExiting",
      "treeExited",
      "childEnteredTree",
      "childExitingTree",
      "childOrderChanged",
      "renamed",
      "replacingBy",
    ]);
  });

  test("Signals, as Godot's test_object: user signals, connection lists, freeing disconnects", () => {
    const object = new Ship("Object");
    expect(object.hasSignal("myCustomSignal")).toBe(false);
    const before = object.getSignalList().length;
    object.addUserSignal("myCustomSignal", ["value"]);
    expect(object.hasSignal("myCustomSignal")).toBe(true);
    expect(object.hasUserSignal("myCustomSignal")).toBe(true);
    expect(object.getSignalList()).toHaveLength(before + 1);
    expect(object.getSignalList().at(-1)).toEqual({ name: "myCustomSignal", args: [{ name: "value" }] });

    // Adding it again, adding a class signal, adding "": refused (as misuse), and nothing changes.
    expect(() => object.addUserSignal("myCustomSignal")).toThrow(
      expect.objectContaining({ code: "ERR_SIGNAL_EXISTS" }),
    );
    expect(() => object.addUserSignal("ready")).toThrow(
      expect.objectContaining({ code: "ERR_SIGNAL_EXISTS" }),
    );
    expect(() => object.addUserSignal("")).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    expect(object.getSignalList()).toHaveLength(before + 1);

    // User signals are reached through the untyped view of the object.
    const dynamic = object as GodotObject;
    const seen: unknown[] = [];
    dynamic.connect("myCustomSignal", (value: unknown) => seen.push(value));
    expect(dynamic.emitSignal("myCustomSignal", 42)).toBe(true);
    expect(seen).toEqual([42]);

    // Deleting an object with connected signals disconnects them, both ways.
    const target = new Ship("Target");
    target.addUserSignal("myCustomSignal");
    (target as GodotObject).connect("myCustomSignal", new Callable(object, "onHit"));
    expect(object.getIncomingConnections()).toHaveLength(1);
    object.connect("hit", new Callable(target, "onHit"));
    expect(object.getSignalConnectionList("hit")).toEqual([
      { source: object, signal: "hit", callable: new Callable(target, "onHit"), flags: 0 },
    ]);
    expect(target.getIncomingConnections()).toEqual([
      { source: object, signal: "hit", callable: new Callable(target, "onHit"), flags: 0 },
    ]);
    target.free();
    expect(object.getSignalConnectionList("hit")).toEqual([]);
    expect(object.getIncomingConnections()).toEqual([]);

    // Emitting a signal that does not exist is an error; an existing one with no connection is not.
    expect(() => dynamic.emitSignal("someSignal")).toThrow(
      expect.objectContaining({ code: "ERR_NO_SUCH_SIGNAL" }),
    );
    expect(object.emitSignal("hit", 1, "x")).toBe(false);

    // Connecting and then disconnecting many leaves nothing behind.
    const targets = Array.from({ length: 100 }, (_, i) => new Ship(`T${i}`));
    for (let round = 0; round < 10; round++) {
      for (const t of targets) {
        try {
          object.connect("hit", new Callable(t, "onHit"));
        } catch (error) {
          expect(error).toMatchObject({ code: "ERR_ALREADY_CONNECTED" });
        }
      }
      expect(object.getSignalConnectionList("hit")).toHaveLength(100);
    }
    for (const t of targets) object.disconnect("hit", new Callable(t, "onHit"));
    expect(object.getSignalConnectionList("hit")).toHaveLength(0);
    expect(targets.every((t) => t.getIncomingConnections().length === 0)).toBe(true);

    object.removeUserSignal("myCustomSignal");
    expect(object.hasSignal("myCustomSignal")).toBe(false);
    expect(() => object.removeUserSignal("ready")).toThrow(
      expect.objectContaining({ code: "ERR_NO_SUCH_SIGNAL" }),
    );
  });

  test("a target freed during an emission is skipped, not called", () => {
    const ship = new Ship("Ship");
    const victim = new Ship("Victim");
    ship.connect("hit", () => victim.free());
    ship.connect("hit", new Callable(victim, "onHit"));
    ship.emitSignal("hit", 1, "x");
    expect(victim.received).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("connecting to a freed target's callable is ERR_FREED", () => {
    const ship = new Ship("Ship");
    const gone = new Ship("Gone");
    gone.free();
    expect(() => ship.connect("hit", new Callable(gone, "onHit"))).toThrow(
      expect.objectContaining({ code: "ERR_FREED" }),
    );
  });

  test("APPEND_SOURCE_OBJECT passes the emitter after the signal's arguments, before bound ones", () => {
    const ship = new Ship("Ship");
    const target = new Ship("Target");
    const calls: unknown[][] = [];
    (target as unknown as { record: (...a: unknown[]) => void }).record = (...args) => calls.push(args);
    ship.connect("hit", new Callable(target, "record").bind("bound"), ConnectFlags.APPEND_SOURCE_OBJECT);
    ship.connect(
      "hit",
      (...args: unknown[]) => calls.push(["fn", ...args]),
      ConnectFlags.APPEND_SOURCE_OBJECT,
    );
    tree.root.addChild(ship);
    ship.connect(
      "hit",
      (...args: unknown[]) => calls.push(["deferred", ...args]),
      ConnectFlags.APPEND_SOURCE_OBJECT | ConnectFlags.DEFERRED,
    );
    ship.emitSignal("hit", 1, "x");
    tree.step(FRAME);
    expect(calls).toEqual([
      [1, "x", ship, "bound"],
      ["fn", 1, "x", ship],
      ["deferred", 1, "x", ship],
    ]);
  });

  test("APPEND_SOURCE_OBJECT with unbind: the unbinds drop the signal's arguments, never the source", () => {
    const ship = new Ship("Ship");
    const target = new Ship("Target");
    const calls: unknown[][] = [];
    (target as unknown as { record: (...a: unknown[]) => void }).record = (...args) => calls.push(args);
    ship.connect(
      "hit",
      new Callable(target, "record").bind("b").unbind(1),
      ConnectFlags.APPEND_SOURCE_OBJECT,
    );
    ship.emitSignal("hit", 1, "x");
    expect(calls).toEqual([[1, ship, "b"]]);
  });

  test("a disconnect function works once, even for a reference-counted connection", () => {
    const ship = new Ship("Ship");
    const handler = () => undefined;
    const first = ship.connect("hit", handler, ConnectFlags.REFERENCE_COUNTED);
    ship.connect("hit", handler, ConnectFlags.REFERENCE_COUNTED);
    first();
    first();
    expect(ship.isConnected("hit", handler)).toBe(true);
  });
});
