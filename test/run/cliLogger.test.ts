import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unusedPort } from "../helpers/netServers";
import { runCliCaptured } from "../helpers/captureIo";
import { createCliLogger, createLogOutput, LOG_BACKLOG_LIMIT } from "../../src/run/cliLogger";

const ROOT = path.join(__dirname, "..", "..");
const CHATTY = path.join("test", "fixtures", "cli", "chatty.scene.json");

/** The CLI in this process, with its output captured. */
const cli = (args: string[]) => runCliCaptured(args, ROOT);

/** A scene whose one client keeps reconnecting to a port nobody listens on. */
async function deadServerScene(): Promise<string> {
  const port = await unusedPort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-logs-"));
  const file = path.join(dir, "dead.scene.json");
  const client = {
    name: "Client",
    type: "WebsocketClient",
    props: { connectionUrl: `ws://127.0.0.1:${port}/`, autoReconnect: true, reconnectDelay: 0.02 },
  };
  fs.writeFileSync(
    file,
    JSON.stringify({ format: 1, root: { name: "Bot", type: "Node", children: [client] } }),
  );
  return file;
}

const removeSceneDir = (file: string) => fs.rmSync(path.dirname(file), { recursive: true, force: true });

describe("scenetree run: --log-level and --log-format", () => {
  test("--log-level debug --log-format json against a dead server: JSON lines with each reconnect's delay", async () => {
    const scene = await deadServerScene();
    try {
      const { code, stdout, stderr } = await cli([
        "run",
        scene,
        "--quit-after",
        "1",
        "--log-level",
        "debug",
        "--log-format",
        "json",
      ]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/ws_connect_failed\.+: \d+ /); // the run's summary: the client's metrics
      const records = stderr
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records[0]).toMatchObject({
        level: 20,
        msg: expect.stringMatching(/^Loaded .* in [\d.]+ ms\.$/),
      });
      const reconnects = records.filter((r) => r.msg === "reconnecting");
      expect(reconnects.slice(0, 3)).toEqual([
        expect.objectContaining({ level: 20, node: "/root/Bot/Client", attempt: 1, delaySeconds: 0.02 }),
        expect.objectContaining({ level: 20, node: "/root/Bot/Client", attempt: 2, delaySeconds: 0.04 }),
        expect.objectContaining({ level: 20, node: "/root/Bot/Client", attempt: 3, delaySeconds: 0.08 }),
      ]);
      const failures = records.filter((r) => r.msg === "connect failed");
      expect(failures.length).toBeGreaterThanOrEqual(3);
      expect(failures[0].reason).toMatch(/ECONNREFUSED/);
    } finally {
      removeSceneDir(scene);
    }
  });

  test("the default (info, pretty) says nothing about a dead server; debug pretty is one line each", async () => {
    const scene = await deadServerScene();
    try {
      // Nothing logged at info; stdout has the run's summary of the client's metrics.
      expect(await cli(["run", scene, "--quit-after", "0.2"])).toEqual({
        code: 0,
        stdout: expect.stringMatching(/ws_connect_failed/),
        stderr: "",
      });
      const { stderr } = await cli(["run", scene, "--quit-after", "0.2", "--log-level", "debug"]);
      const lines = stderr.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^Loaded .*dead\.scene\.json in [\d.]+ ms\.$/); // the CLI's own: as it was
      expect(lines).toContain("/root/Bot/Client: debug: reconnecting attempt=1 delaySeconds=0.02");
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^\/root\/Bot\/Client: debug: connect failed url=ws:\/\/127\.0\.0\.1:\d+\/ reason="connect ECONNREFUSED /,
        ),
      );
    } finally {
      removeSceneDir(scene);
    }
  });

  test("a scene's node.log at the default level: its info line, and the CLI's error line as it always was", async () => {
    const { code, stderr } = await cli(["run", CHATTY, "--quit-after", "0"]);
    expect(code).toBe(0);
    const lines = stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("/root/Chatty: info: hello there mood=fine words=2");
    expect(lines[1]).toMatch(/^ERROR: .*chatty broke/);
    expect(stderr).not.toContain("a detail");
  });

  test("--log-level error keeps only the error; silent keeps nothing; trace is accepted", async () => {
    const errorOnly = await cli(["run", CHATTY, "--quit-after", "0", "--log-level", "error"]);
    expect(errorOnly.stderr).toMatch(/^ERROR: .*chatty broke/);
    expect(errorOnly.stderr).not.toContain("hello there");
    expect((await cli(["run", CHATTY, "--quit-after", "0", "--log-level", "silent"])).stderr).toBe("");
    const trace = await cli(["run", CHATTY, "--quit-after", "0", "--log-level", "trace"]);
    expect(trace.stderr).toContain("/root/Chatty: debug: a detail\n");
  });

  test("--log-format json: the scene's fields and the CLI's error as JSON objects", async () => {
    const { stderr } = await cli(["run", CHATTY, "--quit-after", "0", "--log-format", "json"]);
    const records = stderr
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({
        level: 30,
        node: "/root/Chatty",
        mood: "fine",
        words: 2,
        msg: "hello there",
      }),
      expect.objectContaining({ level: 50, msg: expect.stringMatching(/^ERROR: .*chatty broke/) }),
    ]);
  });

  test("--log-level fatal, pino's sixth level, is accepted and keeps only fatal lines", async () => {
    const scene = path.join("test", "fixtures", "cli", "levels.scene.json");
    const { code, stderr } = await cli(["run", scene, "--quit-after", "0", "--log-level", "fatal"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "/root/Levels: fatal: at fatal\n" });
    const errorLevel = await cli(["run", scene, "--quit-after", "0", "--log-level", "error"]);
    expect(errorLevel.stderr).toBe("/root/Levels: error: at error\n/root/Levels: fatal: at fatal\n");
  });

  test("an unknown --log-format is a usage error", async () => {
    const { code, stderr } = await cli(["run", CHATTY, "--log-format", "xml"]);
    expect(code).toBe(2);
    expect(stderr).toContain('--log-format must be one of pretty, json, got "xml".');
  });
});

