import { Node } from "../../src/scene/Node";
import { defaultLogsAt, logEveryInstanceIndex, LOGS_AT, setDefaultLogger } from "../../src/scene/log";
import { SceneTree } from "../../src/scene/SceneTree";
import { captureLogger, fieldsOf } from "../helpers/logRecords";

function treeWithLog(level: Parameters<typeof captureLogger>[0] = "trace") {
  const { logger, records } = captureLogger(level);
  const tree = new SceneTree({ logger });
  return { tree, logger, records };
}

/** What a fleet's tree carries; set on the instance, as a worker would before adding the scene. */
function setInstance(tree: SceneTree, index: number): void {
  Object.defineProperty(tree, "instance", { value: { index, count: 10, seed: 1 }, configurable: true });
}

describe("tree.log and node.log", () => {
  const trees: SceneTree[] = [];
  afterEach(() => trees.splice(0).forEach((tree) => tree.finalize()));
  const track = <T extends { tree: SceneTree }>(made: T): T => (trees.push(made.tree), made);

  test("tree.log is the logger given; node.log binds the node's path", () => {
    const { tree, logger, records } = track(treeWithLog());
    expect(tree.log).toBe(logger);
    const bot = new Node("Bot");
    const client = new Node("Client");
    bot.addChild(client);
    tree.root.addChild(bot);
    tree.log.info("tree says");
    client.log.info({ attempt: 2 }, "child says");
    tree.root.log.warn("root says");
    expect(fieldsOf(records)).toEqual([
      { level: 30, msg: "tree says" },
      { level: 30, node: "/root/Bot/Client", attempt: 2, msg: "child says" },
      { level: 40, node: "/root", msg: "root says" },
    ]);
  });

  test("in a fleet, node.log also carries the tree's instance index", () => {
    const { tree, records } = track(treeWithLog());
    setInstance(tree, 7);
    const bot = new Node("Bot");
    tree.root.addChild(bot);
    bot.log.info("hi");
    expect(fieldsOf(records)).toEqual([{ level: 30, node: "/root/Bot", instance: 7, msg: "hi" }]);
  });

  test("a fleet worker's trees carry their index with a count of 1 too (--instances 1); a lone tree's do not", () => {
    const { tree, records } = track(treeWithLog());
    Object.defineProperty(tree, "instance", { value: { index: 0, count: 1, seed: 1 } });
    tree.root.addChild(new Node("Lone"));
    tree.root.getNode("Lone").log.info("alone");
    logEveryInstanceIndex(true);
    try {
      tree.root.addChild(new Node("Bot"));
      tree.root.getNode("Bot").log.info("in a fleet of one");
    } finally {
      logEveryInstanceIndex(false);
    }
    expect(fieldsOf(records)).toEqual([
      { level: 30, node: "/root/Lone", msg: "alone" },
      { level: 30, node: "/root/Bot", instance: 0, msg: "in a fleet of one" },
    ]);
  });

  test("one logger per node while its path holds; a rename or a move up the ancestry makes a new one", () => {
    const { tree, records } = track(treeWithLog());
    const a = new Node("A");
    const b = new Node("B");
    const leaf = new Node("Leaf");
    a.addChild(leaf);
    tree.root.addChild(a);
    tree.root.addChild(b);
    const first = leaf.log;
    expect(leaf.log).toBe(first);
    b.name = "B2"; // elsewhere in the tree: the leaf's path holds, so does its logger
    tree.root.addChild(new Node("Extra"));
    tree.root.getNode("Extra").free();
    expect(leaf.log).toBe(first);
    b.name = "B";

    a.name = "Renamed";
    leaf.log.info("after the parent's rename");
    leaf.name = "Leaf2";
    leaf.log.info("after its own rename");
    leaf.reparent(b);
    leaf.log.info("after a reparent");
    expect(records.map((r) => r.node)).toEqual([
      "/root/Renamed/Leaf",
      "/root/Renamed/Leaf2",
      "/root/B/Leaf2",
    ]);
    expect(leaf.log).not.toBe(first);
  });

  test("levels filter: below the tree logger's level nothing is written; raising it reaches nodes already logging", () => {
    const { tree, records } = track(treeWithLog("info"));
    const node = new Node("N");
    tree.root.addChild(node);
    node.log.debug("hidden");
    node.log.trace("hidden too");
    node.log.info("shown");
    expect(node.log.isLevelEnabled("debug")).toBe(false);
    tree.log.level = "debug";
    expect(node.log.isLevelEnabled("debug")).toBe(true);
    node.log.debug("shown now");
    tree.log.level = "silent";
    node.log.error("silenced");
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [30, "shown"],
      [20, "shown now"],
    ]);
  });

  test("outside a tree: the last logger it used inside one, else silent", () => {
    const { tree, records } = track(treeWithLog());
    const node = new Node("Loose");
    expect(node.log.level).toBe("silent");
    node.log.error("dropped");
    tree.root.addChild(node);
    node.log.info("inside");
    tree.root.removeChild(node);
    expect(node.isInsideTree()).toBe(false);
    node.log.info("after leaving");
    expect(fieldsOf(records)).toEqual([
      { level: 30, node: "/root/Loose", msg: "inside" },
      { level: 30, node: "/root/Loose", msg: "after leaving" },
    ]);
    node.free();
  });

  test("moving to another tree logs through that tree's logger", () => {
    const one = track(treeWithLog());
    const two = track(treeWithLog());
    const node = new Node("N");
    one.tree.root.addChild(node);
    node.log.info("in one");
    one.tree.root.removeChild(node);
    two.tree.root.addChild(node);
    node.log.info("in two");
    expect(one.records.map((r) => r.msg)).toEqual(["in one"]);
    expect(two.records.map((r) => r.msg)).toEqual(["in two"]);
  });

  test("without a logger option: one process-wide logger at warn, so scenetree's own debug logs stay quiet", () => {
    const a = new SceneTree();
    const b = new SceneTree();
    trees.push(a, b);
    expect(a.log).toBe(b.log);
    expect(a.log.level).toBe("warn");
    expect(a.log.isLevelEnabled("info")).toBe(false);
  });
});

