import { contiguous, indexAt, positionOf, type IndexRange } from "../core/indexRange";
import { isLoopbackHost, type InspectAddress } from "./address";
import type { FleetReading } from "./fleetMetrics";
import { InstanceTable } from "./instanceTable";
import type { FromAgent, ToAgent } from "./relay";
import { startFleetInspectorServer } from "./server";

/** The fleet as the inspector reaches it (what a fleet hands its extension). */
export interface FleetWorkers {
  /** This process's instances, dealt to the workers in turn: position p is worker p % workers.length's. */
  readonly instances: IndexRange;
  readonly workers: readonly { worker: number; indices: IndexRange; count: number }[];
  post(worker: number, message: unknown): void;
  read(): FleetReading;
}

/** What a fleet's inspector sees of the fleet before it opens (or after a run that never did). */
const NO_FLEET: FleetWorkers = {
  instances: contiguous(0),
  workers: [],
  post: () => undefined,
  read: () => ({ running: 0, target: 0, totals: {}, errors: 0 }),
};

/**
 * `--inspect` with `--instances`: the inspector's server runs in the main thread and relays each page
 * to the worker that runs the instance it picked, whose agent (./agent.ts) attaches to that one tree.
 * The fleet calls it as its extension: opened before any worker exists, it follows the instances from
 * the start. `listen()` binds its port earlier still, so that a port that can't be bound stops the run
 * before any worker exists (a page that connects before `open()` sees a fleet of no instances).
 */
export class FleetInspector {
  /** The workers' agent module: the built one, which the workers' engine is (see the fleet's worker). */
  readonly agentModule: string;
  private instances = new InstanceTable(contiguous(0));
  private count = 0;
  private fleet = NO_FLEET;
  private server: {
    url: string;
    close(): Promise<void>;
    receive(message: FromAgent, worker: number): void;
    workerStarted(index: number): void;
  } | null = null;
  private listening: Promise<void> | null = null;
  /** Workers that have started an instance: their agents take messages now. */
  private readonly runningWorkers = new Set<number>();

  constructor(
    private readonly address: InspectAddress,
    agentModule: string,
    /** Where the URL and warnings go (stderr). */
    private readonly print: (text: string) => void,
  ) {
    this.agentModule = agentModule;
  }

  /** Binds the server's port (once; `open()` does it when nothing did); rejects with the bind's error. */
  listen(): Promise<void> {
    this.listening ??= this.bind();
    return this.listening;
  }

  async open(fleet: FleetWorkers): Promise<void> {
    this.instances = new InstanceTable(fleet.instances);
    this.count = fleet.workers[0]?.count ?? 0;
    this.fleet = fleet;
    await this.listen();
    const server = this.server;
    if (!server) return; // closed meanwhile
    this.print(`Inspector: ${server.url}\n`);
    if (!isLoopbackHost(this.address.host))
      this.print(
        `Inspector: listening on ${this.address.host}: anyone who can reach it and has the token controls these trees.\n`,
      );
  }

  private async bind(): Promise<void> {
    const post = (index: number, message: ToAgent): void => {
      const worker = this.workerOf(index);
      if (worker !== null) this.fleet.post(worker, message);
    };
    // Read afresh each time: the fleet arrives with open(), after the port is bound.
    const inspector = this;
    this.server = await startFleetInspectorServer(
      {
        get instances() {
          return inspector.instances;
        },
        get count() {
          return inspector.count;
        },
        post,
        broadcast: (message) => this.fleet.workers.forEach(({ worker }) => this.fleet.post(worker, message)),
        read: () => this.fleet.read(),
      },
      this.address,
    );
  }

  started(indices: readonly number[]): void {
    for (const index of indices) {
      this.instances.set(index, "running");
      const worker = this.workerOf(index);
      if (worker === null || this.runningWorkers.has(worker)) continue;
      this.runningWorkers.add(worker);
      this.server?.workerStarted(index);
    }
  }

  exited(exits: readonly { index: number; code: number }[]): void {
    for (const { index, code } of exits) this.instances.set(index, code === 0 ? "finished" : "failed");
  }

  lost(worker: number): void {
    const instances = this.instances;
    const share = this.fleet.workers.find((w) => w.worker === worker)?.indices;
    for (let position = 0; share && position < share.length; position++) {
      const index = indexAt(share, position);
      const state = instances.stateOf(index);
      if (state === "running" || state === "pending") instances.set(index, "failed");
    }
  }

  /** The worker that runs instance `index`, or null (not this process's). */
  private workerOf(index: number): number | null {
    const position = positionOf(this.fleet.instances, index);
    const { workers } = this.fleet;
    return position === -1 || workers.length === 0 ? null : workers[position % workers.length].worker;
  }

  received(message: unknown, worker: number): void {
    this.server?.receive(message as FromAgent, worker);
  }

  async close(): Promise<void> {
    await this.listening?.catch(() => undefined); // a bind in progress is closed once it is done
    const server = this.server;
    this.server = null;
    await server?.close();
  }
}
