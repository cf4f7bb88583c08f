/**
 * What users write against the installed package, from the README alone: the projects that
 * package.test.ts type-checks under several compiler configurations and runs.
 */

/** A CommonJS project's module (`import` syntax compiled to `require`), touching the public types. */
export const CJS_USER = `
import {
  Node, SceneTree, TestClock, Timer, WebsocketClient, WebSocketServer, loadScene, registerNodeType,
  nodePropsSchema, toSignal, type NodeClass,
} from "scenetree";

export class Bot extends Node {
  private echoes = 0;
  override _ready(): void {
    const timer = this.getNode<Timer>("Timer");
    timer.connect("timeout", () => this.echoes++);
  }
  override _process(delta: number): void {
    if (delta > 1 && this.echoes > 3) this.getTree().quit(0);
  }
}
registerNodeType("Bot", Bot, nodePropsSchema);
const tree = new SceneTree({ clock: new TestClock() });
const bot = new Bot("Bot");
bot.addChild(new Timer("Timer"));
tree.root.addChild(bot);
const client: WebsocketClient = new WebsocketClient("Client");
const server: WebSocketServer = new WebSocketServer("Server");
const cls: NodeClass = Bot;
void client; void server; void cls; void loadScene;
// toSignal is typed by the class's signals in the published types too.
export async function waits(): Promise<void> {
  const timeout: [] = await toSignal(new Timer("T"), "timeout");
  const [message, isText]: [message: Buffer, isText: boolean] = await toSignal(client, "messageReceived");
  // @ts-expect-error a misspelt signal name does not compile
  await toSignal(new Timer("T"), "timeoutt");
  void timeout; void message; void isText;
}
`;

/**
 * A CommonJS module's default import: the module itself (tsc and tsx compile it to
 * \`require("scenetree").default\`).
 */
export const CJS_DEFAULT = `
import scenetree from "scenetree";
import { Node } from "scenetree";
export const sameDefault: boolean = scenetree.Node === Node && typeof scenetree.loadScene === "function";
`;

/** A CommonJS module written for \`verbatimModuleSyntax\`: \`import x = require(...)\`. */
export const CTS_USER = `
import scenetree = require("scenetree");
const { Node, SceneTree, registerNodeType } = scenetree;
class CtsBot extends Node {}
registerNodeType(CtsBot);
async function sameInstance(): Promise<boolean> {
  const esm = await import("scenetree");
  return esm.getNodeType("CtsBot")?.nodeClass === CtsBot && new SceneTree().root instanceof esm.Node;
}
export = { CtsBot, sameInstance };
`;

/**
 * An ES module made of the README's examples, with the type errors the README promises
 * (\`@ts-expect-error\`: the line must not compile). Type-checked only; run by the tests that run code.
 */
