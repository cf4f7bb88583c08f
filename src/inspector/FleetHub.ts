import type { WebSocket } from "ws";
import type { TrendData } from "../metrics/data";
import { FleetSampler, type FleetReading } from "./fleetMetrics";
import type { InstanceTable } from "./instanceTable";
import { acceptPage } from "./pageSocket";
import type { ClientMessage } from "./protocol";
import { TRENDS_INTERVAL_MS, type FromAgent, type ToAgent } from "./relay";
import { InspectorCloseCode, type Session } from "./Session";

/** How a fleet's main thread reaches its workers, for {@link FleetHub}. */
export interface FleetLink {
  /** Where each instance is in its life, kept up to date by the fleet. */
  readonly instances: InstanceTable;
  /** Instances in the whole fleet (every shard). */
  readonly count: number;
  /** Posts to the worker that runs instance `index`. */
  post(index: number, message: ToAgent): void;
  /** Posts to every worker. */
  broadcast(message: ToAgent): void;
  /** The status line's figures now. */
  read(): FleetReading;
}

interface Page {
  /** Names this page in relay messages. */
  id: number;
  /** The instance it shows, or null before one is picked (or after it quit). */
  index: number | null;
  /** Its worker was told it is backed up. */
  stale: boolean;
}

/**
 * The inspector's pages for a fleet: they connect to the main thread, which checks their token as for
 * a lone tree, answers the instance picker and the fleet charts itself, and relays everything about
 * one tree to the worker that runs the instance each page picked (see ./relay.ts).
 */
export class FleetHub {
  private readonly pages = new Map<Session, Page>();
  private readonly byId = new Map<number, Session>();
  private readonly trends = new Map<number, Record<string, TrendData>>();
  private sampler = new FleetSampler();
  /** The last `fleet` message, for a page that arrives between two. */
  private last: object | null = null;
  private nextId = 1;
  private timer: ReturnType<typeof setInterval> | null = null;
  private disposed = false;

  constructor(
    private readonly link: FleetLink,
    private readonly token: string,
  ) {}

  get sessionCount(): number {
    return this.pages.size;
  }

  accept(socket: WebSocket): void {
    const session = acceptPage(socket, this.token, {
      authenticated: (page) => this.welcome(page),
      message: (page, message) => this.handle(page, message),
      closed: (page) => this.leave(page),
    });
    const page: Page = { id: this.nextId++, index: null, stale: false };
    this.pages.set(session, page);
    this.byId.set(page.id, session);
  }

  /**
   * The worker that runs instance `index` began its run. A worker drops what reaches it before then
   * (it has no agent yet), and the fleet charts are turned on once, so a page that connected while the
   * workers were loading would never get a trend: tell that worker again (turning on twice is a no-op).
   */
  workerStarted(index: number): void {
    if (this.timer !== null) this.link.post(index, { op: "metrics", on: true });
  }

  /** A message from worker `worker`'s agent. */
  receive(message: FromAgent, worker: number): void {
    if (message.op === "trends") {
      this.trends.set(worker, { ...this.trends.get(worker), ...message.trends });
      return;
    }
    const session = this.byId.get(message.page);
    const page = session && this.pages.get(session);
    if (!session || !page) return;
    if (page.index !== message.index) {
      // The page moved on; an answer to a request it sent before still settles that request.
      if (message.op === "page" && (message.message as { t?: unknown }).t === "result")
        session.send(message.message);
      return;
    }
    if (message.op === "page") {
      session.send(message.message);
      if (session.stale && !page.stale) {
        page.stale = true;
        this.link.post(message.index, { op: "stale", page: page.id });
      }
      return;
    }
    page.index = null;
    session.send({
      t: "instance",
      index: message.index,
      state: this.stateOf(message.index),
      attached: false,
    });
    session.send({ t: "error", error: `Instance ${message.index}: ${message.reason}. Pick another.` });
  }

  dispose(reason = "the inspector closed"): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const session of [...this.pages.keys()]) {
      this.leave(session);
      session.close(InspectorCloseCode.GOING_AWAY, reason);
    }
  }

  /** The HTTP API's answer: the fleet's instance counts. */
  outlineJson(): string {
    const { instances } = this.link;
    return JSON.stringify({ fleet: { count: this.link.count, here: instances.size, ...instances.counts() } });
  }

  private stateOf(index: number): string {
    return this.link.instances.stateOf(index) ?? "unknown";
  }

  private welcome(session: Session): void {
    const page = this.pages.get(session)!;
    session.send({
      t: "hello",
      fleet: { count: this.link.count, here: this.link.instances.size },
      instance: null,
      instances: [],
    });
    const first = this.link.instances.firstRunning();
    if (first !== null) this.pick(session, page, first);
    this.updateTimer();
    if (this.last) session.send(this.last);
    else this.tick(); // the charts' first point
  }

  private pick(session: Session, page: Page, index: number): void {
    const state = this.link.instances.stateOf(index);
    if (state !== "running") {
      session.send({
        t: "error",
        error: state === null ? `No instance ${index} here.` : `Instance ${index} is ${state}, not running.`,
      });
      return;
    }
    if (page.index !== null) this.link.post(page.index, { op: "detach", page: page.id });
    page.index = index;
    session.selected = 0;
    session.stale = page.stale = false;
    session.send({ t: "instance", index, state, attached: true });
    this.link.post(index, { op: "attach", page: page.id, index });
  }

  private handle(session: Session, message: ClientMessage): void {
    const page = this.pages.get(session)!;
    switch (message.t) {
      case "hello":
        return;
      case "instance":
        return this.pick(session, page, message.index);
      case "instances": {
        if (message.req === undefined) return;
        const answer = this.link.instances.page(message);
        session.send({ t: "result", req: message.req, ...answer });
        return;
      }
      default:
        if (page.index !== null) this.link.post(page.index, { op: "message", page: page.id, message });
        else if ("req" in message && message.req !== undefined)
          session.send({ t: "result", req: message.req, ok: false, error: "no instance picked" });
    }
  }

  private leave(session: Session): void {
    const page = this.pages.get(session);
    if (!page) return;
    if (page.index !== null) this.link.post(page.index, { op: "detach", page: page.id });
    this.pages.delete(session);
    this.byId.delete(page.id);
    this.updateTimer();
  }

  /** Charts tick and workers send trends only while an authenticated page is open. */
  private updateTimer(): void {
    let open = 0;
    for (const session of this.pages.keys()) if (session.authenticated) open++;
    if (open > 0 && !this.disposed && this.timer === null) {
      this.link.broadcast({ op: "metrics", on: true });
      this.timer = setInterval(() => this.tick(), TRENDS_INTERVAL_MS);
      this.timer.unref();
    } else if ((open === 0 || this.disposed) && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
      this.trends.clear();
      this.sampler = new FleetSampler();
      this.last = null;
      this.link.broadcast({ op: "metrics", on: false });
    }
  }

  private tick(): void {
    const sample = this.sampler.sample(this.link.read(), this.trends.values(), Date.now());
    const counts = this.link.instances.counts();
    const message = (this.last = { t: "fleet", sample, counts });
    for (const [session, page] of this.pages) {
      if (!session.authenticated) continue;
      if (session.canResync && page.index !== null) {
        session.stale = page.stale = false;
        this.link.post(page.index, { op: "resync", page: page.id });
      }
      session.send(message);
    }
  }
}
