import { CodedError } from "../../src/core/errors";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import {
  buildSceneJsonSchema,
  defaultNodeTypes,
  getNodeType,
  getRegisteredNodeTypes,
  loadScene,
  Node,
  NodeTypeError,
  NodeTypeRegistry,
  nodePathProp,
  nodePropsSchema,
  parseScene,
  registerBuiltinNodeTypes,
  registerNodeType,
  SceneError,
  SceneTree,
  TestClock,
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

class RegistryBot extends Node {
  speed = 1;
}
class OtherBot extends Node {}

const botScene = JSON.stringify({ format: 1, root: { name: "B", type: "Bot", props: { speed: 3 } } });
const botProps = nodePropsSchema.extend({ speed: z.number() });

function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof SceneError ? error.problems.map((p) => p.code) : error;
  }
  return "no error";
}

describe("NodeTypeRegistry", () => {
  test("two registries never see each other's types, nor the default registry's", () => {
    const a = new NodeTypeRegistry();
    const b = new NodeTypeRegistry();
    registerBuiltinNodeTypes(a);
    registerBuiltinNodeTypes(b);
    a.register("Bot", RegistryBot, botProps);
    b.register("Bot", OtherBot);

    expect(parseScene(botScene, { registry: a }).instantiate()).toBeInstanceOf(RegistryBot);
    expect(codeOf(() => parseScene(botScene, { registry: b }))).toEqual(["ERR_UNKNOWN_PROPERTY"]);
    expect(
      parseScene(JSON.stringify({ format: 1, root: { name: "B", type: "Bot" } }), {
        registry: b,
      }).instantiate(),
    ).toBeInstanceOf(OtherBot);
    expect(getNodeType("Bot")).toBeUndefined();
    expect(codeOf(() => parseScene(botScene))).toEqual(["ERR_UNKNOWN_TYPE"]);
    a.unregister("Bot");
    expect(b.get("Bot")?.nodeClass).toBe(OtherBot);
  });

  test("unregistering a type from one registry leaves what the default one's nodes duplicate", () => {
    const registry = new NodeTypeRegistry();
    registerBuiltinNodeTypes(registry);
    expect(registry.unregister("Timer")).toBe(true);
    expect(registry.unregister("Timer")).toBe(false);
    const timer = new Timer();
    timer.waitTime = 5;
    expect((timer.duplicate() as Timer).waitTime).toBe(5);
  });

  test("a new registry is empty; registerBuiltinNodeTypes gives it the engine's types", () => {
    const registry = new NodeTypeRegistry();
    expect(registry.list()).toEqual([]);
    const timer = JSON.stringify({ format: 1, root: { name: "T", type: "Timer", props: { waitTime: 2 } } });
    expect(codeOf(() => parseScene(timer, { registry }))).toEqual(["ERR_UNKNOWN_TYPE"]);
    registerBuiltinNodeTypes(registry);
    expect(registry.list().map((type) => type.name)).toEqual([
      "InstancePlaceholder",
      "Node",
      "Timer",
      "WebSocketNode",
      "WebSocketServer",
      "WebsocketClient",
    ]);
    expect(parseScene(timer, { registry }).instantiate<Timer>().waitTime).toBe(2);
  });

  test("registerNodeType fills the default registry, which index.ts gave the built-in types", () => {
    expect(defaultNodeTypes.has("Timer")).toBe(true);
    registerNodeType("DefaultBot", RegistryBot, botProps);
    try {
      expect(defaultNodeTypes.get("DefaultBot")?.nodeClass).toBe(RegistryBot);
    } finally {
      defaultNodeTypes.unregister("DefaultBot");
    }
  });

  test("loadScene and buildSceneJsonSchema take { registry }", async () => {
    const registry = new NodeTypeRegistry();
    registerBuiltinNodeTypes(registry);
    registry.register("Bot", RegistryBot, botProps);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-registry-"));
    try {
      const file = path.join(dir, "bot.scene.json");
      fs.writeFileSync(file, botScene);
      const bot = (await loadScene(file, { registry })).instantiate<RegistryBot>();
      expect([bot.constructor, bot.speed]).toEqual([RegistryBot, 3]);
      await expect(loadScene(file)).rejects.toMatchObject({ code: "ERR_UNKNOWN_TYPE" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const ids = (schema: Record<string, unknown>) => Object.keys(schema.$defs as object);
    expect(ids(buildSceneJsonSchema({ registry }))).toContain("BotNode");
    expect(ids(buildSceneJsonSchema())).not.toContain("BotNode");
  });

  test("a tree given loadScene changes scene with its registry", async () => {
    const registry = new NodeTypeRegistry();
    registerBuiltinNodeTypes(registry);
    registry.register("Bot", RegistryBot, botProps);
    const tree = new SceneTree({
      clock: new TestClock(),
      fatalErrors: true,
      loadScene: async () => parseScene(botScene, { registry }),
    });
    await tree.changeSceneToFile("bot.scene.json");
    tree.step(1 / 60);
    expect(tree.currentScene).toBeInstanceOf(RegistryBot);
  });

  test.each([
    ["a class that does not extend Node", () => new NodeTypeRegistry().register("Thing", class {} as never)],
    ["an invalid name", () => new NodeTypeRegistry().register("not a name", RegistryBot)],
    [
      "a taken name with another class",
      () => {
        const registry = new NodeTypeRegistry();
        registry.register("Bot", RegistryBot);
        registry.register("Bot", OtherBot);
      },
    ],
    [
      "a schema that does not extend nodePropsSchema",
      () => registerNodeType("Bot", RegistryBot, z.object({})),
    ],
    [
      "a forbidden prop name",
      () => registerNodeType("Bot", RegistryBot, nodePropsSchema.extend({ constructor: z.number() })),
    ],
  ])("misuse throws a NodeTypeError with code ERR_REGISTRY: %s", (_what, misuse) => {
    const error = (() => {
      try {
        misuse();
      } catch (thrown) {
        return thrown;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(NodeTypeError);
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toMatchObject({ code: "ERR_REGISTRY", name: "NodeTypeError" });
    expect(getNodeType("Bot")).toBeUndefined();
  });

  test("registering the same class under its name again replaces the entry", () => {
    const registry = new NodeTypeRegistry();
    registry.register(RegistryBot);
    registry.register(RegistryBot, botProps);
    expect(Object.keys(registry.get("RegistryBot")!.propsSchema.shape)).toContain("speed");
  });
});
