import type { CliIo } from "../cli/output";
import type { StatusReading } from "../cli/status";
import { isLoopbackHost, type InspectAddress } from "../inspector/address";
import type { FromAgent } from "../inspector/relay";
import { InstanceTable } from "../inspector/instanceTable";
import { startFleetInspectorServer } from "../inspector/server";
import type { FleetHost } from "./FleetHost";
import type { InstanceExit, WorkerSetup } from "./protocol";

/**
 * `--inspect` with `--instances`: the inspector's server runs in the main thread and relays each page
 * to the worker that runs the instance it picked. Opened before the workers exist, it follows their
 * instances from the start.
 */
export class FleetInspect {
  readonly instances: InstanceTable;
  private readonly workerOf = new Map<number, number>();
  private host: FleetHost | null = null;
  private server: { close(): Promise<void>; receive(message: FromAgent, worker: number): void } | null = null;

  constructor(
    private readonly address: InspectAddress,
    setups: readonly WorkerSetup[],
    private readonly read: () => StatusReading,
  ) {
    const indices: number[] = [];
    for (const setup of setups)
      for (const index of setup.indices) {
        this.workerOf.set(index, setup.worker);
        indices.push(index);
      }
    this.instances = new InstanceTable(indices.sort((a, b) => a - b));
    this.count = setups[0]?.count ?? 0;
  }

  readonly count: number;

  started(indices: readonly number[]): void {
    for (const index of indices) this.instances.set(index, "running");
  }

  exited(exits: readonly InstanceExit[]): void {
    for (const { index, code } of exits) this.instances.set(index, code === 0 ? "finished" : "failed");
  }

  /** A lost worker's instances that had not quit failed with it. */
  lost(worker: number): void {
    for (const [index, owner] of this.workerOf) {
      const state = this.instances.stateOf(index);
      if (owner === worker && (state === "running" || state === "pending"))
        this.instances.set(index, "failed");
    }
  }

  relayed(message: FromAgent, worker: number): void {
    this.server?.receive(message, worker);
  }

  /** The workers, once they exist: pages' messages reach them from then on. */
  bind(host: FleetHost): void {
    this.host = host;
  }

  /** Serves the page and prints its URL on stderr (before any worker exists: a bad port stops the run). */
  async open(io: CliIo): Promise<void> {
    const server = await startFleetInspectorServer(
      {
        instances: this.instances,
        count: this.count,
        post: (index, message) => {
          const worker = this.workerOf.get(index);
          if (worker !== undefined) this.host?.inspect(worker, message);
        },
        broadcast: (message) => {
          for (const worker of new Set(this.workerOf.values())) this.host?.inspect(worker, message);
        },
        read: () => this.read(),
      },
      this.address,
    );
    this.server = server;
    io.stderr(`Inspector: ${server.url}\n`);
    if (!isLoopbackHost(this.address.host))
      io.stderr(
        `Inspector: listening on ${this.address.host}: anyone who can reach it and has the token controls these trees.\n`,
      );
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }
}
