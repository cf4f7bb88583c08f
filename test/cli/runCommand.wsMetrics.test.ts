import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../src/cli/main";
import { parseSummary } from "../../src/metrics/summaryJson";
import { startWsServer, type TestWsServer } from "../helpers/netServers";

const ROOT = path.join(__dirname, "..", "..");
let dir: string;
let server: TestWsServer;
let connections = 0;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-ws-metrics-"));
  connections = 0;
  server = await startWsServer({
    onConnection: (ws) => {
      connections++;
      ws.send("welcome");
    },
  });
});
afterEach(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("scenetree run: a bot scene's WebSocket metrics reach the summary, counted as the server counted", async () => {
  const scene = path.join(dir, "bot.scene.json");
  const root = {
    name: "Bot",
    type: "WebsocketClient",
    props: { connectionUrl: server.url, autoReconnect: true },
  };
  fs.writeFileSync(scene, JSON.stringify({ format: 1, root }));
  const out = path.join(dir, "summary.json");
  let stdout = "";
  let stderr = "";
  // Real time: the connection opens within milliseconds; the run quits after a generous 3 s.
  const code = await runCli(["run", scene, "--quit-after", "3", "--summary-json", out], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: ROOT,
  });
  expect([code, stderr]).toEqual([0, ""]);
  const metrics = parseSummary(fs.readFileSync(out, "utf8")).metrics;
  expect(connections).toBe(1);
  expect(metrics.ws_sessions.values.count).toBe(connections);
  expect(metrics.ws_msgs_received.values.count).toBe(1);
  expect(metrics.data_received.values.count).toBe("welcome".length);
  expect(stdout).toContain("ws_sessions");
});
