import * as fs from "node:fs";
import * as path from "node:path";
import type { FleetExtension } from "../fleet/extension";
import { DEFAULT_INSPECT_HOST, parseInspectAddress, type InspectAddress } from "../inspector/address";
import { InputError, UsageError, type OptionSpec } from "../run/args";

const ADDRESS = /^(?:(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?\d+$/;
/** What `run` takes for its scene file. */
const SCENE_FILE = /\.(?:json|tscn)$/i;
/** A word that starts with a dash but is a number (`-1`), not another flag (as parseCommand reads it). */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * `--inspect` takes an optional value (`--inspect`, `--inspect 9339`, `--inspect 0.0.0.0:9339`),
 * which `parseArgs` cannot express: a bare flag becomes `--inspect=` and a following value is joined
 * to it. The word after the flag is its value unless it is another flag, or a scene file (`.json`,
 * `.tscn`) while no scene was given yet: so `--inspect scene.json` runs that scene, and `--inspect
 * 0.0.0.0` or `--inspect -1` is refused as `--inspect`'s value, not taken for a second scene or a flag.
 * `options` are the command's flags, so that a flag's value (`--summary-json out.json`) is not taken
 * for the scene.
 */
export function joinInspectValue(
  args: string[],
  options: Readonly<Record<string, OptionSpec>> = {},
): string[] {
  const out: string[] = [];
  let sceneGiven = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      out.push(...args.slice(i)); // the rest are file arguments
      break;
    }
    if (arg !== "--inspect") {
      out.push(arg);
      if (!arg.startsWith("-")) sceneGiven = true;
      else if (takesValue(arg, options) && i + 1 < args.length && !isFlag(args[i + 1])) out.push(args[++i]);
      continue;
    }
    const next = args[i + 1];
    const bare =
      next === undefined || isFlag(next) || (!sceneGiven && SCENE_FILE.test(next) && !ADDRESS.test(next));
    out.push(bare ? "--inspect=" : `--inspect=${args[++i]}`);
  }
  return out;
}

function isFlag(word: string): boolean {
  return word.startsWith("-") && !NEGATIVE_NUMBER.test(word);
}

/** `--name` (no `=value`) of a string flag: the next word is its value. */
function takesValue(arg: string, options: Readonly<Record<string, OptionSpec>>): boolean {
  if (!arg.startsWith("--") || arg.includes("=")) return false;
  return Object.hasOwn(options, arg.slice(2)) && options[arg.slice(2)].type === "string";
}

/** The address `--inspect`'s value names (null without the flag). */
export function inspectAddress(value: string | undefined, command: string): InspectAddress | null {
  if (value === undefined) return null;
  const address = parseInspectAddress(value);
  if (typeof address === "string") throw new UsageError(address, command);
  return address;
}

/** `--inspect` with `--instances`: a UsageError when this process runs more instances than the inspector follows. */
export function checkInspectable(instances: number): void {
  const { MAX_INSPECTED_INSTANCES } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the inspector's code, only with --inspect
    require("../inspector/instanceTable") as typeof import("../inspector/instanceTable");
  if (instances > MAX_INSPECTED_INSTANCES)
    throw new UsageError(
      `--inspect follows at most ${MAX_INSPECTED_INSTANCES} instances in one process; this one runs ${instances} ` +
        "(split the fleet with --shard I/M, or leave out --inspect).",
      "run",
    );
}

/**
 * Binds the inspector's port (`bind` starts its server): an address that can't be served (taken, not
 * this machine's, unknown) is an InputError, as for `--metrics-port`, so the caller binds it before
 * it builds or starts anything.
 */
export async function bindInspector<T>(address: InspectAddress, bind: () => Promise<T>): Promise<T> {
  try {
    return await bind();
  } catch (error) {
    const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
    if (typeof code !== "string" || typeof syscall !== "string") throw error; // not the socket's
    const host = address.host.includes(":") ? `[${address.host}]` : address.host;
    const flag = address.host === DEFAULT_INSPECT_HOST ? `${address.port}` : `${host}:${address.port}`;
    throw new InputError(`--inspect ${flag}: can't serve the inspector on ${address.host} (${code}).`, {
      cause: error,
    });
  }
}

/**
 * `--inspect` with `--instances`: the fleet's extension that serves the inspector from the main thread
 * (loaded only here; `listen()` binds its port before the fleet starts). Its agent runs in the workers,
 * whose engine is always the built package, so the agent is the built one too, as the fleet's worker
 * script is.
 */
export function fleetInspector(
  address: InspectAddress,
  print: (text: string) => void,
): FleetExtension & { listen(): Promise<void> } {
  const { FleetInspector } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../inspector/fleetInspector") as typeof import("../inspector/fleetInspector");
  const beside = path.join(__dirname, "..", "inspector", "agent.js");
  const agent = fs.existsSync(beside)
    ? beside
    : path.join(__dirname, "..", "..", "dist", "inspector", "agent.js");
  return new FleetInspector(address, agent, print);
}