export const ESM_USER = `
import {
  Node, SceneTree, Timer, Tween, WebsocketClient, TestClock, signal, toSignal, nodePropsSchema,
  nodePathProp, registerNodeType, z, PackedScene, Callable, ConnectFlags, NodePath, parseThresholds,
  createSummary, formatSummary, CodedError, SceneError, NodeTypeRegistry, registerBuiltinNodeTypes,
  type SignalsOf, type NodeClass,
} from "scenetree";

// A node in TypeScript
class Greeter extends Node {
  private ticks = 0;
  override _ready(): void {
    const timer = this.getNode<Timer>("Timer");
    timer.connect("timeout", () => console.log(\`tick \${++this.ticks}\`));
  }
  override _process(_delta: number): void {
    if (this.ticks === 3) this.getTree().quit(0);
  }
}
export const tree = new SceneTree({ clock: new TestClock() });
const greeter = new Greeter("Greeter");
greeter.addChild(Object.assign(new Timer("Timer"), { waitTime: 0.5, autostart: true }));
tree.root.addChild(greeter);

// getNode<T>: types the result; getNode(path, Class) also checks it
const timer: Timer = greeter.getNode<Timer>("Timer");
const checked: Timer = greeter.getNode("Timer", Timer);
const maybe: Timer | null = greeter.getNodeOrNull(new NodePath("Timer"), Timer);
// @ts-expect-error getNode<Timer> is a Timer, not a WebsocketClient
export const notAClient: WebsocketClient = greeter.getNode<Timer>("Timer");
// @ts-expect-error getNode's type argument is a Node
greeter.getNodeOrNull<string>("Timer");
void timer; void checked; void maybe;

// Tween
class Ship extends Node {
  position = { x: 0, y: 0 };
  modulate = { r: 1, g: 1, b: 1, a: 1 };
}
const ship = new Ship("Ship");
tree.root.addChild(ship);
const tween = ship.createTween();
tween.tweenProperty(ship, "position", { x: 100, y: 40 }, 0.5).setTrans(Tween.TransitionType.BACK);
tween.parallel().tweenProperty(ship, "modulate:a", 0, 0.5).setDelay(0.2);
tween.tweenCallback(() => ship.queueFree());
tween.connect("finished", () => console.log("gone"));

// Signals: declared, typed, checked
const hullSignals = Node.signals.extend({
  hit: signal<[damage: number, by: string]>("damage", "by"),
  sunk: signal(),
});
export class Hull extends Node<SignalsOf<typeof hullSignals>> {
  static override readonly signals = hullSignals;
}
const hull = new Hull("Hull");
hull.connect("hit", (damage, by) => console.log(damage.toFixed(1), by.toUpperCase()));
hull.connect("treeEntered", () => {});
hull.emitSignal("hit", 3, "Kraken");
hull.emitSignal("sunk");
export function wrongSignalCalls(): void {
  // @ts-expect-error "hitt" is not a signal of Hull
  hull.connect("hitt", () => {});
  // @ts-expect-error emitSignal's arguments are the signal's: a number first
  hull.emitSignal("hit", "3", "Kraken");
  // @ts-expect-error emitSignal takes every argument of the signal
  hull.emitSignal("hit", 3);
  // @ts-expect-error a listener's parameters must accept the signal's arguments
  hull.connect("hit", (damage: string) => console.log(damage));
  // @ts-expect-error messageReceived passes a Buffer first
  new WebsocketClient().connect("messageReceived", (message: number) => console.log(message));
}

// Typed node props
const pilotProps = nodePropsSchema.extend({
  client: nodePathProp(WebsocketClient),
  clock: nodePathProp(Timer).optional(),
  speed: z.number().min(0).optional(),
});
type PilotProps = z.infer<typeof pilotProps>;
export class Pilot extends Node {
  client!: PilotProps["client"];
  clock: PilotProps["clock"];
  override _ready(): void {
    this.client.connect("connectionEstablished", () => console.log(\`connected to \${this.client.connectionUrl}\`));
  }
}
registerNodeType("Pilot", Pilot, pilotProps);

// Packing
const main = new Node("Main");
const clock = new Timer();
clock.name = "Clock";
main.addChild(clock);
clock.owner = main;
clock.connect("timeout", new Callable(main, "queueFree"), ConnectFlags.PERSIST);
export const packed: PackedScene = PackedScene.pack(main);

// WebsocketClient: waits and typed messages
const bot = Object.assign(new WebsocketClient("Bot"), {
  connectionUrl: "ws://127.0.0.1:8080",
  headersProvider: async () => ({ authorization: "Bearer x" }),
  noReconnectCodes: [4001],
});
export async function waits(): Promise<void> {
  bot.openConnection();
  await bot.waitConnectionEstablished(5);
  bot.sendText(JSON.stringify({ type: "join", room: "lobby" }));
  const joined = await bot.waitForMessage<{ type: string; seat: number }>({ type: "joined" }, { timeout: 10 });
  const seat: number = joined.seat;
  const untyped: unknown = await bot.waitForMessage({ type: "joined" });
  const guarded = await bot.waitForMessage((m): m is { ok: true } => typeof m === "object" && m !== null && "ok" in m);
  const ok: true = guarded.ok;
  const [message, isText]: [message: Buffer, isText: boolean] = await toSignal(bot, "messageReceived");
  void seat; void untyped; void ok; void message; void isText;
}
export async function wrongWaits(): Promise<void> {
  // @ts-expect-error the JSON subset must fit the message type
  await bot.waitForMessage<{ type: string; seat: number }>({ seat: "one" });
  // @ts-expect-error the message of waitForMessage<T> is a T
  const text: string = await bot.waitForMessage<{ seat: number }>({ seat: 1 });
  // @ts-expect-error a misspelt signal name does not compile
  await toSignal(new Timer("T"), "timeoutt");
  void text;
}

// Metrics, thresholds, logs, registries, errors
export class LoadBot extends Node {
  reply(message: Buffer): void {
    const metrics = this.getTree().metrics;
    const { index } = this.getTree().instance;
    metrics.trend("join_time", { contains: "time" }).add(12, { room: "lobby" });
    metrics.rate("join_ok").add(message.toString() === "welcome");
    metrics.counter("bots").add(1);
    metrics.gauge("seat").add(index);
    this.log.info({ room: "lobby" }, "joining");
  }
}
registerNodeType(LoadBot);
const thresholds = parseThresholds({ ws_connecting: ["p(95)<500"], "join_time{room:lobby}": ["p(99)<300"] });
export const summaryText = (): string => formatSummary(createSummary(tree.metrics, { thresholds }));
const registry = new NodeTypeRegistry();
registerBuiltinNodeTypes(registry);
export const timerClass: NodeClass | undefined = registry.get("Timer")?.nodeClass;
export function explain(error: unknown): string {
  if (error instanceof SceneError) return error.problems.map((p) => \`\${p.code} \${p.path}\`).join("\\n");
  if (error instanceof CodedError && error.code === "ERR_REGISTRY") return "fix the registration";
  throw error;
}
`;

