import type { Node } from "../scene/Node";
import { ErrorCode } from "../core/ErrorCode";
import { WebSocketPeerState } from "../net/WebSocketPeer";
import { WebSocketConnectionNode } from "../nodes/websocketConnection";
import { WebsocketClient } from "../nodes/WebsocketClient";
import { WebSocketNode } from "../nodes/WebSocketNode";

/** Seconds of msgs/s history kept per WebSocket node for the sparklines. */
export const RATE_HISTORY = 60;
/** WebSocket nodes whose rates are followed; more are shown without history. */
export const MAX_RATE_NODES = 1000;

export interface WsView {
  state: string;
  url: string;
  autoReconnect: boolean;
  /** Connection attempts in the current streak. */
  attempt: number;
  /** Seconds until the waiting retry; null when none waits. */
  nextRetryIn: number | null;
  /** Messages waiting for the next open. */
  queue: number;
  sent: number;
  received: number;
  lastClose: { code: number; reason: string } | null;
  /** Messages per second, oldest first, one per second. */
  rateIn: number[];
  rateOut: number[];
}

export type WsAction = "open" | "close" | "drop" | "send";

export function isWsNode(node: Node): node is WebSocketConnectionNode {
  return node instanceof WebSocketConnectionNode;
}

function urlOf(node: WebSocketConnectionNode): string {
  if (node instanceof WebsocketClient) return node.connectionUrl;
  if (node instanceof WebSocketNode) return node.url;
  return node.socket?.url ?? "";
}

/** Per node: the last counter readings and the msgs/s they gave. */
interface RateTrack {
  socket: unknown;
  sent: number;
  received: number;
  rateIn: number[];
  rateOut: number[];
}

/** Samples every followed WebSocket node's message counters once a second into msgs/s histories. */
export class WsRates {
  private readonly tracks = new Map<Node, RateTrack>();

  /** Reads the counters of `nodes`; `seconds` since the previous sample. Forgets nodes not listed. */
  sample(nodes: Iterable<WebSocketConnectionNode>, seconds: number): void {
    const seen = new Set<Node>();
    for (const node of nodes) {
      if (seen.size >= MAX_RATE_NODES) break;
      seen.add(node);
      const socket = node.socket;
      const sent = socket?.messagesSent ?? 0;
      const received = socket?.messagesReceived ?? 0;
      let track = this.tracks.get(node);
      if (!track) {
        track = { socket, sent, received, rateIn: [], rateOut: [] };
        this.tracks.set(node, track);
        continue;
      }
      // A node that re-entered the tree has a fresh socket counting from 0.
      const base = track.socket === socket;
      push(track.rateOut, (sent - (base ? track.sent : 0)) / seconds);
      push(track.rateIn, (received - (base ? track.received : 0)) / seconds);
      track.socket = socket;
      track.sent = sent;
      track.received = received;
    }
    for (const node of this.tracks.keys()) if (!seen.has(node)) this.tracks.delete(node);
  }

  history(node: Node): { rateIn: number[]; rateOut: number[] } {
    const track = this.tracks.get(node);
    return { rateIn: track?.rateIn.slice() ?? [], rateOut: track?.rateOut.slice() ?? [] };
  }
}

function push(history: number[], value: number): void {
  history.push(Math.round(value * 100) / 100);
  if (history.length > RATE_HISTORY) history.shift();
}

/** What the WebSocket panel shows, or null for other nodes. `now` is on the tree's clock (ms). */
export function wsView(node: Node, now: number, rates?: WsRates): WsView | null {
  if (!isWsNode(node)) return null;
  const socket = node.socket;
  const retryAt = socket?.nextRetryAt ?? null;
  const lastCode = socket?.lastCloseCode ?? null;
  return {
    state: WebSocketPeerState[node.connectionState] ?? String(node.connectionState),
    url: urlOf(node),
    autoReconnect: node.autoReconnect,
    attempt: socket?.attemptCount ?? 0,
    nextRetryIn: retryAt === null ? null : Math.max(0, Math.round(retryAt - now) / 1000),
    queue: node.queuedSendCount,
    sent: socket?.messagesSent ?? 0,
    received: socket?.messagesReceived ?? 0,
    lastClose: lastCode === null ? null : { code: lastCode, reason: socket?.lastCloseReason ?? "" },
    ...(rates ? rates.history(node) : { rateIn: [], rateOut: [] }),
  };
}

/**
 * The WebSocket panel's buttons. `drop` simulates a network failure: the underlying TCP socket is
 * destroyed without a closing handshake (close code -1), so a node with `autoReconnect` reconnects
 * by itself as it would after a real drop.
 */
export function wsAction(
  node: Node,
  action: WsAction,
  text = "",
): { ok: true } | { ok: false; error: string } {
  if (!isWsNode(node)) return { ok: false, error: "not a WebSocket node" };
  let code: ErrorCode;
  switch (action) {
    case "open":
      if (node instanceof WebsocketClient) code = node.openConnection();
      else if (node instanceof WebSocketNode) code = node.connectSocket();
      else return { ok: false, error: "this WebSocket node has no open action" };
      break;
    case "close":
      if (node instanceof WebsocketClient || node instanceof WebSocketNode) code = node.close();
      else return { ok: false, error: "this WebSocket node has no close action" };
      break;
    case "drop": {
      const peer = node.socket?.currentPeer ?? null;
      if (peer === null) return { ok: false, error: "no connection to drop" };
      peer.abort("link dropped from the inspector");
      return { ok: true };
    }
    case "send":
      if (node instanceof WebsocketClient || node instanceof WebSocketNode) code = node.sendText(text);
      else return { ok: false, error: "this WebSocket node cannot send" };
      break;
  }
  return code === ErrorCode.OK ? { ok: true } : { ok: false, error: ErrorCode[code] ?? String(code) };
}
