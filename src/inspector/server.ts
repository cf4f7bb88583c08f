import * as http from "node:http";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import type { SceneTree } from "../scene/SceneTree";
import { SceneTreeError } from "../core/errors";
import { DEFAULT_INSPECT_HOST } from "./address";
import { AssetCache, assetTable } from "./assets";
import { InspectorCore, MAX_SESSIONS } from "./InspectorCore";
import { FleetHub, type FleetLink } from "./FleetHub";
import type { FromAgent } from "./relay";
import { MAX_CLIENT_FRAME } from "./protocol";
import { InspectorCloseCode } from "./Session";
import { hostAllowed, makeToken, originAllowed, securityHeaders, tokenMatches } from "./security";
import type { Inspector, InspectorOptions } from "./options";

/** The page's socket path. */
export const SOCKET_PATH = "/ws";
/** How long closing waits for pages to answer their close frame before cutting them off. */
const CLOSE_GRACE_MS = 1000;
/** How long a page refused for being one too many has to answer its close frame. */
const REFUSED_PAGE_GRACE_MS = 1000;

/** The address a browser on this machine can open for a bind address. */
function browsableHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return DEFAULT_INSPECT_HOST;
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** What serves the pages: one tree's inspector core, or a fleet's hub. */
interface PageHub {
  readonly sessionCount: number;
  accept(socket: WebSocket): void;
  dispose(reason?: string): void;
  outlineJson(): string;
}

export async function startInspectorServer(tree: SceneTree, options: InspectorOptions): Promise<Inspector> {
  if (tree.isFinalized())
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", "startInspector() needs a tree that is still running.");
  const inspector = await serve((token) => new InspectorCore(tree, token), options);
  // The inspector lives as long as its tree: a tree that quits takes its pages with it.
  void tree.whenFinalized().then(() => inspector.closeFor("the tree quit"));
  return inspector;
}

/**
 * The inspector of a fleet whose trees run in worker threads: the same server, page and security; the
 * hub relays each page to the instance it picked. `receive` takes the workers' relay messages.
 */
export async function startFleetInspectorServer(
  link: FleetLink,
  options: InspectorOptions,
): Promise<
  Inspector & { receive(message: FromAgent, worker: number): void; workerStarted(index: number): void }
> {
  let hub: FleetHub | null = null;
  const inspector = await serve((token) => (hub = new FleetHub(link, token)), options);
  return {
    ...inspector,
    receive: (message, worker) => hub?.receive(message, worker),
    workerStarted: (index) => hub?.workerStarted(index),
  };
}

async function serve(
  makeHub: (token: string) => PageHub,
  options: InspectorOptions,
): Promise<Inspector & { closeFor(reason: string): Promise<void> }> {
  const host = options.host ?? DEFAULT_INSPECT_HOST;
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new SceneTreeError(
      "ERR_INVALID_ARGUMENT",
      `startInspector(): port must be 0 to 65535, got ${port}.`,
    );
  const token = makeToken();
  const core = makeHub(token);
  const assets = new AssetCache(assetTable());
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME, perMessageDeflate: false });

  // A request without Host is ours to refuse (403, with the headers every answer has), not Node's bare 400.
  const server = http.createServer({ requireHostHeader: false }, (request, response) => {
    const hostHeader = request.headers.host;
    // Every answer carries them, the refusal of a foreign Host too (its CSP names no socket to connect to).
    const allowed = hostAllowed(hostHeader, host);
    const headers = securityHeaders(allowed ? hostHeader : undefined);
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    if (!allowed) return refuse(response, 403, "Forbidden host");
    if (!originAllowed(request.headers.origin, hostHeader)) return refuse(response, 403, "Forbidden origin");
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("Allow", "GET, HEAD");
      return refuse(response, 405, "Method not allowed");
    }
    const url = (request.url ?? "/").split("?")[0];
    if (url === "/api/tree") {
      const auth = request.headers.authorization ?? "";
      const given = auth.startsWith("Bearer ") ? auth.slice(7) : "";
      if (!tokenMatches(token, given)) {
        response.setHeader("WWW-Authenticate", 'Bearer realm="scenetree inspector"');
        return refuse(response, 401, "Token required");
      }
      return send(response, 200, "application/json; charset=utf-8", Buffer.from(core.outlineJson()));
    }
    const asset = assets.get(url);
    if (!asset) return refuse(response, 404, "Not found");
    send(response, 200, asset.type, asset.body, request.method === "HEAD");
  });

  server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const hostHeader = request.headers.host;
    const refuseUpgrade = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if ((request.url ?? "").split("?")[0] !== SOCKET_PATH) return refuseUpgrade(404, "Not Found");
    if (!hostAllowed(hostHeader, host)) return refuseUpgrade(403, "Forbidden");
    if (!originAllowed(request.headers.origin, hostHeader)) return refuseUpgrade(403, "Forbidden");
    if (core.sessionCount >= MAX_SESSIONS) {
      // Upgraded only to be told why: a browser never sees a refused handshake's status, and the page
      // would say no more than "disconnected". 1013 is Try Again Later; the page retries by itself.
      wss.handleUpgrade(request, socket, head, (ws) => {
        ws.close(InspectorCloseCode.TRY_AGAIN_LATER, `too many inspector pages (${MAX_SESSIONS} at once)`);
        setTimeout(() => ws.terminate(), REFUSED_PAGE_GRACE_MS).unref(); // a page that never answers
      });
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => core.accept(ws));
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${browsableHost(host)}:${bound}/#token=${token}`;

  let closing: Promise<void> | null = null;
  const close = (reason?: string): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      core.dispose(reason); // pages get a close frame saying why…
      const finish = (): void => {
        for (const client of wss.clients) client.terminate(); // …and a moment to answer it
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      };
      if (wss.clients.size === 0) return finish();
      const grace = setTimeout(finish, CLOSE_GRACE_MS);
      let open = wss.clients.size;
      for (const client of wss.clients)
        client.once("close", () => {
          if (--open === 0) {
            clearTimeout(grace);
            finish();
          }
        });
    });
    return closing;
  };
  return { url, port: bound, close: () => close(), closeFor: close };
}

function send(response: http.ServerResponse, status: number, type: string, body: Buffer, head = false): void {
  response.writeHead(status, { "Content-Type": type, "Content-Length": body.length });
  response.end(head ? undefined : body);
}

function refuse(response: http.ServerResponse, status: number, text: string): void {
  send(response, status, "text/plain; charset=utf-8", Buffer.from(`${text}\n`));
}