/** Default and namespace imports, as Node gives them for any CommonJS package. */
export const ESM_DEFAULT = `
import scenetree from "scenetree";
import * as namespace from "scenetree";
import { Node } from "scenetree";
export const node: InstanceType<typeof scenetree.Node> = new namespace.Node("A");
export const same: boolean = scenetree.Node === Node && namespace.default === scenetree;
`;

/** A plain-JavaScript CommonJS project checked by \`// @ts-check\` with JSDoc types. */
export const JS_USER = `// @ts-check
const { Node, SceneTree, Timer, WebsocketClient, TestClock, registerNodeType, nodePropsSchema, z } = require("scenetree");

class JsBot extends Node {
  speed = 1;
  /** @override */
  _ready() {
    /** @type {import("scenetree").Timer} */
    const timer = this.getNode("Timer");
    timer.connect("timeout", () => console.log("tick", this.speed));
    const client = this.getNode("Client", WebsocketClient);
    client.connect("messageReceived", (message, isText) => console.log(message.byteLength, isText));
    if (this.speed < 0) {
      // @ts-expect-error a misspelt signal name
      client.connect("messageReceivedd", () => {});
      // @ts-expect-error waitTime is a number
      timer.waitTime = "2";
    }
  }
  /** @param {number} delta @override */
  _process(delta) {
    if (delta > 10) this.getTree().quit(0);
  }
}
registerNodeType("JsBot", JsBot, nodePropsSchema.extend({ speed: z.number() }));
const tree = new SceneTree({ clock: new TestClock() });
const bot = new JsBot("Bot");
bot.addChild(new Timer("Timer"));
bot.addChild(new WebsocketClient("Client"));
tree.root.addChild(bot);
console.log(tree.root.getNode("Bot").getPath());
`;
