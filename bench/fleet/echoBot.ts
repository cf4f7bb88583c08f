/**
 * The bot of bench/fleet.ts: one WebSocket client that sends a message once a second and waits for
 * its echo before sending the next (a tick that finds the last echo missing counts as late). The
 * server's address comes from SCENETREE_BENCH_URL (several, space-separated: bot i takes the
 * (i mod count)th, for the push's servers in processes of their own); the scene adds `/bot/{index}`. With
 * SCENETREE_BENCH_LOCAL_HOSTS=K, bot i connects from 127.0.0.(2 + i % K) (`localAddress`), so that K
 * source addresses give K times the ephemeral ports towards the one server port.
 *
 * A text message "quiet" from the server stops the sending: the benchmark quiets the bots before it
 * stops them, so that no message is in flight when the fleet's metrics are compared with the server's.
 *
 * Each worker thread prints its bots' totals once a second, one JSON line, for the benchmark to read.
 *
 * The scene sets `connectTimeout: 0` (no timeout), as raw `ws` has none: with 10,000 handshakes at once on a
 * busy machine, the default 10 s timeout turned slow handshakes into reconnection storms.
 */
import { isMainThread, threadId } from "node:worker_threads";
import { Node, registerNodeType, type WebsocketClient } from "scenetree";
import { QUIET, localHost } from "./protocol";

const totals = { bots: 0, opened: 0, sent: 0, echoed: 0, late: 0 };
const localHosts = Number(process.env.SCENETREE_BENCH_LOCAL_HOSTS ?? 0);
const servers = (process.env.SCENETREE_BENCH_URL ?? "ws://127.0.0.1:9").split(" ");

if (!isMainThread) {
  setInterval(() => console.log(JSON.stringify({ thread: threadId, ...totals })), 1000).unref();
}

export class EchoBot extends Node {
  private ws!: WebsocketClient;
  private waiting = false;
  private quiet = false;
  private seq = 0;

  override _ready(): void {
    totals.bots++;
    this.ws = this.getNode<WebsocketClient>("Ws");
    const { index } = this.getTree().instance;
    this.ws.connectionUrl = `${servers[index % servers.length]}${this.ws.connectionUrl}`;
    if (localHosts > 0) this.ws.localAddress = localHost(index, localHosts);
    this.ws.autoReconnect = true; // connects now
  }

  override _exitTree(): void {
    totals.bots--;
  }

  onOpen(): void {
    totals.opened++;
    this.tick();
  }

  tick(): void {
    if (!this.ws.isOpen || this.quiet) return;
    if (this.waiting) {
      totals.late++;
      return;
    }
    this.waiting = true;
    totals.sent++;
    this.ws.sendText(`${this.getTree().instance.index}:${this.seq++}`);
  }

  onEcho(message: Buffer, isText: boolean): void {
    if (isText && message.length === QUIET.length && message.toString() === QUIET) {
      this.quiet = true;
      return;
    }
    this.waiting = false;
    totals.echoed++;
  }
}

registerNodeType("EchoBot", EchoBot);
