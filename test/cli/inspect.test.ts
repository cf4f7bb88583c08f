import { spawn } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { runBuiltCli } from "../helpers/childCli";
import { runCliCaptured } from "../helpers/captureIo";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const FOREVER = path.join("test", "fixtures", "scenes", "forever.scene.json");
const PLAIN = path.join("test", "fixtures", "scenes", "bom.scene.json"); // one Node, no scripts

const cli = (args: string[]) => runCliCaptured(args, ROOT);

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

describe("scenetree run --inspect", () => {
  test("prints the inspector's URL with its token on stderr, and closes it when the tree quits", async () => {
    const { code, stderr } = await cli(["run", FOREVER, "--inspect", "--quit-after", "0.2"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Inspector: http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}\n$/);
    const url = /http:\S+/.exec(stderr)![0];
    await expect(get(url)).rejects.toThrow(/ECONNREFUSED/); // gone with the tree
  });

  test("takes a port, or host:port, and warns when that exposes the tree beyond this machine", async () => {
    const local = await cli(["run", FOREVER, "--inspect", "127.0.0.1:0", "--quit-after", "0.1"]);
    expect(local.stderr).toMatch(/^Inspector: http:\/\/127\.0\.0\.1:\d+\/#token=\S+\n$/);
    const exposed = await cli(["run", "--inspect", "0.0.0.0:0", FOREVER, "--quit-after", "0.1"]);
    expect(exposed.code).toBe(0);
    expect(exposed.stderr).toMatch(/^Inspector: http:\/\/127\.0\.0\.1:\d+\/#token=\S+\n/);
    expect(exposed.stderr).toContain("Inspector: listening on 0.0.0.0: anyone who can reach it");
  });

  test("a bad address is a usage error (exit 2)", async () => {
    const { code, stderr } = await cli(["run", FOREVER, "--inspect=99999"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--inspect: port 99999 is out of range");
  });

  test("with more instances in this process than the inspector follows: exit 2 before any worker or port", async () => {
    for (const args of [
      ["--instances", "4294967295"],
      ["--instances", "4294967295", "--shard", "1/4000"], // 1,073,742 in this shard
    ]) {
      const { code, stdout, stderr } = await cli(["run", FOREVER, "--inspect", ...args, "--duration", "1"]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toMatch(
        /^scenetree: --inspect follows at most 1000000 instances in one process; this one runs (4294967295|1073742) \(split the fleet with --shard I\/M, or leave out --inspect\)\.\n/,
      );
    }
  });

  test("a bad address after a space is --inspect's value, not a second scene (exit 2)", async () => {
    for (const value of ["0.0.0.0", "abc", ":9340", "127.0.0.1:", "-1"]) {
      const { code, stdout, stderr } = await cli(["run", FOREVER, "--inspect", value, "--print-tree"]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toBe(
        `scenetree: --inspect takes a port or host:port (e.g. 9339 or 0.0.0.0:9339), got "${value}".\n` +
          'Run "scenetree run --help" for usage.\n',
      );
    }
  });

  describe("a port that can't be bound stops the run before anything runs (exit 2), as --metrics-port does", () => {
    let taken: net.Server;
    let port: number;
    beforeEach(async () => {
      taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
      port = (taken.address() as net.AddressInfo).port;
    });
    afterEach(() => new Promise<void>((resolve) => taken.close(() => resolve())));

    test("one tree: its scene is not built", async () => {
      const logged = jest.spyOn(console, "log").mockImplementation(() => undefined);
      const { code, stdout, stderr } = await cli(["run", FOREVER, "--inspect", String(port), "--print-tree"]);
      expect(code).toBe(2);
      expect(stdout).toBe(""); // no tree printed
      expect(logged).not.toHaveBeenCalled(); // and no _ready ran: the scene was not built
      logged.mockRestore();
      expect(stderr).toBe(
        `scenetree: --inspect ${port}: can't serve the inspector on 127.0.0.1 (EADDRINUSE).\n`,
      );
    });

    test("a fleet: no worker starts", async () => {
      const { code, stdout, stderr } = await cli([
        "run",
        FOREVER,
        "--inspect",
        `127.0.0.1:${port}`,
        "--instances",
        "4",
        "--workers",
        "2",
        "--duration",
        "0.5",
      ]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        `scenetree: --inspect ${port}: can't serve the inspector on 127.0.0.1 (EADDRINUSE).\n`,
      );
    });

    test("a host that is not this machine's", async () => {
      const { code, stdout, stderr } = await cli([
        "run",
        FOREVER,
        "--inspect",
        "192.0.2.1:9340",
        "--print-tree",
      ]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toBe(
        "scenetree: --inspect 192.0.2.1:9340: can't serve the inspector on 192.0.2.1 (EADDRNOTAVAIL).\n",
      );
    });
  });

  test("with --instances, serves the fleet's inspector from the main thread while the fleet runs", async () => {
    const { code, stderr } = await cli([
      "run",
      FOREVER,
      "--inspect",
      "--instances",
      "2",
      "--duration",
      "0.5",
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/\nInspector: http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}\n/);
    const url = /http:\S+/.exec(stderr)![0];
    await expect(get(url)).rejects.toThrow(/ECONNREFUSED/); // gone with the fleet
  });

  test("is in run's help", async () => {
    expect((await cli(["run", "--help"])).stdout).toContain("--inspect [[HOST:]PORT]");
  });

  test("serves the page from the built CLI while the scene runs (child process)", async () => {
    const child = spawn(process.execPath, [BIN, "run", FOREVER, "--inspect"], { cwd: ROOT });
    try {
      let stderr = "";
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL on stderr: ${stderr}`)), 20_000);
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /Inspector: (http:\S+)\n/.exec(stderr);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      expect(await get(url)).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGINT");
      expect(await exited).toBe(130);
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("a run without --inspect never loads the inspector's server", async () => {
    // A scene without scripts: a script that imports "scenetree" loads the public surface itself.
    const [single, fleet] = await Promise.all([
      runBuiltCli(["run", PLAIN, "--quit-after", "0.1"]),
      runBuiltCli(["run", PLAIN, "--instances", "2", "--workers", "1", "--duration", "0.1"]),
    ]);
    const inspector = (modules: string[]) =>
      modules
        .filter((file) => file.startsWith(path.join("dist", "inspector") + path.sep))
        .map((file) => path.basename(file));
    expect([single.code, fleet.code]).toEqual([0, 0]);
    // --inspect's address parser only; not the server, page or watchers (the CLI does not load the
    // package's public surface, so not even startInspector's lazy entry point)
    expect(inspector(single.modules)).toEqual(["address.js"]);
    expect(inspector(fleet.modules)).toEqual(["address.js"]);
  });
});
