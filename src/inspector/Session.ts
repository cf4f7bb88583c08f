import { WebSocket } from "ws";

/**
 * Bytes a page may have waiting in its socket's send buffer. Past it, updates for that page are
 * dropped and it is marked stale; once the buffer has drained to a quarter of this, it gets a fresh
 * snapshot instead of the diffs it missed.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Close codes the inspector's socket uses. */
export const InspectorCloseCode = {
  /** No hello, or a wrong token. */
  UNAUTHORIZED: 4401,
  /** The inspector is closing, or the tree quit. */
  GOING_AWAY: 1001,
  /** As many pages as the inspector takes are connected already (the page retries). */
  TRY_AGAIN_LATER: 1013,
} as const;

/**
 * What the inspector keeps per page, whatever carries its messages: a page's own WebSocket here, or a
 * relay to a fleet worker's thread, where the tree it looks at runs.
 */
export interface PageSession {
  authenticated: boolean;
  /** The selected node's id (0: none) and the details last sent for it. */
  selected: number;
  lastDetails: string;
  /** Missed updates: needs a snapshot once {@link canResync}. */
  stale: boolean;
  readonly canResync: boolean;
  /** Sends `message`, or drops it (and may mark the page stale); true when sent. */
  send(message: object): boolean;
  close(code: number, reason: string): void;
}

/** One connected page: whether it proved the token, what it selected, whether it missed updates. */
export class Session implements PageSession {
  authenticated = false;
  /** The selected node's id (0: none) and the details last sent for it. */
  selected = 0;
  lastDetails = "";
  /** Missed updates (buffer over its limit): needs a snapshot. */
  stale = false;

  constructor(readonly socket: WebSocket) {}

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends `message`, or drops it and marks the page stale when its buffer is over the limit. */
  send(message: object): boolean {
    if (!this.open) return false;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.stale = true;
      return false;
    }
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Whether a stale page's buffer has drained enough to take a snapshot. */
  get canResync(): boolean {
    return this.stale && this.socket.bufferedAmount <= MAX_BUFFERED_BYTES / 4;
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING)
      this.socket.close(code, reason);
  }
}
