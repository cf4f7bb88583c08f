import { z } from "zod";
import {
  getRegisteredNodeTypes,
  Node,
  nodePathProp,
  nodePropsSchema,
  parseScene,
  registerNodeType,
  Timer,
  unregisterNodeType,
} from "../../src";
import { methodsOf, signalsOf } from "../../src/loader/registry";
import { signal, type SignalsOf } from "../../src/core/signals/SignalSet";

class Bot extends Timer {
  speed = 1;
  friend: Node | null = null;
  greet(): void {}
}

describe("registerNodeType", () => {
  afterEach(() => unregisterNodeType("Bot"));

  test("built-ins are registered", () => {
    expect(getRegisteredNodeTypes().map((t) => t.name)).toEqual(expect.arrayContaining(["Node", "Timer"]));
  });

  test("a user type gets its props, NodePath props, own and inherited signals, methods", () => {
    registerNodeType(
      "Bot",
      Bot,
      nodePropsSchema.extend({ speed: z.number().min(0), friend: nodePathProp().optional() }),
      {
        signals: ["arrived"],
      },
    );
    const info = getRegisteredNodeTypes().find((t) => t.name === "Bot")!;
    expect([...info.nodePathProps]).toEqual(["friend"]);
    expect(signalsOf(info)).toEqual(
      new Set([
        "ready",
        "treeEntered",
        "treeExiting",
        "treeExited",
        "childEnteredTree",
        "childExitingTree",
        "childOrderChanged",
        "renamed",
        "replacingBy",
        "arrived",
        "timeout",
      ]),
    );
    expect(methodsOf(info).has("greet")).toBe(true);
    expect(methodsOf(info).has("constructor")).toBe(false);
    const root = parseScene(
      JSON.stringify({ format: 1, root: { name: "B", type: "Bot", props: { speed: 4, friend: "." } } }),
    ).instantiate<Bot>();
    expect([root.speed, root.friend]).toEqual([4, root]);
  });

  test("refuses schemas that do not extend the Node props, and a taken name", () => {
    expect(() => registerNodeType("Bot", Bot, z.object({ speed: z.number() }))).toThrow(
      /nodePropsSchema.extend/,
    );
    expect(() => registerNodeType("Timer", Bot)).toThrow(/already registered/);
    expect(() => registerNodeType("not a name", Bot)).toThrow(/valid type name/);
  });

  test("a class's own signal declaration is what scene connections are checked against", () => {
    const declared = Node.signals.extend({ arrived: signal<[at: string]>("at") });
    class Walker extends Node<SignalsOf<typeof declared>> {
      static override readonly signals = declared;
      seen: string[] = [];
      note(at: string): void {
        this.seen.push(at);
      }
    }
    registerNodeType("Walker", Walker);
    try {
      const scene = (signalName: string) =>
        JSON.stringify({
          format: 1,
          root: { name: "W", type: "Walker" },
          connections: [{ from: ".", signal: signalName, to: ".", method: "note" }],
        });
      const walker = parseScene(scene("arrived")).instantiate<Walker>();
      walker.emitSignal("arrived", "home");
      expect(walker.seen).toEqual(["home"]);
      expect(() => parseScene(scene("arived"))).toThrow(/has no signal "arived"/);
    } finally {
      unregisterNodeType("Walker");
    }
  });
});
