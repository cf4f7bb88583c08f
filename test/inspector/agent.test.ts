/**
 * The fleet inspector's relay without worker threads: a hub in front of a real page socket, and an
 * agent holding the trees, joined as a worker's port would join them (asynchronously, plain data).
 */
import { z } from "zod";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import { Metrics } from "../../src/metrics/Metrics";
import { useMetrics } from "../../src/metrics/treeMetrics";
import { nodePropsSchema } from "../../src/nodes/nodeProps";
import { registerNodeType, unregisterNodeType } from "../../src/loader/registry";
import "../../src/loader/builtinTypes";
import { startFleetInspectorServer } from "../../src/inspector/server";
import { InstanceTable } from "../../src/inspector/instanceTable";
import type { FromAgent, ToAgent } from "../../src/inspector/relay";
import { InspectorAgent } from "../../src/inspector/agent";
import { PageClient } from "../helpers/inspectorClient";
import { contiguous, listIndices } from "../../src/core/indexRange";

class Bot extends Node {
  speed = 1;
}

type Rows = [number, number, string, number][];
type Server = Awaited<ReturnType<typeof startFleetInspectorServer>>;

const servers: Server[] = [];
const pages: PageClient[] = [];

beforeAll(() =>
  registerNodeType("RelayBot", Bot, nodePropsSchema.extend({ speed: z.number().min(0).optional() })),
);
afterAll(() => unregisterNodeType("RelayBot"));
afterEach(async () => {
  for (const page of pages.splice(0)) page.close();
  for (const server of servers.splice(0)) await server.close();
});

/** Three instances: 0 and 2 on worker 0, 1 on worker 1; every relay message goes through a clone. */
async function fleet() {
  const clock = new TestClock();
  const registries = [new Metrics(), new Metrics()];
  const workerOf = (index: number) => (index === 1 ? 1 : 0);
  const trees = [0, 1, 2].map((index) => {
    const tree = new SceneTree({ clock, fatalErrors: true, instance: { index, count: 3, seed: index } });
    useMetrics(tree, registries[workerOf(index)]);
    const bot = new Bot("Bot");
    bot.addChild(new Node(`Bot-${index}`));
    tree.root.addChild(bot);
    return { tree, bot };
  });
  const instances = new InstanceTable(contiguous(3));
  for (const index of [0, 1, 2]) instances.set(index, "running");
  const toMain: { message: FromAgent; worker: number }[] = [];
  let server: Server | null = null;
  const agents = [0, 1].map(
    (worker) =>
      new InspectorAgent(
        (message) => {
          const copy = structuredClone(message);
          toMain.push({ message: copy, worker });
          setImmediate(() => server?.receive(copy, worker));
        },
        (index) => (workerOf(index) === worker ? trees[index].tree : null),
        registries[worker],
      ),
  );
  const toWorkers: { message: ToAgent; worker: number }[] = [];
  const post = (worker: number, message: ToAgent) => {
    const copy = structuredClone(message);
    toWorkers.push({ message: copy, worker });
    setImmediate(() => agents[worker].receive(copy));
  };
  server = await startFleetInspectorServer(
    {
      instances,
      count: 3,
      post: (index, message) => post(workerOf(index), message),
      broadcast: (message) => [0, 1].forEach((worker) => post(worker, message)),
      read: () => ({ running: instances.counts().running, target: 3, totals: {}, errors: 0 }),
    },
    {},
  );
  servers.push(server);
  return { clock, trees, instances, agents, registries, toMain, toWorkers, server };
}

async function page(server: Server, options?: Parameters<typeof PageClient.open>[1]) {
  const client = await PageClient.open(server, options);
  pages.push(client);
  return client;
}

const names = (snapshot: Record<string, unknown>) => (snapshot.nodes as Rows).map((row) => row[2]);

