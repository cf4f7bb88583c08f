import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { Callable } from "../../src/scene/Callable";
import { ConnectFlags, emit2 } from "../../src/scene/GodotObject";
import { UserCallbackError } from "../../src/core/errors";
import { Timer } from "../../src/nodes/Timer";
import { signal, type SignalsOf } from "../../src/core/signals/SignalSet";
import { FRAME } from "../helpers/recording";

/** Lets every pending promise reaction run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const fail = async (message: string): Promise<never> => {
  await null;
  throw new Error(message);
};

const probeSignals = Node.signals.extend({ hit: signal<[damage: number]>("damage") });

class Probe extends Node<SignalsOf<typeof probeSignals>> {
  static override readonly signals = probeSignals;
  async failLater(): Promise<void> {
    await fail("method");
  }
}

/** Every report as `callback@path: message`. */
function described(errors: UserCallbackError[]): string[] {
  return errors.map((e) => `${e.callback}@${e.nodePath}: ${(e.cause as Error).message}`);
}

describe("a rejected promise from user code is reported exactly like a throw", () => {
  let tree: SceneTree;
  let errors: UserCallbackError[];

  beforeEach(() => {
    errors = [];
    tree = new SceneTree({ onError: (e) => errors.push(e) });
  });

  afterEach(() => tree.finalize());

  test("async _enterTree, _ready and _exitTree: once each, with the node's path; the tree goes on", async () => {
    class Bad extends Node {
      override async _enterTree() {
        await fail("enter");
      }
      override async _ready() {
        await fail("ready");
      }
      override async _exitTree() {
        await fail("exit");
      }
    }
    const processed: number[] = [];
    class Good extends Node {
      override _process() {
        processed.push(tree.getFrame());
      }
    }
    const bad = new Bad("Bad");
    tree.root.addChild(bad);
    tree.root.addChild(new Good("Good"));
    await settle();
    expect(described(errors)).toEqual(["_enterTree@/root/Bad: enter", "_ready@/root/Bad: ready"]);
    tree.root.removeChild(bad);
    await settle();
    expect(described(errors).slice(2)).toEqual(["_exitTree@/root/Bad: exit"]);
    tree.step(FRAME);
    tree.step(FRAME);
    expect(processed).toEqual([0, 1]);
    bad.free();
  });

  test("async _process and _physicsProcess: each rejection, once, frame after frame", async () => {
    class Bad extends Node {
      override async _process() {
        await fail("idle");
      }
      override async _physicsProcess() {
        await fail("physics");
      }
    }
    tree.root.addChild(new Bad("Bad"));
    tree.step(FRAME);
    await settle();
    tree.step(FRAME);
    await settle();
    expect(described(errors)).toEqual([
      "_physicsProcess@/root/Bad: physics",
      "_process@/root/Bad: idle",
      "_physicsProcess@/root/Bad: physics",
      "_process@/root/Bad: idle",
    ]);
  });

  test("async signal handlers: functions, Callables, the per-message path; the other handlers still run", async () => {
    const probe = new Probe("Probe");
    tree.root.addChild(probe);
    const ran: string[] = [];
    probe.connect("hit", async (damage) => {
      await fail(`fn ${damage}`);
    });
    probe.connect("hit", new Callable(probe, "failLater"));
    probe.connect("hit", () => ran.push("sync"));
    probe.emitSignal("hit", 1);
    await settle();
    expect(described(errors)).toEqual([
      'signal "hit" handler@/root/Probe: fn 1',
      'signal "hit" handler@/root/Probe: method',
    ]);
    expect(ran).toEqual(["sync"]);

    const lone = new Probe("Lone");
    tree.root.addChild(lone);
    lone.connect("hit", async () => fail("fast path"));
    emit2(lone, "hit", 1, undefined);
    await settle();
    expect(described(errors).at(-1)).toBe('signal "hit" handler@/root/Lone: fast path');
  });

  test("deferred calls: callDeferred with a function or a method name, and DEFERRED connections", async () => {
    const probe = new Probe("Probe");
    tree.root.addChild(probe);
    probe.callDeferred(async function later() {
      await fail("deferred fn");
    });
    probe.callDeferred("failLater");
    probe.connect("hit", async () => fail("deferred connection"), ConnectFlags.DEFERRED);
    probe.emitSignal("hit", 1);
    tree.step(FRAME);
    await settle();
    expect(described(errors)).toEqual([
      "deferred later@/root/Probe: deferred fn",
      "deferred failLater()@/root/Probe: method",
      'deferred signal "hit" handler@/root/Probe: deferred connection',
    ]);
  });

  test("timer callbacks: a Timer node's timeout and a SceneTreeTimer's", async () => {
    const timer = new Timer("Clock");
    timer.waitTime = FRAME;
    timer.oneShot = true;
    timer.autostart = true;
    timer.connect("timeout", async () => fail("timer node"));
    tree.root.addChild(timer);
    tree.createTimer(FRAME).connect("timeout", async () => fail("tree timer"));
    tree.step(FRAME * 1.5);
    await settle();
    expect(described(errors)).toEqual([
      'signal "timeout" handler@/root/Clock: timer node',
      'signal "timeout" handler@SceneTreeTimer: tree timer',
    ]);
  });

  test("group calls, immediate and deferred", async () => {
    const probe = new Probe("Probe");
    probe.addToGroup("probes");
    tree.root.addChild(probe);
    tree.callGroup("probes", "failLater");
    tree.callGroupFlags(2, "probes", "failLater");
    tree.step(FRAME);
    await settle();
    expect(described(errors)).toEqual([
      'failLater() (group "probes")@/root/Probe: method',
      "deferred failLater()@/root/Probe: method",
    ]);
  });

  test("a promise that resolves is not reported", async () => {
    class Fine extends Node {
      override async _ready() {
        await null;
      }
    }
    tree.root.addChild(new Fine("Fine"));
    await settle();
    expect(errors).toEqual([]);
  });
});

