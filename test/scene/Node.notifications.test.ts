import { SceneTree } from "../../src/scene/SceneTree";
import { Node, ProcessMode } from "../../src/scene/Node";
import type { UserCallbackError } from "../../src/core/errors";
import { Log } from "../helpers/recording";

const NAMES: Record<number, string> = {
  [Node.NOTIFICATION_PAUSED]: "PAUSED",
  [Node.NOTIFICATION_UNPAUSED]: "UNPAUSED",
  [Node.NOTIFICATION_DISABLED]: "DISABLED",
  [Node.NOTIFICATION_ENABLED]: "ENABLED",
};

/** Logs the notifications it gets (the pause ones by name, others by number) and calls of `ping`. */
class Listener extends Node {
  constructor(
    name = "",
    readonly events = new Log(),
  ) {
    super(name);
  }

  override _notification(what: number): void {
    if (what === 1000 || what in NAMES) this.events.push(`${this.name}:${NAMES[what] ?? what}`);
  }

  ping(...args: unknown[]): void {
    this.events.push(`${this.name}:ping(${args.join(",")})`);
  }
}

describe("Node notifications and propagated calls", () => {
  let tree: SceneTree;
  let log: Log;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = new Log();
  });

  afterEach(() => tree.finalize());

  /** Main(A(A1, A2), B), every node a Listener on the same log. */
  function nested() {
    const [main, a, a1, a2, b] = ["Main", "A", "A1", "A2", "B"].map((n) => new Listener(n, log));
    main.addChild(a);
    a.addChild(a1);
    a.addChild(a2);
    main.addChild(b);
    return { main, a, a1, a2, b };
  }

  describe("#notification", () => {
    it("sends the notification to _notification", () => {
      const node = new Listener("N", log);
      node.notification(1000);
      node.notification(1000, true);
      expect(log.take()).toEqual(["N:1000", "N:1000"]);
    });
  });

  describe("#propagateNotification", () => {
    it("reaches the node, then its descendants, parents first", () => {
      const { main } = nested();
      main.propagateNotification(1000);
      expect(log.take()).toEqual(["Main:1000", "A:1000", "A1:1000", "A2:1000", "B:1000"]);
    });

    it("blocks each node meanwhile, as Godot: adding a child from a handler is ERR_PARENT_BUSY", () => {
      let caught: unknown;
      class Adder extends Node {
        override _notification(what: number): void {
          if (what !== 1000) return;
          try {
            this.addChild(new Node("Late"));
          } catch (error) {
            caught = error;
          }
        }
      }
      const node = new Adder("N");
      node.propagateNotification(1000);
      expect(caught).toMatchObject({ code: "ERR_PARENT_BUSY" });
      expect(node.getChildCount()).toBe(0);
      node.addChild(new Node("Now")); // unblocked afterwards
      expect(node.getChildCount()).toBe(1);
    });
  });

  describe("#propagateCall", () => {
    it("calls children before their parent by default, parents first with parentFirst", () => {
      const { main } = nested();
      main.propagateCall("ping", [1, 2]);
      expect(log.take()).toEqual([
        "A1:ping(1,2)",
        "A2:ping(1,2)",
        "A:ping(1,2)",
        "B:ping(1,2)",
        "Main:ping(1,2)",
      ]);
      main.propagateCall("ping", [], true);
      expect(log.take()).toEqual(["Main:ping()", "A:ping()", "A1:ping()", "A2:ping()", "B:ping()"]);
    });

    it("skips nodes without the method, and reports a throw without stopping", () => {
      const errors: UserCallbackError[] = [];
      const reporting = new SceneTree({ onError: (error) => errors.push(error) });
      class Thrower extends Node {
        ping(): void {
          throw new Error("boom");
        }
      }
      const main = new Listener("Main", log);
      main.addChild(new Node("Plain"));
      main.addChild(new Thrower("T"));
      main.addChild(new Listener("After", log));
      reporting.root.addChild(main);
      main.propagateCall("ping");
      expect(log.take()).toEqual(["After:ping()", "Main:ping()"]);
      expect(errors.map((e) => [e.nodePath, e.message])).toEqual([
        ["/root/Main/T", "ping() (propagateCall) on /root/Main/T threw: boom"],
      ]);
      reporting.finalize();
    });
  });

  describe("pause (SceneTree.paused)", () => {
    it("sends PAUSED / UNPAUSED to the nodes whose processing the pause changes, parents first", () => {
      const { main, a, a2, b } = nested();
      a.processMode = ProcessMode.WHEN_PAUSED; // A1 inherits it
      a2.processMode = ProcessMode.ALWAYS;
      b.processMode = ProcessMode.DISABLED;
      tree.root.addChild(main);
      log.take();
      tree.paused = true;
      expect(log.take()).toEqual(["Main:PAUSED", "A:UNPAUSED", "A1:UNPAUSED"]);
      tree.paused = true; // no change, no notifications
      expect(log.take()).toEqual([]);
      tree.paused = false;
      expect(log.take()).toEqual(["Main:UNPAUSED", "A:PAUSED", "A1:PAUSED"]);
    });
  });

  describe("processMode changes inside the tree", () => {
    it("notify the node and the descendants that inherit from it: PAUSED/UNPAUSED, then DISABLED/ENABLED", () => {
      const { main, a, a2 } = nested();
      a2.processMode = ProcessMode.ALWAYS;
      tree.root.addChild(main);
      log.take();
      a.processMode = ProcessMode.DISABLED;
      expect(log.take()).toEqual(["A:PAUSED", "A:DISABLED", "A1:PAUSED", "A1:DISABLED"]);
      a.processMode = ProcessMode.INHERIT;
      expect(log.take()).toEqual(["A:UNPAUSED", "A:ENABLED", "A1:UNPAUSED", "A1:ENABLED"]);
      a.processMode = ProcessMode.ALWAYS; // could process before and after: nothing to say
      expect(log.take()).toEqual([]);
      tree.paused = true;
      log.take();
      main.processMode = ProcessMode.WHEN_PAUSED;
      expect(log.take()).toEqual(["Main:UNPAUSED", "B:UNPAUSED"]);
    });

    it("say nothing outside the tree or when the mode does not change", () => {
      const { main, a } = nested();
      a.processMode = ProcessMode.DISABLED;
      expect(log.take()).toEqual([]);
      tree.root.addChild(main);
      a.processMode = ProcessMode.DISABLED;
      expect(log.take()).toEqual([]);
    });
  });
});
