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
