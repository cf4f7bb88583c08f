import * as fs from "node:fs";
import * as path from "node:path";
import type { FleetExtension } from "../fleet/extension";
import { parseInspectAddress, type InspectAddress } from "../inspector/address";
import { UsageError } from "../run/args";

const ADDRESS = /^(?:(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?\d+$/;

/**
 * `--inspect` takes an optional value (`--inspect`, `--inspect 9339`, `--inspect 0.0.0.0:9339`),
 * which `parseArgs` cannot express: a bare flag becomes `--inspect=` and a following address is
 * joined to it, so a scene path after the flag is never taken for its value.
 */
export function joinInspectValue(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== "--inspect") out.push(args[i]);
    else if (i + 1 < args.length && ADDRESS.test(args[i + 1])) out.push(`--inspect=${args[++i]}`);
    else out.push("--inspect=");
  }
  return out;
}

/** The address `--inspect`'s value names (null without the flag). */
export function inspectAddress(value: string | undefined, command: string): InspectAddress | null {
  if (value === undefined) return null;
  const address = parseInspectAddress(value);
  if (typeof address === "string") throw new UsageError(address, command);
  return address;
}

/**
 * `--inspect` with `--instances`: the fleet's extension that serves the inspector from the main thread
 * (loaded only here). Its agent runs in the workers, whose engine is always the built package, so the
 * agent is the built one too, as the fleet's worker script is.
 */
export function fleetInspector(address: InspectAddress, print: (text: string) => void): FleetExtension {
  const { FleetInspector } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../inspector/fleetInspector") as typeof import("../inspector/fleetInspector");
  const beside = path.join(__dirname, "..", "inspector", "agent.js");
  const agent = fs.existsSync(beside)
    ? beside
    : path.join(__dirname, "..", "..", "dist", "inspector", "agent.js");
  return new FleetInspector(address, agent, print);
}