describe("createCliLogger: a stderr that does not keep up (a stalled pipe)", () => {
  /** An io whose stderr backlog the test sets, and what reached it. */
  const stalled = () => {
    const io = { backlog: 0, err: "", stderr: (text: string) => void (io.err += text) };
    return Object.assign(io, { stderrBacklog: () => io.backlog });
  };

  test("past LOG_BACKLOG_LIMIT bytes waiting, lines are dropped and counted; the next line that passes says how many", () => {
    const io = stalled();
    const log = createCliLogger(io, "info", "pretty");
    log.info("first");
    io.backlog = LOG_BACKLOG_LIMIT + 1;
    for (let i = 0; i < 1000; i++) log.info({ i }, "frame");
    log.child({ node: "/root/Bot" }).info("from a node");
    expect(io.err).toBe("first\n");
    io.backlog = LOG_BACKLOG_LIMIT; // the reader caught up
    log.info("again");
    expect(io.err).toBe("first\n… 1001 log lines were dropped: stderr was not keeping up.\nagain\n");
  });

  test("flush() reports drops that no later line reported; in json the report is a record", () => {
    const io = stalled();
    const log = createCliLogger(io, "info", "json");
    io.backlog = Infinity;
    log.warn("lost");
    log.warn("lost too");
    log.flush();
    log.flush(); // nothing more to say
    const records = io.err
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({
        level: 40,
        dropped: 2,
        msg: "log lines were dropped: stderr was not keeping up.",
      }),
    ]);
  });

  test("a chunk of several lines (a fleet worker's stderr) counts as that many", () => {
    const io = stalled();
    const out = createLogOutput(io, "pretty");
    io.backlog = Infinity;
    out.write("[1] /root/Bot: info: a\n[2] /root/Bot: info: b\n");
    out.flush();
    expect(io.err).toBe("… 2 log lines were dropped: stderr was not keeping up.\n");
  });
});