describe("the fleet inspector's relay", () => {
  it("greets a page as a fleet and shows it the first running instance's tree", async () => {
    const { server, agents } = await fleet();
    const client = await page(server);
    const hello = await client.waitFor((m) => m.t === "hello");
    expect(hello.fleet).toEqual({ count: 3, here: 3 });
    expect(await client.waitFor((m) => m.t === "instance")).toMatchObject({ index: 0, attached: true });
    expect(names(await client.waitFor((m) => m.t === "snapshot"))).toEqual(["root", "Bot", "Bot-0"]);
    expect(agents[0].attached).toEqual({ pages: 1, trees: 1 });
    expect(agents[1].attached).toEqual({ pages: 0, trees: 0 });
  });

  it("switches to the instance picked, whose prop edits reach that tree only; the others carry nothing", async () => {
    const { server, agents, trees } = await fleet();
    const client = await page(server);
    await client.waitFor((m) => m.t === "snapshot");
    const from = client.messages.length;
    client.send({ t: "instance", index: 2 });
    const snapshot = await client.waitFor((m) => m.t === "snapshot", from);
    expect(names(snapshot)).toEqual(["root", "Bot", "Bot-2"]);
    const bot = (snapshot.nodes as Rows).find((row) => row[2] === "Bot")!;
    expect(await client.request({ t: "setProp", id: bot[0], name: "speed", value: 7 })).toMatchObject({
      ok: true,
    });
    expect(trees.map(({ bot: b }) => b.speed)).toEqual([1, 1, 7]);
    expect(agents[0].attached).toEqual({ pages: 1, trees: 1 }); // instance 2's core; instance 0's is gone
    const listeners = () =>
      trees.map(({ tree }) => tree.listenerCount("nodeAdded") + tree.listenerCount("processFrame"));
    expect(listeners()).toEqual([0, 0, 2]);

    client.send({ t: "instance", index: 1 }); // on the other worker
    await client.waitFor((m) => m.t === "instance" && m.index === 1);
    const other = await client.waitFor((m) => m.t === "snapshot" && names(m).includes("Bot-1"));
    expect(other).toBeDefined();
    expect(agents[0].attached).toEqual({ pages: 0, trees: 0 });
    expect(agents[1].attached).toEqual({ pages: 1, trees: 1 });
    expect(listeners()).toEqual([0, 2, 0]);
  });

  it("relays pause and next frame to the picked tree, and the errors of a schema to the page", async () => {
    const { server, trees } = await fleet();
    const client = await page(server);
    const snapshot = await client.waitFor((m) => m.t === "snapshot");
    const bot = (snapshot.nodes as Rows).find((row) => row[2] === "Bot")!;
    const refused = await client.request({ t: "setProp", id: bot[0], name: "speed", value: -1 });
    expect(refused.ok).toBe(false);
    expect(String(refused.error)).toMatch(/>=0|≥|greater/);
    client.send({ t: "suspend", on: true });
    await client.waitFor((m) => m.t === "update" && (m.frame as { suspended: boolean }).suspended);
    expect(trees.map(({ tree }) => tree.isSuspended())).toEqual([true, false, false]);
  });

  it("settles a request sent just before the page switched instances", async () => {
    const { server, trees } = await fleet();
    const client = await page(server);
    const snapshot = await client.waitFor((m) => m.t === "snapshot");
    const bot = (snapshot.nodes as Rows).find((row) => row[2] === "Bot")!;
    const answer = client.request({ t: "setProp", id: bot[0], name: "speed", value: 3 });
    client.send({ t: "instance", index: 1 });
    expect(await answer).toMatchObject({ ok: true });
    expect(trees.map(({ bot: b }) => b.speed)).toEqual([3, 1, 1]);
  });

  it("tells the page when its instance quits, and refuses an instance that is not running", async () => {
    const { server, trees, instances, agents } = await fleet();
    const client = await page(server);
    await client.waitFor((m) => m.t === "snapshot");
    instances.set(0, "finished");
    trees[0].tree.quit(0);
    trees[0].tree.finalize();
    expect(await client.waitFor((m) => m.t === "instance" && m.attached === false)).toMatchObject({
      index: 0,
      state: "finished",
    });
    expect(String((await client.waitFor((m) => m.t === "error")).error)).toContain(
      "Instance 0: it quit with code 0",
    );
    expect(agents[0].attached).toEqual({ pages: 0, trees: 0 });
    const from = client.messages.length;
    client.send({ t: "instance", index: 0 });
    expect((await client.waitFor((m) => m.t === "error", from)).error).toBe(
      "Instance 0 is finished, not running.",
    );
    const noTree = await client.request({ t: "nextFrame" });
    expect(noTree).toMatchObject({ ok: false, error: "no instance picked" });
  });

  it("answers the picker with pages of the instance list, and sends the fleet's merged trends", async () => {
    const { server, registries } = await fleet();
    registries[0].trend("rtt", { contains: "time" }).add(10);
    registries[1].trend("rtt", { contains: "time" }).add(30);
    registries[1].trend("rtt", { contains: "time" }).add(20);
    const client = await page(server);
    const list = await client.request({ t: "instances", state: "running", query: "2" });
    expect(list).toMatchObject({ total: 3, matched: 1, items: [[2, "running"]] });
    const fleetMessage = await client.waitFor(
      (m) => m.t === "fleet" && "rtt" in (m.sample as { trends: object }).trends,
    );
    // As one registry fed every sample would answer (histograms add exactly; 3 significant digits)
    const one = new Metrics().trend("rtt", { contains: "time" });
    [10, 30, 20].forEach((value) => one.add(value));
    const round = (value: number) => Math.round(value * 1000) / 1000;
    expect((fleetMessage.sample as { trends: Record<string, unknown> }).trends.rtt).toEqual({
      count: 3,
      p50: round(one.percentile(50)),
      p95: round(one.percentile(95)),
      p99: round(one.percentile(99)),
    });
    expect(round(one.percentile(50))).not.toBe(round(registries[0].trend("rtt").percentile(50)));
  });

  it("keeps the token and the schema in the main thread: nothing reaches a worker before the hello", async () => {
    const { server, toWorkers } = await fleet();
    const wrong = await page(server, { token: "nope" });
    expect((await wrong.waitClosed()).code).toBe(4401);
    expect(toWorkers).toEqual([]);
    const client = await page(server);
    await client.waitFor((m) => m.t === "snapshot");
    const from = toWorkers.length;
    client.send({ t: "eval", code: "process.exit()" });
    expect(String((await client.waitFor((m) => m.t === "error")).error)).toMatch(/^Refused message/);
    expect(toWorkers.slice(from).filter(({ message }) => message.op === "message")).toEqual([]);
  });

  it("a worker's agent refuses a relayed message outside the protocol", async () => {
    const { agents, trees } = await fleet();
    const posted: FromAgent[] = [];
    const agent = new InspectorAgent(
      (m) => posted.push(m),
      () => trees[0].tree,
      new Metrics(),
    );
    agent.receive({ op: "attach", page: 1, index: 0 });
    agent.receive({ op: "message", page: 1, message: { t: "setPaused", on: "yes" } as never });
    expect(trees[0].tree.paused).toBe(false);
    agent.receive({ op: "message", page: 1, message: { t: "setPaused", on: true } });
    expect(trees[0].tree.paused).toBe(true);
    agent.receive({ op: "detach", page: 1 });
    expect(agent.attached).toEqual({ pages: 0, trees: 0 });
    expect(agents[0].attached.trees).toBe(0);
  });
});

describe("InstanceTable", () => {
  it("pages 5,000 instances by state and index digits, with counts", () => {
    const indices = { first: 0, step: 2, length: 5000 }; // shard 0 of 2
    const table = new InstanceTable(indices);
    for (const index of listIndices(indices)) table.set(index, index % 3 === 0 ? "failed" : "running");
    expect(table.counts()).toEqual({ pending: 0, running: 3333, finished: 0, failed: 1667 });
    const page = table.page({ state: "failed", offset: 50, limit: 2 });
    expect(page).toMatchObject({
      total: 5000,
      matched: 1667,
      offset: 50,
      items: [
        [300, "failed"],
        [306, "failed"],
      ],
    });
    expect(table.page({ query: "9998" }).items).toEqual([[9998, "running"]]);
    expect(table.stateOf(1)).toBeNull(); // another shard's
    expect(table.firstRunning()).toBe(2);
  });
});
