import * as net from "node:net";
import { FleetInspector } from "../../src/inspector/fleetInspector";
import { PageClient } from "../helpers/inspectorClient";
import { contiguous } from "../../src/core/indexRange";

/** The fleet inspector's main-thread side, given a fleet that is only its events and a post box. */
async function open(host = "127.0.0.1") {
  const printed: string[] = [];
  const posted: { worker: number; message: unknown }[] = [];
  const inspector = new FleetInspector({ host, port: 0 }, "/agent.js", (text) => void printed.push(text));
  await inspector.open({
    instances: contiguous(4),
    workers: [
      { worker: 0, indices: { first: 0, step: 2, length: 2 }, count: 4 },
      { worker: 1, indices: { first: 1, step: 2, length: 2 }, count: 4 },
    ],
    post: (worker, message) => void posted.push({ worker, message }),
    read: () => ({ running: 0, target: 4, totals: {}, errors: 0 }),
  });
  const url = /Inspector: (\S+)\n/.exec(printed[0])![1];
  return { inspector, printed, posted, url, port: Number(new URL(url).port) };
}

describe("FleetInspector", () => {
  it("prints its URL, follows the instances' lives, and posts to the worker that runs each", async () => {
    const { inspector, posted, url, port } = await open();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    inspector.started([0, 1, 2, 3]);
    inspector.exited([{ index: 0, code: 0 }]);
    inspector.lost(0); // worker 0 crashed: its instance 2 failed with it; 0 had quit
    const page = await PageClient.open({ url, port, close: async () => {} });
    try {
      const list = await page.request({ t: "instances" });
      expect(list.items).toEqual([
        [0, "finished"],
        [1, "running"],
        [2, "failed"],
        [3, "running"],
      ]);
      await page.waitFor((m) => m.t === "snapshot" || m.t === "instance");
      // The lowest running instance is 1, on worker 1; the fleet charts were turned on in both workers
      expect(posted).toEqual(
        expect.arrayContaining([
          { worker: 0, message: { op: "metrics", on: true } },
          { worker: 1, message: { op: "metrics", on: true } },
          { worker: 1, message: { op: "attach", page: 1, index: 1 } },
        ]),
      );
      expect(posted.filter(({ message }) => (message as { op: string }).op === "attach")).toHaveLength(1);
      await inspector.close();
      expect((await page.waitClosed()).code).toBe(1001);
    } finally {
      page.close();
      await inspector.close();
    }
  });

  it("turns the fleet charts on again in each worker once its run begins, as a worker drops what comes before", async () => {
    const { inspector, posted, url, port } = await open();
    const metricsOn = () =>
      posted
        .filter(({ message }) => (message as { op: string }).op === "metrics")
        .map(({ worker }) => worker);
    const page = await PageClient.open({ url, port, close: async () => {} });
    try {
      await page.waitFor((m) => m.t === "fleet"); // the page is in while the workers still load
      expect(metricsOn()).toEqual([0, 1]);
      inspector.started([0]);
      expect(metricsOn()).toEqual([0, 1, 0]);
      inspector.started([2]); // worker 0 again: it was told already
      inspector.started([1, 3]);
      expect(metricsOn()).toEqual([0, 1, 0, 1]);
      expect(posted.every(({ message }) => (message as { on?: boolean }).on !== false)).toBe(true);
    } finally {
      page.close();
      await inspector.close();
    }
  });

  it("does not post to a worker whose run begins while no page is open", async () => {
    const { inspector, posted } = await open();
    inspector.started([0, 1, 2, 3]);
    expect(posted).toEqual([]);
    await inspector.close();
  });

  it("warns when it listens beyond loopback", async () => {
    const { inspector, printed } = await open("0.0.0.0");
    await inspector.close();
    expect(printed[1]).toBe(
      "Inspector: listening on 0.0.0.0: anyone who can reach it and has the token controls these trees.\n",
    );
  });

  it("listen() binds the port before the fleet opens it, and rejects when the port is taken", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const refused = new FleetInspector({ host: "127.0.0.1", port }, "/agent.js", () => undefined);
      await expect(refused.listen()).rejects.toMatchObject({ code: "EADDRINUSE", syscall: "listen" });
      await refused.close();
    } finally {
      taken.close();
    }
    const printed: string[] = [];
    const early = new FleetInspector(
      { host: "127.0.0.1", port: 0 },
      "/agent.js",
      (text) => void printed.push(text),
    );
    await early.listen();
    expect(printed).toEqual([]); // the URL comes with the fleet
    await early.open({
      instances: contiguous(2),
      workers: [{ worker: 0, indices: contiguous(2), count: 2 }],
      post: () => undefined,
      read: () => ({ running: 0, target: 2, totals: {}, errors: 0 }),
    });
    const url = /Inspector: (\S+)\n/.exec(printed[0])![1];
    early.started([0, 1]);
    const page = await PageClient.open({ url, port: Number(new URL(url).port), close: async () => {} });
    try {
      expect((await page.request({ t: "instances" })).items).toEqual([
        [0, "running"],
        [1, "running"],
      ]);
    } finally {
      page.close();
      await early.close();
    }
  });
});
