/**
 * ../echoBot.ts's bot with its ticks from setInterval instead of a Timer node: bench/fleet-parts.ts's
 * "WebsocketClient, no Timer" kind, which tells the client node's cost from the Timer's.
 */
import { registerNodeType } from "scenetree";
import { EchoBot } from "../echoBot";

export class IntervalEchoBot extends EchoBot {
  private interval: NodeJS.Timeout | null = null;

  override _ready(): void {
    super._ready();
    this.interval = setInterval(() => this.tick(), 1000);
  }

  override _exitTree(): void {
    if (this.interval) clearInterval(this.interval);
    super._exitTree();
  }
}

registerNodeType("IntervalEchoBot", IntervalEchoBot);
