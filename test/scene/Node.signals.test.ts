import * as fs from "node:fs";
import * as path from "node:path";
import { Node } from "../../src/scene/Node";
import { ConnectFlags } from "../../src/scene/GodotObject";

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("Node: one signal system", () => {
  it("any number of connect() and on() listeners on a node, and no MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on("warning", onWarning);
    try {
      const node = new Node("Busy");
      let calls = 0;
      for (let i = 0; i < 11; i++) node.connect("renamed", () => calls++);
      for (let i = 0; i < 11; i++) node.on("renamed", () => calls++);
      node.emit("renamed");
      expect(calls).toBe(22);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("a ONE_SHOT handler that emits its signal again runs once (it is disconnected before it runs)", () => {
    const node = new Node("Once");
    let runs = 0;
    node.connect(
      "renamed",
      () => {
        runs++;
        node.emit("renamed");
      },
      ConnectFlags.ONE_SHOT,
    );
    node.emit("renamed");
    expect(runs).toBe(1);
    expect(node.hasConnections("renamed")).toBe(false);
  });

  it("no engine code reads EventEmitter's private _events", () => {
    const src = path.join(__dirname, "..", "..", "src");
    const readers = sources(src).filter((file) => /\b_events\b/.test(fs.readFileSync(file, "utf8")));
    expect(readers.map((file) => path.relative(src, file))).toEqual([]);
  });
});
