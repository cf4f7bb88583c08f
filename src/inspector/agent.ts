/**
 * A fleet worker's side of the inspector (the fleet's agent module for `--inspect`): on the main
 * thread's request it attaches an inspector core to one of the worker's trees and relays what the core
 * says to the page over the worker's port (see ./relay.ts). Trees nobody picked have nothing attached;
 * a worker loads this module only on the first relay message, so a fleet nobody inspects never does.
 */
import type { Metrics } from "../metrics/Metrics";
import type { TrendData } from "../metrics/data";
import type { SceneTree } from "../scene/SceneTree";
import { InspectorCore } from "./InspectorCore";
import { clientMessageSchema } from "./protocol";
import { TRENDS_INTERVAL_MS, type FromAgent, type ToAgent } from "./relay";
import type { PageSession } from "./Session";

/** What the worker gives its agent (the fleet's `AgentContext`). */
export interface AgentContext {
  post(message: unknown): void;
  treeOf(index: number): SceneTree | null;
  metrics: Metrics;
}

/** The agent module's entry point, which a fleet worker calls. */
export function createAgent(context: AgentContext): {
  receive(message: unknown): void;
  dispose(): void;
} {
  const agent = new InspectorAgent((message) => context.post(message), context.treeOf, context.metrics);
  return { receive: (message) => agent.receive(message as ToAgent), dispose: () => agent.dispose() };
}

/** One page as the worker sees it: what the core sends goes over the port, tagged with the page. */
class RelaySession implements PageSession {
  authenticated = false;
  selected = 0;
  lastDetails = "";
  stale = false;
  /** The main thread said the page's socket has drained. */
  drained = false;

  constructor(
    readonly page: number,
    readonly index: number,
    private readonly agent: InspectorAgent,
  ) {}

  get canResync(): boolean {
    return this.stale && this.drained;
  }

  send(message: object): boolean {
    if (!this.stale) this.drained = false;
    this.agent.post({ op: "page", page: this.page, index: this.index, message });
    return true;
  }

  close(_code: number, reason: string): void {
    this.agent.closed(this, reason);
  }
}

export class InspectorAgent {
  /** One core per picked instance, however many pages show it. */
  private readonly cores = new Map<number, InspectorCore>();
  private readonly pages = new Map<number, RelaySession>();
  private trendsTimer: ReturnType<typeof setInterval> | null = null;
  private readonly sentCounts = new Map<string, number>();

  constructor(
    readonly post: (message: FromAgent) => void,
    private readonly treeOf: (index: number) => SceneTree | null,
    private readonly metrics: Metrics,
  ) {}

  receive(message: ToAgent): void {
    switch (message.op) {
      case "attach":
        return this.attach(message.page, message.index);
      case "detach":
        return this.detach(message.page);
      case "message": {
        const session = this.pages.get(message.page);
        // Checked in the main thread already; checked again, as this is where it acts.
        const parsed = clientMessageSchema.safeParse(message.message);
        if (session && parsed.success) this.cores.get(session.index)?.handleMessage(session, parsed.data);
        return;
      }
      case "stale": {
        const session = this.pages.get(message.page);
        if (session) session.stale = true;
        return;
      }
      case "resync": {
        const session = this.pages.get(message.page);
        if (session) session.drained = true;
        return;
      }
      case "metrics":
        return this.watchTrends(message.on);
    }
  }

  /** Pages and cores attached now (tests and the bench check that unpicked trees carry none). */
  get attached(): { pages: number; trees: number } {
    return { pages: this.pages.size, trees: this.cores.size };
  }

  /** Every page's tree is gone (the worker's run ended). */
  dispose(): void {
    for (const core of this.cores.values()) core.dispose("the fleet stopped");
    this.cores.clear();
    this.watchTrends(false);
  }

  /** A core closed a page (its tree quit): the main thread tells the page. */
  closed(session: RelaySession, reason: string): void {
    if (this.pages.get(session.page) !== session) return;
    this.pages.delete(session.page);
    this.post({ op: "closed", page: session.page, index: session.index, reason });
  }

  private attach(page: number, index: number): void {
    this.detach(page);
    const tree = this.treeOf(index);
    if (!tree || tree.isFinalized()) {
      this.post({ op: "closed", page, index, reason: "it is not running" });
      return;
    }
    let core = this.cores.get(index);
    if (!core) {
      // No token: pages reach this core only through the main thread, which checked theirs.
      core = new InspectorCore(tree, "");
      this.cores.set(index, core);
      const quitting = core;
      void tree.whenFinalized().then(() => {
        quitting.dispose(`it quit with code ${tree.exitCode}`);
        if (this.cores.get(index) === quitting) this.cores.delete(index);
      });
    }
    const session = new RelaySession(page, index, this);
    this.pages.set(page, session);
    core.attach(session);
  }

  private detach(page: number): void {
    const session = this.pages.get(page);
    if (!session) return;
    this.pages.delete(page);
    const core = this.cores.get(session.index);
    if (!core) return;
    core.detach(session);
    if (core.sessionCount === 0) {
      core.dispose();
      this.cores.delete(session.index);
    }
  }

  private watchTrends(on: boolean): void {
    if (on && this.trendsTimer === null) {
      this.sentCounts.clear();
      this.sendTrends();
      this.trendsTimer = setInterval(() => this.sendTrends(), TRENDS_INTERVAL_MS);
      this.trendsTimer.unref();
    } else if (!on && this.trendsTimer !== null) {
      clearInterval(this.trendsTimer);
      this.trendsTimer = null;
    }
  }

  /** The trends whose count changed since the last time, with their histograms. */
  private sendTrends(): void {
    const trends: Record<string, TrendData> = {};
    let any = false;
    for (const metric of this.metrics.all()) {
      if (metric.type !== "trend" || this.sentCounts.get(metric.name) === metric.count) continue;
      this.sentCounts.set(metric.name, metric.count);
      trends[metric.name] = metric.snapshot().data as TrendData;
      any = true;
    }
    if (any) this.post({ op: "trends", trends });
  }
}