describe("fatalErrors: thrown out of step(), never anywhere else", () => {
  test("a rejection (between frames) is kept and thrown by the next step(); the tree then goes on", async () => {
    const tree = new SceneTree({ fatalErrors: true });
    class Bad extends Node {
      override async _ready() {
        await fail("no server");
      }
    }
    tree.root.addChild(new Bad("Bad"));
    await settle();
    let thrown: unknown;
    try {
      tree.step(FRAME);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserCallbackError);
    expect(thrown).toMatchObject({ nodePath: "/root/Bad", callback: "_ready" });
    expect(tree.getFrame()).toBe(0); // the frame did not run
    tree.step(FRAME);
    expect(tree.getFrame()).toBe(1);
    tree.finalize();
  });

  test("a throw outside step() does not unwind the caller; the next step() throws it", () => {
    const tree = new SceneTree({ fatalErrors: true });
    const probe = new Probe("Probe");
    tree.root.addChild(probe);
    const after: string[] = [];
    probe.connect("hit", () => {
      throw new Error("handler");
    });
    probe.connect("hit", () => after.push("second handler"));
    expect(() => probe.emitSignal("hit", 1)).not.toThrow();
    expect(after).toEqual(["second handler"]);
    expect(() => tree.step(FRAME)).toThrow(/signal "hit" handler on \/root\/Probe threw: handler/);
    tree.finalize();
  });

  test("inside a frame it is thrown at once, as before", () => {
    const tree = new SceneTree({ fatalErrors: true });
    class Bad extends Node {
      override _process() {
        throw new Error("in frame");
      }
    }
    tree.root.addChild(new Bad("Bad"));
    expect(() => tree.step(FRAME)).toThrow(UserCallbackError);
    tree.finalize();
  });

  test("an error no step() threw is thrown by finalize(), once the tree is down", async () => {
    const onError = jest.fn();
    const tree = new SceneTree({ fatalErrors: true, onError });
    class Bad extends Node {
      override async _ready() {
        await fail("first");
      }
      override async _enterTree() {
        await fail("second");
      }
    }
    tree.root.addChild(new Bad("Bad"));
    await settle();
    expect(() => tree.finalize()).toThrow(/_enterTree on \/root\/Bad threw: second/);
    expect(tree.isFinalized()).toBe(true);
    expect(onError).toHaveBeenCalledTimes(1); // the other one is reported, not lost
    expect(onError.mock.calls[0][0]).toMatchObject({ callback: "_ready" });
  });
});

describe("whatever user code throws is reported, and the tree goes on", () => {
  const noStringForm = () => Object.create(null) as object;
  const throwingToString = () => ({
    toString() {
      throw new Error("toString bomb");
    },
  });
  const throwingMessage = () => {
    const error = new Error("x");
    Object.defineProperty(error, "message", {
      get() {
        throw new Error("getter bomb");
      },
    });
    return error;
  };
  const hostileProxy = () =>
    new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("proxy proto bomb");
        },
        get() {
          throw new Error("proxy get bomb");
        },
      },
    );

  test.each([
    ["a value with no string form", noStringForm, "[object Object]"],
    ["an object whose toString throws", throwingToString, "[object Object]"],
    ["an Error whose message getter throws", throwingMessage, "Error"],
    ["a Proxy that refuses everything", hostileProxy, "<a value that can't be printed>"],
  ])("%s, thrown from _ready and from a signal handler", (_, make, shown) => {
    class Hostile extends Node {
      override _ready(): void {
        throw make();
      }
    }
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const tree = new SceneTree(); // no onError: the tree prints the report itself
      const node = new Hostile("Hostile");
      tree.root.addChild(node);
      node.connect("renamed", () => {
        throw make();
      });
      node.name = "Renamed";
      tree.step(FRAME);
      expect(tree.getFrame()).toBe(1); // it goes on
      expect(written).toHaveLength(2);
      expect(written[0]).toMatch(/^ERROR: _ready on \/root\/Hostile threw: /);
      expect(written[1]).toMatch(/^ERROR: signal "renamed" handler on \/root\/Renamed threw: /);
      for (const line of written) expect(line).toContain(shown);
      tree.finalize();
    } finally {
      write.mockRestore();
    }
  });
});
