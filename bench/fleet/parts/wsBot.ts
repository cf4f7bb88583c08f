/**
 * The bot of bench/fleet-parts.ts's "trees only" kinds: a scene's root node that does what
 * ../echoBot.ts does (send once a second, wait for the echo, stop after "quiet") with a raw `ws`
 * WebSocket of its own instead of a WebsocketClient node. Its ticks come from setInterval (`WsBot`), or
 * from a Timer child whose `timeout` the scene connects to `tick` (`WsTimerBot`).
 * Prints its thread's totals once a second, as ../echoBot.ts does, for the benchmark to read.
 */
import { isMainThread, threadId } from "node:worker_threads";
import WebSocket from "ws";
import { Node, registerNodeType } from "scenetree";
import { QUIET } from "../protocol";

const totals = { bots: 0, opened: 0, sent: 0, echoed: 0, late: 0 };
const servers = (process.env.SCENETREE_BENCH_URL ?? "ws://127.0.0.1:9").split(" ");

if (!isMainThread) {
  setInterval(() => console.log(JSON.stringify({ thread: threadId, ...totals })), 1000).unref();
}

export class WsBot extends Node {
  protected readonly timerTicks: boolean = false;
  private socket: WebSocket | null = null;
  private waiting = false;
  private quiet = false;
  private seq = 0;
  private interval: NodeJS.Timeout | null = null;

  override _ready(): void {
    totals.bots++;
    const { index } = this.getTree().instance;
    const socket = (this.socket = new WebSocket(`${servers[index % servers.length]}/bot/${index}`));
    socket.on("open", () => {
      totals.opened++;
      this.tick();
    });
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (!isBinary && data.length === QUIET.length && data.toString() === QUIET) {
        this.quiet = true;
        return;
      }
      this.waiting = false;
      totals.echoed++;
    });
    socket.on("error", () => {});
    if (!this.timerTicks) this.interval = setInterval(() => this.tick(), 1000);
  }

  override _exitTree(): void {
    totals.bots--;
    if (this.interval) clearInterval(this.interval);
    this.socket?.close(1001);
  }

  tick(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.quiet) return;
    if (this.waiting) {
      totals.late++;
      return;
    }
    this.waiting = true;
    totals.sent++;
    socket.send(`${this.getTree().instance.index}:${this.seq++}`);
  }
}

export class WsTimerBot extends WsBot {
  protected override readonly timerTicks: boolean = true;
}

registerNodeType("WsBot", WsBot);
registerNodeType("WsTimerBot", WsTimerBot);
