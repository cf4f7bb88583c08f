/**
 * The page's socket to the inspector: sends the token first, matches answers to requests, and
 * reconnects after a drop (not after a refused token).
 */
export const UNAUTHORIZED = 4401;

export function tokenFromLocation() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : "";
}

export class Connection {
  constructor(token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.nextReq = 1;
    this.pending = new Map();
    this.socket = null;
    this.stopped = false;
    /** Why the inspector last closed this page (e.g. "the tree quit"), kept while retries fail. */
    this.closedFor = "";
    this.open();
  }

  open() {
    const socket = new WebSocket(`ws://${location.host}/ws`);
    this.socket = socket;
    // A retry leaves the page saying why it was disconnected until it is connected again.
    if (!this.closedFor && this.nextReq === 1) this.handlers.status("connecting");
    socket.onopen = () => socket.send(JSON.stringify({ t: "hello", token: this.token }));
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.t === "result") {
        const resolve = this.pending.get(message.req);
        this.pending.delete(message.req);
        if (resolve) resolve(message);
        return;
      }
      if (message.t === "hello") {
        this.closedFor = "";
        this.handlers.status("connected");
      }
      this.handlers.message(message);
    };
    socket.onclose = (event) => {
      for (const resolve of this.pending.values()) resolve({ ok: false, error: "disconnected" });
      this.pending.clear();
      if (event.code === UNAUTHORIZED) {
        this.stopped = true;
        this.handlers.status("refused", event.reason);
        return;
      }
      // A failed retry has no reason of its own (1006): the page keeps the one it was closed with.
      if (event.reason) this.closedFor = event.reason;
      this.handlers.status("disconnected", event.reason || this.closedFor);
      if (!this.stopped) setTimeout(() => this.open(), 2000);
    };
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Sends a message that gets a `result`; resolves with it. */
  request(message) {
    const req = this.nextReq++;
    return new Promise((resolve) => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        resolve({ ok: false, error: "not connected" });
        return;
      }
      this.pending.set(req, resolve);
      this.socket.send(JSON.stringify({ ...message, req }));
    });
  }
}
