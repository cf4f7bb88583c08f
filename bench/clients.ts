/**
 * The clients compared by the WebSocket benchmarks, each used the way its own documentation shows,
 * with its default settings, behind one small interface. The message callback is wired straight to the
 * library's own event (no wrapper of ours in between except where the library hands over an event
 * object, whose `data` a user would read too).
 *
 *   ws                      raw `ws` WebSocket: the baseline (no reconnection, no queue)
 *   scenetree               a `WebsocketClient` node in a running `SceneTree`, `messageReceived` signal
 *   scenetree-core          the network core alone (`ReconnectingSocket`, immediate dispatch): shows
 *                           what the node layer adds on top
 *   partysocket             partysocket's ReconnectingWebSocket, `ws` as its WebSocket
 *   reconnecting-websocket  reconnecting-websocket, `ws` as its WebSocket
 *
 * partysocket and reconnecting-websocket get `binaryType = "arraybuffer"` (their "blob" default would
 * make every message a Blob, which costs far more and is not what a Node user picks).
 */
import PartySocket from "partysocket/ws";
import ReconnectingWebSocket from "reconnecting-websocket";
import WebSocket from "ws";
import { ReconnectingSocket, SceneTree, WebsocketClient } from "scenetree";

export const CLIENT_KINDS = [
  "ws",
  "scenetree",
  "scenetree-core",
  "partysocket",
  "reconnecting-websocket",
] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];
/** The clients that reconnect (and queue) by themselves. */
export const RECONNECTING_KINDS: ClientKind[] = [
  "scenetree",
  "scenetree-core",
  "partysocket",
  "reconnecting-websocket",
];

export interface ClientHandlers {
  /** One message: a Buffer (ws, scenetree) or an ArrayBuffer (the other two), or a string for text frames. */
  message?: (data: unknown) => void;
  /** Every open, the first and each reconnect. */
  open?: () => void;
  /** Every close or failed attempt. */
  close?: () => void;
}

/** Only for the smoke test: shorter reconnection delays so a tiny run takes milliseconds, not seconds. */
export interface ClientTuning {
  /** Seconds: our `reconnectDelay`, the others' `minReconnectionDelay`. */
  reconnectDelay: number;
}

export interface BenchClient {
  readonly kind: ClientKind;
  /** Sends a message; returns what the library reports (false = not sent now, e.g. queued or dropped). */
  send(data: Buffer | string): boolean;
  /** Closes for good (no reconnect). */
  close(): void;
  /** Reconnection delays the client scheduled, in seconds, where the library tells (scenetree). */
  readonly scheduledDelays: number[];
}

/**
 * Where clients live: the scene tree that `scenetree` nodes need (created on first use and run in real
 * time at 60 fps, as an application would), and the clean-up of everything a scenario created.
 */
export class ClientHost {
  private tree: SceneTree | null = null;
  private running: Promise<number> | null = null;
  private readonly clients: BenchClient[] = [];

  sceneTree(): SceneTree {
    if (this.tree === null) {
      this.tree = new SceneTree();
      this.running = this.tree.run({ fps: 60 });
    }
    return this.tree;
  }

  create(kind: ClientKind, url: string, handlers: ClientHandlers, tuning?: ClientTuning): BenchClient {
    const client = createClient(kind, url, handlers, this, tuning);
    this.clients.push(client);
    return client;
  }

  /** Closes every client and stops the tree. */
  async dispose(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
    if (this.tree !== null) {
      this.tree.quit();
      await this.running;
      this.tree = null;
    }
  }
}

/**
 * The adapter object. `send` and `close` arrive as arguments rather than as object-literal arrows: a
 * named arrow is wrapped in `__name()` by tsx, which costs ~256 bytes per closure and would inflate
 * every client's memory figure alike.
 */
function client(
  kind: ClientKind,
  scheduledDelays: number[],
  send: (data: Buffer | string) => boolean,
  close: () => void,
): BenchClient {
  return { kind, scheduledDelays, send, close };
}

function createClient(
  kind: ClientKind,
  url: string,
  handlers: ClientHandlers,
  host: ClientHost,
  tuning: ClientTuning | undefined,
): BenchClient {
  const scheduledDelays: number[] = [];
  switch (kind) {
    case "ws": {
      const socket = new WebSocket(url);
      if (handlers.message) socket.on("message", handlers.message);
      if (handlers.open) socket.on("open", handlers.open);
      if (handlers.close) socket.on("close", handlers.close);
      socket.on("error", () => {});
      return client(
        kind,
        scheduledDelays,
        (data) => {
          if (socket.readyState !== WebSocket.OPEN) {
            // What ws does with it: after close it is discarded; while connecting it throws.
            if (socket.readyState !== WebSocket.CONNECTING) socket.send(data);
            return false;
          }
          socket.send(data);
          return true;
        },
        () => socket.close(),
      );
    }
    case "scenetree": {
      const node = new WebsocketClient("Client");
      node.connectionUrl = url;
      if (tuning) node.reconnectDelay = tuning.reconnectDelay;
      if (handlers.message) node.connect("messageReceived", handlers.message);
      if (handlers.open) node.connect("connectionEstablished", handlers.open);
      if (handlers.close) node.connect("connectionClosed", handlers.close);
      node.connect("reconnecting", (_attempt: number, delay: number) => scheduledDelays.push(delay));
      host.sceneTree().root.addChild(node);
      node.openConnection();
      return client(
        kind,
        scheduledDelays,
        (data) => (typeof data === "string" ? node.sendText(data) : node.send(data)) === 0 && node.isOpen,
        () => {
          if (!node.isInstanceValid()) return;
          node.close();
          node.queueFree();
        },
      );
    }
    case "scenetree-core": {
      const socket = new ReconnectingSocket({ url, reconnectDelay: tuning?.reconnectDelay });
      if (handlers.message) socket.on("message", handlers.message);
      if (handlers.open) socket.on("open", handlers.open);
      if (handlers.close) socket.on("close", handlers.close);
      socket.on("reconnectScheduled", (_attempt, delay) => scheduledDelays.push(delay));
      socket.open();
      return client(
        kind,
        scheduledDelays,
        (data) => {
          const open = socket.isOpen;
          return socket.send(data) === 0 && open;
        },
        () => {
          socket.close();
          socket.dispose();
        },
      );
    }
    case "partysocket":
    case "reconnecting-websocket": {
      const options = tuning
        ? { WebSocket, minReconnectionDelay: tuning.reconnectDelay * 1000, maxReconnectionDelay: 10_000 }
        : { WebSocket };
      const socket =
        kind === "partysocket"
          ? new PartySocket(url, undefined, options)
          : new ReconnectingWebSocket(url, undefined, options);
      socket.binaryType = "arraybuffer";
      const onMessage = handlers.message;
      if (onMessage) socket.addEventListener("message", (event: { data: unknown }) => onMessage(event.data));
      if (handlers.open) socket.addEventListener("open", handlers.open);
      if (handlers.close) socket.addEventListener("close", handlers.close);
      socket.addEventListener("error", () => {});
      return client(
        kind,
        scheduledDelays,
        (data) => {
          const open = socket.readyState === WebSocket.OPEN;
          // Their typings want a plain-ArrayBuffer view; a Buffer is one at run time.
          socket.send(data as string | Uint8Array<ArrayBuffer>);
          return open;
        },
        () => socket.close(),
      );
    }
  }
}
