/**
 * The WebSocket demo (`scenes/main.scene.json`, what `npm start` runs): a `WebSocketServer` echo node and two clients,
 * one of each kind, with no outside server. They exchange messages; the server is stopped and restarted
 * on the same port; both clients reconnect by themselves and exchange messages again; the scene prints
 * a summary and quits with exit code 0 (1 if it did not finish within `timeLimit` seconds).
 *
 * The `WebSocketNode` (with `autoconnectMode: PARENT_READY`) lives in `parts/legacy-socket.scene.json`:
 * its host needs the port the server picked, so that scene is instanced once the server listens, and
 * the socket connects when its parent becomes ready.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import {
  Node,
  nodePropsSchema,
  registerNodeType,
  WebSocketNode,
  WebSocketServer,
  WebsocketClient,
  parseScene,
} from "scenetree";

type Phase = "starting" | "before restart" | "restarting" | "after restart" | "done";

export class WebSocketDemo extends Node {
  /** Seconds the server stays down before it listens again. */
  restartAfter = 0.3;
  /** Seconds before the demo gives up and quits with exit code 1. */
  timeLimit = 8;

  private phase: Phase = "starting";
  private server!: WebSocketServer;
  private client!: WebsocketClient;
  private socket: WebSocketNode | null = null;
  private readonly echoed = { client: 0, socket: 0 };
  private readonly stats = { echoed: 0, clientOpens: 0, socketOpens: 0, clientCloses: 0, reconnectTries: 0 };
  private started = 0;

  override _ready(): void {
    this.started = performance.now();
    this.server = this.getNode("EchoServer") as WebSocketServer;
    this.client = this.getNode("Client") as WebsocketClient;
    this.getTree()
      .createTimer(this.timeLimit)
      .connect("timeout", () => {
        if (this.phase === "done") return;
        this.say(`FAILED: still "${this.phase}" after ${this.timeLimit} s`);
        this.getTree().quit(1);
      });
  }

  /** The server listens (at the start and after the restart). */
  onListening(port: number): void {
    this.say(`server listening on 127.0.0.1:${port}`);
    if (this.phase === "restarting") {
      this.phase = "after restart";
      return;
    }
    this.phase = "before restart";
    this.client.connectionUrl = `ws://127.0.0.1:${port}/client`;
    this.client.openConnection();
    const legacy = parseScene(
      fs.readFileSync(path.join(__dirname, "parts", "legacy-socket.scene.json"), "utf8"),
      {
        file: path.join(__dirname, "parts", "legacy-socket.scene.json"),
      },
    ).instantiate();
    const socket = legacy.getNode("Socket") as WebSocketNode;
    socket.host = `127.0.0.1:${port}`;
    socket.connect("connected", (url: string) => this.onSocketOpen(url));
    socket.connect("received", (data: Buffer) => this.onSocketMessage(data));
    socket.connect("closed", (code: number, reason: string) =>
      this.say(`WebSocketNode closed (${code} ${reason})`),
    );
    this.socket = socket;
    this.addChild(legacy); // the socket waits for its parent's ready, then connects
  }

  /** The echo service: every message goes back to its sender, text stays text. */
  echo(id: number, message: Buffer, isText: boolean): void {
    this.stats.echoed++;
    if (isText) this.server.sendText(id, message.toString());
    else this.server.send(id, message);
  }

  onClientOpen(): void {
    this.stats.clientOpens++;
    this.say(`WebsocketClient connected (${this.client.connectionUrl})`);
    this.client.sendText(`hello from WebsocketClient, ${this.phase}`);
  }

  onClientClosed(code: number, reason: string): void {
    this.stats.clientCloses++;
    this.say(`WebsocketClient closed (${code}${reason ? ` ${reason}` : ""})`);
  }

  onClientReconnecting(attempt: number, delay: number): void {
    this.stats.reconnectTries++;
    this.say(`WebsocketClient reconnect #${attempt} in ${delay.toFixed(2)} s`);
  }

  onClientMessage(message: Buffer): void {
    this.say(`WebsocketClient got echo: ${message.toString()}`);
    this.echoed.client++;
    this.advance();
  }

  private onSocketOpen(url: string): void {
    this.stats.socketOpens++;
    this.say(`WebSocketNode connected (${url})`);
    this.socket?.sendText(`hello from WebSocketNode, ${this.phase}`);
  }

  private onSocketMessage(data: Buffer): void {
    this.say(`WebSocketNode got echo: ${data.toString()}`);
    this.echoed.socket++;
    this.advance();
  }

  /** Moves on once both clients had their echo in the current phase. */
  private advance(): void {
    if (this.echoed.client === 0 || this.echoed.socket === 0) return;
    this.echoed.client = 0;
    this.echoed.socket = 0;
    if (this.phase === "before restart") {
      this.phase = "restarting";
      this.say(`stopping the server for ${this.restartAfter} s`);
      this.server.stop();
      this.getTree()
        .createTimer(this.restartAfter)
        .connect("timeout", () => this.server.listen());
    } else if (this.phase === "after restart") {
      this.phase = "done";
      const s = this.stats;
      const seconds = ((performance.now() - this.started) / 1000).toFixed(2);
      console.log(
        [
          "",
          "Summary",
          `  server echoed ${s.echoed} messages, restarted once on the same port`,
          `  WebsocketClient: ${s.clientOpens} connections, ${s.clientCloses} closes, ${s.reconnectTries} scheduled reconnects`,
          `  WebSocketNode (PARENT_READY): ${s.socketOpens} connections`,
          `  both clients reconnected by themselves; done in ${seconds} s`,
        ].join("\n"),
      );
      this.getTree().quit(0);
    }
  }

  private say(text: string): void {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(2);
    console.log(`[${seconds}s] ${text}`);
  }
}

registerNodeType(
  "WebSocketDemo",
  WebSocketDemo,
  nodePropsSchema.extend({
    restartAfter: z.number().min(0).optional(),
    timeLimit: z.number().gt(0).optional(),
  }),
);
