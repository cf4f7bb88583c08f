import type WebSocket from "ws";
import type { SceneTree } from "../scene/SceneTree";
import type { WebSocketConnectionNode } from "../nodes/websocketConnection";
import { hasMetrics } from "../metrics/treeMetrics";
import { clientMessageSchema, type ClientMessage, type FrameStats } from "./protocol";
import { NodeIds, TreeWatcher } from "./TreeWatcher";
import { FrameClock } from "./FrameClock";
import { MetricsSampler } from "./metricsView";
import { WsRates, isWsNode, wsAction } from "./wsNodes";
import { nodeDetails } from "./details";
import { editProp } from "./props";
import { typeInfoOf, typeNameOf } from "./nodeTypes";
import { markOwn } from "./ownListeners";
import { tokenMatches } from "./security";
import { InspectorCloseCode, Session } from "./Session";

/** How often pages get updates (ms): diffs are batched over this long. */
export const UPDATE_INTERVAL_MS = 250;
/** A page that has not sent the right token this soon after connecting is disconnected. */
export const HELLO_TIMEOUT_MS = 10_000;
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
  private readonly sessions = new Set<Session>();
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
    const session = new Session(socket);
    this.sessions.add(session);
    const helloTimer = setTimeout(
      () => session.close(InspectorCloseCode.UNAUTHORIZED, "no hello"),
      HELLO_TIMEOUT_MS,
    );
    helloTimer.unref();
    socket.on("message", (data, isBinary) => {
      if (isBinary) return session.close(1003, "text frames only");
      this.receive(session, data.toString(), () => clearTimeout(helloTimer));
    });
    socket.on("error", () => {}); // a broken page socket closes; nothing to report
    socket.on("close", () => {
      clearTimeout(helloTimer);
      this.sessions.delete(session);
      this.updateWatching();
    });
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

  private receive(session: Session, text: string, authenticated: () => void): void {
    let message: ClientMessage;
    try {
      const parsed = clientMessageSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "invalid message");
      message = parsed.data;
    } catch (error) {
      if (!session.authenticated) return session.close(InspectorCloseCode.UNAUTHORIZED, "hello expected");
      session.send({ t: "error", error: `Refused message: ${(error as Error).message}` });
      return;
    }
    if (!session.authenticated) {
      if (message.t !== "hello" || !tokenMatches(this.token, message.token))
        return session.close(InspectorCloseCode.UNAUTHORIZED, "wrong token");
      authenticated();
      session.authenticated = true;
      this.updateWatching();
      this.welcome(session);
      return;
    }
    this.handle(session, message);
  }

  private welcome(session: Session): void {
    this.flush(); // other pages get what is pending before the snapshot resets it
    // One tree per inspector for now; a fleet's would list every instance its workers run.
    const { index, count } = this.tree.instance;
    const label = count > 1 ? `instance ${index} of ${count}` : "this process";
    session.send({ t: "hello", instance: index, instances: [{ index, label }] });
    this.sendSnapshot(session);
  }

  private sendSnapshot(session: Session): void {
    const watcher = this.watcher as TreeWatcher;
    const nodes = watcher.snapshot();
    session.stale = false;
    session.lastDetails = "";
    session.send({ t: "snapshot", types: watcher.typeNames(), nodes, frame: this.frameStats([]) });
  }

  private handle(session: Session, message: ClientMessage): void {
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
      this.timer = setInterval(() => this.flush(), UPDATE_INTERVAL_MS);
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

  /** One batch: the tree's diff, frame stats, once a second rates and metrics, selected details. */
  private flush(): void {
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
      if (!session.authenticated) continue;
      if (session.canResync) this.sendSnapshot(session);
      else if (!session.stale) session.send(update);
      this.sendDetails(session);
    }
  }

  private wsNodes(watcher: TreeWatcher): Iterable<WebSocketConnectionNode> {
    return watcher.watchedNodes() as Iterable<WebSocketConnectionNode>;
  }

  /** The selected node's details, when they differ from what the page last got. */
  private sendDetails(session: Session): void {
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
