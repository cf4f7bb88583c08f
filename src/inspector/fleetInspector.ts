import { isLoopbackHost, type InspectAddress } from "./address";
import type { FleetReading } from "./fleetMetrics";
import { InstanceTable } from "./instanceTable";
import type { FromAgent, ToAgent } from "./relay";
import { startFleetInspectorServer } from "./server";

/** The fleet as the inspector reaches it (what a fleet hands its extension). */
export interface FleetWorkers {
  readonly workers: readonly { worker: number; indices: readonly number[]; count: number }[];
  post(worker: number, message: unknown): void;
  read(): FleetReading;
}

/**
 * `--inspect` with `--instances`: the inspector's server runs in the main thread and relays each page
 * to the worker that runs the instance it picked, whose agent (./agent.ts) attaches to that one tree.
 * The fleet calls it as its extension: opened before any worker exists, it follows the instances from
 * the start.
 */
export class FleetInspector {
  /** The workers' agent module: the built one, which the workers' engine is (see the fleet's worker). */
  readonly agentModule: string;
  private instances: InstanceTable | null = null;
  private readonly workerOf = new Map<number, number>();
  private server: {
    url: string;
    close(): Promise<void>;
    receive(message: FromAgent, worker: number): void;
    workerStarted(index: number): void;
  } | null = null;
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

  async open(fleet: FleetWorkers): Promise<void> {
    const indices: number[] = [];
    for (const { worker, indices: share } of fleet.workers)
      for (const index of share) {
        this.workerOf.set(index, worker);
        indices.push(index);
      }
    const instances = new InstanceTable(indices.sort((a, b) => a - b));
    this.instances = instances;
    const post = (index: number, message: ToAgent): void => {
      const worker = this.workerOf.get(index);
      if (worker !== undefined) fleet.post(worker, message);
    };
    const workers = fleet.workers.map(({ worker }) => worker);
    this.server = await startFleetInspectorServer(
      {
        instances,
        count: fleet.workers[0]?.count ?? 0,
        post,
        broadcast: (message) => workers.forEach((worker) => fleet.post(worker, message)),
        read: () => fleet.read(),
      },
      this.address,
    );
    this.print(`Inspector: ${this.server.url}\n`);
    if (!isLoopbackHost(this.address.host))
      this.print(
        `Inspector: listening on ${this.address.host}: anyone who can reach it and has the token controls these trees.\n`,
      );
  }

  started(indices: readonly number[]): void {
    for (const index of indices) {
      this.instances?.set(index, "running");
      const worker = this.workerOf.get(index);
      if (worker === undefined || this.runningWorkers.has(worker)) continue;
      this.runningWorkers.add(worker);
      this.server?.workerStarted(index);
    }
  }

  exited(exits: readonly { index: number; code: number }[]): void {
    for (const { index, code } of exits) this.instances?.set(index, code === 0 ? "finished" : "failed");
  }

  lost(worker: number): void {
    const instances = this.instances;
    if (!instances) return;
    for (const [index, owner] of this.workerOf) {
      const state = instances.stateOf(index);
      if (owner === worker && (state === "running" || state === "pending")) instances.set(index, "failed");
    }
  }

  received(message: unknown, worker: number): void {
    this.server?.receive(message as FromAgent, worker);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }
}
