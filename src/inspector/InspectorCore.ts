import type { WebSocket } from "ws";
import type { SceneTree } from "../scene/SceneTree";
import type { WebSocketConnectionNode } from "../nodes/websocketConnection";
import { hasMetrics } from "../metrics/treeMetrics";
import type { ClientMessage, FrameStats } from "./protocol";
import { NodeIds, TreeWatcher } from "./TreeWatcher";
import { FrameClock } from "./FrameClock";
import { MetricsSampler } from "./metricsView";
import { WsRates, isWsNode, wsAction } from "./wsNodes";
import { nodeDetails } from "./details";
import { editProp } from "./props";
import { typeInfoOf, typeNameOf } from "./nodeTypes";
import { markOwn } from "./ownListeners";
import { acceptPage } from "./pageSocket";
import { InspectorCloseCode, type PageSession } from "./Session";

export { HELLO_TIMEOUT_MS } from "./pageSocket";

/** How often pages get updates (ms): diffs are batched over this long. */
export const UPDATE_INTERVAL_MS = 250;
/** Pages connected at once; more are refused. */
export const MAX_SESSIONS = 8;
/** Group names listed for the group filter. */
const MAX_GROUP_NAMES = 1000;

/**
 * The inspector's state for one tree: the pages connected to it and everything they are shown.
 * Watching starts when the first page proves the token and stops when the last one leaves, so an
 * inspector nobody looks at adds no listener to the tree.
 */
export class InspectorCore {
  private readonly sessions = new Set<PageSession>();
  /** Ids outlive watchers, so a page that reconnects keeps its selection. */
  private readonly ids = new NodeIds();
  private watcher: TreeWatcher | null = null;
  private frames: FrameClock | null = null;
  private rates = new WsRates();
  private sampler = new MetricsSampler();
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastSample = 0;
  private stepsLeft = 0;
  private disposed = false;

  private readonly onStepFrame = markOwn((): void => {
    if (--this.stepsLeft > 0) return;
    this.tree.off("processFrame", this.onStepFrame);
    this.tree.setSuspend(true);
  });

  constructor(
    readonly tree: SceneTree,
    private readonly token: string,
  ) {}

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Takes a newly upgraded page socket; it must send `hello` with the token first. */
  accept(socket: WebSocket): void {
    const session = acceptPage(socket, this.token, {
      authenticated: (page) => {
        this.updateWatching();
        this.welcome(page);
      },
      message: (page, message) => this.handle(page, message),
      closed: (page) => this.detach(page),
    });
    this.sessions.add(session);
  }

  /**
   * Adds a page that proved the token elsewhere (a fleet's main thread relays it to this worker): it
   * gets this tree's snapshot, not a `hello`, which its relay sends.
   */
  attach(session: PageSession): void {
    if (this.disposed) return session.close(InspectorCloseCode.GOING_AWAY, "the inspector closed");
    session.authenticated = true;
    this.sessions.add(session);
    this.updateWatching();
    this.flush(session); // other pages get what is pending before the snapshot resets it
    this.sendSnapshot(session);
  }

  /** A page that left: the last one to leave stops the watching. */
  detach(session: PageSession): void {
    this.sessions.delete(session);
    this.updateWatching();
  }

  /** A relayed page's message (already checked against the protocol's schema). */
  handleMessage(session: PageSession, message: ClientMessage): void {
    if (!this.sessions.has(session) || !session.authenticated) return;
    // Whatever a page asks runs inside the socket's message handler (or a fleet worker's): a throw out
    // of it would end the inspected process. The page is told instead, and the tree goes on.
    try {
      this.handle(session, message);
    } catch (error) {
      session.send({ t: "error", error: `The inspector could not do "${message.t}": ${messageOf(error)}` });
    }
  }