describe("the process default logger, as a fleet worker sets it", () => {
  afterEach(() => setDefaultLogger("warn", () => captureLogger("warn").logger));

  test("made on first use at the level it was set with; whether a level logs is known before", () => {
    const made = captureLogger("info");
    const make = jest.fn(() => made.logger);
    setDefaultLogger("info", make);
    const tree = new SceneTree();
    const node = new Node("Bot");
    tree.root.addChild(node);
    // What the WebSocket nodes ask before every debug line: answered without making the logger.
    expect(tree[LOGS_AT]("debug")).toBe(false);
    expect(tree[LOGS_AT]("info")).toBe(true);
    expect(defaultLogsAt("trace")).toBe(false);
    expect(defaultLogsAt("error")).toBe(true);
    expect(make).not.toHaveBeenCalled();
    node.log.info("hello");
    expect(make).toHaveBeenCalledTimes(1);
    expect(tree.log).toBe(made.logger);
    expect(made.records.map((r) => [r.msg, r.node])).toEqual([["hello", "/root/Bot"]]);
    // Once made, the logger's own level answers, so code that changes it is heard.
    made.logger.level = "debug";
    expect(tree[LOGS_AT]("debug")).toBe(true);
    tree.finalize();
  });

  test("a tree given its own logger asks that one", () => {
    setDefaultLogger("silent", () => captureLogger("silent").logger);
    const { tree } = treeWithLog("debug");
    expect(tree[LOGS_AT]("debug")).toBe(true);
    expect(tree[LOGS_AT]("trace")).toBe(false);
    expect(defaultLogsAt("fatal")).toBe(false);
    tree.finalize();
  });
});
