/**
 * A way for a layer above the fleet (the inspector, wired by the CLI) to reach into its workers
 * without the fleet knowing it: the main thread's side gets the fleet's events and can post to a
 * worker; each worker loads the extension's agent module on the first message for it, and that agent
 * gets the worker's trees and metrics. A fleet without an extension loads and sends nothing of it.
 */
import type { IndexRange } from "../core/indexRange";
import type { LiveTotals } from "../metrics/live";
import type { Metrics } from "../metrics/Metrics";
import type { SceneTree } from "../scene/SceneTree";
import type { InstanceExit } from "./protocol";

/** What a worker gives its agent. */
export interface AgentContext {
  /** Sends a message to the extension's main-thread side (plain structured-clone data). */
  post(message: unknown): void;
  /** The live tree of one of this worker's instances, or null (not started, or quit). */
  treeOf(index: number): SceneTree | null;
  /** The registry every tree of this worker shares. */
  metrics: Metrics;
}

export interface WorkerAgent {
  receive(message: unknown): void;
  /** The worker's run ended: its trees are gone. */
  dispose(): void;
}

/** An agent module exports this. */
export type CreateAgent = (context: AgentContext) => WorkerAgent;

/** One worker's share, as an extension sees it. */
export interface WorkerShare {
  worker: number;
  /** Global indices, ascending. */
  indices: IndexRange;
  /** Instances in the whole fleet. */
  count: number;
}

/** The fleet as its extension's main-thread side reaches it. */
export interface FleetAccess {
  /** This process's (this shard's) instances, dealt in turn: position p is run by `workers[p % workers.length]`. */
  readonly instances: IndexRange;
  readonly workers: readonly WorkerShare[];
  /** Posts to worker `worker`'s agent (dropped before the workers exist and once one is gone). */
  post(worker: number, message: unknown): void;
  /** The status line's figures now: instances running of the target, metric totals, errors. */
  read(): { running: number; target: number; totals: LiveTotals; errors: number };
}

export interface FleetExtension {
  /** Absolute path of the workers' agent module (it exports `createAgent`: {@link CreateAgent}). */
  readonly agentModule: string;
  /** Before any worker exists; a rejection stops the run before it starts. */
  open(fleet: FleetAccess): Promise<void>;
  started(indices: readonly number[]): void;
  exited(exits: readonly InstanceExit[]): void;
  /** A worker crashed or could not load the scene: its unreported instances failed. */
  lost(worker: number): void;
  /** A message from worker `worker`'s agent. */
  received(message: unknown, worker: number): void;
  /** The fleet has finished. */
  close(): Promise<void>;
}