  /** Closes every page and stops watching. */
  dispose(reason = "the inspector closed"): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const session of this.sessions) session.close(InspectorCloseCode.GOING_AWAY, reason);
    this.sessions.clear();
    this.updateWatching();
  }

  /** The tree as the HTTP API gives it: every node's path and type, in tree order. */
  outlineJson(): string {
    const nodes: { path: string; type: string }[] = [];
    const stack = [this.tree.root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      nodes.push({ path: node.getPath(), type: typeNameOf(node) });
      const children = node.getChildren();
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return JSON.stringify({ frame: this.tree.getFrame(), suspended: this.tree.isSuspended(), nodes });
  }

  private welcome(session: PageSession): void {
    this.flush(session); // other pages get what is pending before the snapshot resets it
    // A lone tree is its own only instance (a fleet's hub greets its pages itself).
    const { index, count } = this.tree.instance;
    const label = count > 1 ? `instance ${index} of ${count}` : "this process";
    session.send({ t: "hello", instance: index, instances: [{ index, label }] });
    this.sendSnapshot(session);
  }

  private sendSnapshot(session: PageSession): void {
    const watcher = this.watcher as TreeWatcher;
    const nodes = watcher.snapshot();
    session.stale = false;
    session.lastDetails = "";
    session.send({ t: "snapshot", types: watcher.typeNames(), nodes, frame: this.frameStats([]) });
  }

  private handle(session: PageSession, message: ClientMessage): void {
    const tree = this.tree;
    const reply = (req: number | undefined, result: object): void => {
      if (req !== undefined) session.send({ t: "result", req, ...result });
    };
    switch (message.t) {
      case "hello":
        return;
      case "select":
        session.selected = message.id ?? 0;
        session.lastDetails = "";
        this.sendDetails(session);
        return;
      case "setProp": {
        const node = this.watcher?.nodeById(message.id);
        const info = node ? typeInfoOf(node) : null;
        if (!node || !info)
          return reply(message.req, { ok: false, error: "no such node, or it has no props" });
        const result = editProp(node, info, message.name, message.value);
        reply(message.req, result);
        this.sendDetails(session);
        return;
      }
      case "suspend":
        if (!message.on) this.cancelSteps();
        tree.setSuspend(message.on);
        this.broadcastFrame();
        return;
      case "nextFrame":
        if (!tree.isSuspended()) return reply(message.req, { ok: false, error: "not suspended" });
        if (this.stepsLeft++ === 0) tree.on("processFrame", this.onStepFrame);
        tree.setSuspend(false);
        reply(message.req, { ok: true });
        return;
      case "setPaused":
        tree.paused = message.on;
        this.broadcastFrame();
        return;
      case "ws": {
        const node = this.watcher?.nodeById(message.id);
        if (!node) return reply(message.req, { ok: false, error: "no such node" });
        reply(message.req, wsAction(node, message.action, message.text));
        this.sendDetails(session);
        return;
      }
      case "group": {
        const watcher = this.watcher as TreeWatcher;
        if (message.group !== undefined) {
          const ids = tree.getNodesInGroup(message.group).map((node) => watcher.idOf(node));
          return reply(message.req, { ok: true, ids: ids.filter((id) => id > 0) });
        }
        return reply(message.req, { ok: true, groups: this.groupNames() });
      }
      case "instance":
        if (message.index !== tree.instance.index)
          session.send({ t: "error", error: `No instance ${message.index} here.` });
        return;
      case "instances":
        // A fleet's main thread answers this one; a lone tree is its only instance.
        return reply(message.req, {
          ok: true,
          total: 1,
          matched: 1,
          offset: 0,
          items: [[tree.instance.index, "running"]],
          counts: { pending: 0, running: 1, finished: 0, failed: 0 },
        });
    }
  }

  private cancelSteps(): void {
    if (this.stepsLeft === 0) return;
    this.stepsLeft = 0;
    this.tree.off("processFrame", this.onStepFrame);
  }

  private groupNames(): string[] {
    const names = new Set<string>();
    const stack = [this.tree.root];
    while (stack.length > 0 && names.size < MAX_GROUP_NAMES) {
      const node = stack.pop()!;
      for (const group of node.getGroups()) names.add(group);
      stack.push(...node.getChildren());
    }
    return [...names].sort();
  }

  /** Starts watching for the first page that proved the token; stops after the last one. */
  private updateWatching(): void {
    let authenticated = 0;
    for (const session of this.sessions) if (session.authenticated) authenticated++;
    if (authenticated > 0 && !this.disposed && this.watcher === null) {
      this.watcher = new TreeWatcher(this.tree, isWsNode, this.ids);
      this.frames = new FrameClock(this.tree);
      this.rates = new WsRates();
      this.sampler = new MetricsSampler();
      this.lastSample = performance.now();
      this.timer = setInterval(() => this.flushGuarded(), UPDATE_INTERVAL_MS);
      this.timer.unref();
    } else if ((authenticated === 0 || this.disposed) && this.watcher !== null) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      this.cancelSteps();
      this.watcher.dispose();
      this.frames?.dispose();
      this.watcher = null;
      this.frames = null;
    }
  }

  private frameStats(times: number[]): FrameStats {
    return {
      frame: this.tree.getFrame(),
      fps: this.frames?.fps() ?? 0,
      times,
      suspended: this.tree.isSuspended(),
      paused: this.tree.paused,
    };
  }

  private broadcastFrame(): void {
    for (const session of this.sessions)
      if (session.authenticated) session.send({ t: "update", frame: this.frameStats([]) });
  }

  /** A batch from the timer: one that fails is told to the pages, not thrown out of the process's timer. */
  private flushGuarded(): void {
    try {
      this.flush();
    } catch (error) {
      for (const session of this.sessions)
        if (session.authenticated)
          session.send({ t: "error", error: `The inspector could not update the page: ${messageOf(error)}` });
    }
  }

  /**
   * One batch: the tree's diff, frame stats, once a second rates and metrics, selected details. A page
   * that is being welcomed (`except`) gets none of it: its first messages are its hello and snapshot,
   * which already hold what the batch would tell it.
   */
  private flush(except?: PageSession): void {
    const watcher = this.watcher;
    if (watcher === null || this.frames === null) return;
    const diff = watcher.takeDiff();
    const update: Record<string, unknown> = { t: "update", frame: this.frameStats(this.frames.takeTimes()) };
    if (diff) update.tree = diff;
    const now = performance.now();
    if (now - this.lastSample >= 1000) {
      const seconds = (now - this.lastSample) / 1000;
      this.lastSample = now;
      this.rates.sample(this.wsNodes(watcher), seconds);
      if (hasMetrics(this.tree)) update.metrics = this.sampler.sample(this.tree.metrics, seconds);
    }
    for (const session of this.sessions) {
      if (!session.authenticated || session === except) continue;
      if (session.canResync) this.sendSnapshot(session);
      else if (!session.stale) session.send(update);
      this.sendDetails(session);
    }
  }

  private wsNodes(watcher: TreeWatcher): Iterable<WebSocketConnectionNode> {
    return watcher.watchedNodes() as Iterable<WebSocketConnectionNode>;
  }

  /** The selected node's details, when they differ from what the page last got. */
  private sendDetails(session: PageSession): void {
    if (session.selected === 0 || this.watcher === null) return;
    const node = this.watcher.nodeById(session.selected);
    const details = node
      ? nodeDetails(session.selected, node, this.tree.clock.now(), this.rates)
      : { id: session.selected, gone: true };
    const json = JSON.stringify(details);
    if (json === session.lastDetails) return;
    if (session.send({ t: "node", details })) session.lastDetails = json;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
