import { parseArgs } from "node:util";
import { CodedError } from "../core/errors";
import { didYouMean } from "./suggest";

/**
 * Input the user got wrong that is not a command-line mistake (a `--scripts` module that throws, an
 * output folder that does not exist): reported as its message alone, no stack trace, exit code 2.
 */
export class InputError extends CodedError {
  declare readonly code: "ERR_INPUT" | "ERR_USAGE";
  override name = "InputError";

  constructor(message: string, options?: { cause?: unknown }, code: "ERR_INPUT" | "ERR_USAGE" = "ERR_INPUT") {
    super(code, message, options);
  }
}

/**
 * A mistake on the command line: reported in one line (no stack trace) with a pointer to the
 * command's help, exit code 2. `command` names the subcommand whose `--help` to point at.
 */
export class UsageError extends InputError {
  override name = "UsageError";

  constructor(
    message: string,
    readonly command: string | null = null,
  ) {
    super(message, undefined, "ERR_USAGE");
  }
}

// pino's six levels and silent: `fatal` keeps only what a node logs with `this.log.fatal`.
export const LOG_LEVELS = ["silent", "fatal", "error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ["pretty", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** One flag of a subcommand: what the parser accepts and what `--help` prints, from the same record. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** The flag may be given several times; its value is then the list, in order. */
  readonly multiple?: boolean;
  /** Placeholder printed after the flag in the help (`--fps N`). */
  readonly value?: string;
  readonly description: string;
}

/** A subcommand's arguments and help. Each command file declares its own. */
export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  readonly name: string;
  /** What follows `scenetree <name>` in the usage line, e.g. `<scene.json> [options]`. */
  readonly synopsis: string;
  /** Paragraphs printed between the usage line and the options. */
  readonly description: string;
  readonly options: O;
  /** How many file arguments the command takes, and what to call them in errors. */
  readonly positionals: { readonly min: number; readonly max: number; readonly name: string };
  /** Printed after the options (exit codes). */
  readonly footer?: string;
}

type OptionValue<S extends OptionSpec> = S["type"] extends "boolean"
  ? S["multiple"] extends true
    ? boolean[]
    : boolean
  : S["multiple"] extends true
    ? string[]
    : string;

export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]?: OptionValue<O[K]> };

export type ParsedCommand<O extends Record<string, OptionSpec>> =
  { help: true } | { help: false; values: OptionValues<O>; positionals: string[] };

/** A flag's value that starts with a dash but is a number (`-3`, `-0.5`, `-.5`), not another flag. */
const NEGATIVE_NUMBER = /^-\.?\d/;

const HELP_OPTION: OptionSpec = { type: "boolean", short: "h", description: "Print this help and exit." };

/**
 * Parses a subcommand's arguments against its spec. `--help`/`-h` anywhere wins; an unknown flag is a
 * UsageError with the closest known flag; too many or too few file arguments are UsageErrors.
 */
export function parseCommand<const O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  args: string[],
): ParsedCommand<O> {
  const options = { ...toParseArgsOptions(spec.options), help: { type: "boolean", short: "h" } } as const;
  // A lenient pass first: it names unknown flags (the strict one would only say "Unknown option").
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === "option" && token.name === "help") return { help: true };
  }
  // `--instances -3` is a bad number for the flag's own check to refuse, not a missing value; the
  // strict pass would call it ambiguous, so it is handed `--instances=-3` instead.
  const strictArgs = [...args];
  const joined = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = spec.options[token.name] as OptionSpec | undefined;
    if (!option)
      throw new UsageError(unknownOptionMessage(args[token.index], token.rawName, spec), spec.name);
    const flag = `--${token.name}`;
    if (option.type === "boolean" && token.value !== undefined) {
      throw new UsageError(`${flag} takes no value, got "${token.value}".`, spec.name);
    }
    if (option.type !== "string") continue;
    if (
      token.value !== undefined &&
      !token.inlineValue &&
      NEGATIVE_NUMBER.test(token.value) &&
      args[token.index] === token.rawName // not the last of a group of short flags (`-qo -3`)
    ) {
      strictArgs[token.index] = `${flag}=${token.value}`;
      joined.add(token.index + 1);
      continue;
    }
    // `--fps --print-tree` would take "--print-tree" as the number; `--fps=-1` says what it means.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-"))) {
      throw new UsageError(`${flag} needs a value: ${flag} ${option.value ?? "VALUE"}.`, spec.name);
    }
  }
  const { values, positionals } = asUsageError(
    () =>
      parseArgs({
        args: strictArgs.filter((_, i) => !joined.has(i)),
        options,
        strict: true,
        allowPositionals: true,
      }),
    spec.name,
  );
  const { min, max, name } = spec.positionals;
  if (positionals.length > max) {
    const extra = positionals.map((p) => `"${p}"`).join(", ");
    throw new UsageError(
      max === 0
        ? `${spec.name} takes no file arguments, got ${extra}.`
        : `${spec.name} takes ${max === 1 ? "one" : `at most ${max}`} ${name}, got ${positionals.length}: ${extra}.`,
      spec.name,
    );
  }
  if (positionals.length < min) {
    throw new UsageError(`${spec.name} needs ${min === 1 ? `a ${name}` : `${min} ${name}s`}.`, spec.name);
  }
  const { help: _help, ...rest } = values as Record<string, unknown>;
  return { help: false, values: rest as OptionValues<O>, positionals };
}

/** `Usage:` line, description, every option (and --help) aligned, footer. */
export function commandHelp(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.options), ["help", HELP_OPTION] as const].map(([name, option]) => {
    const flags = `${option.short ? `-${option.short}, ` : ""}--${name}${option.value ? ` ${option.value}` : ""}`;
    return [flags, option.description + (option.multiple ? " Repeatable." : "")] as const;
  });
  const width = Math.max(...rows.map(([flags]) => flags.length)) + 2;
  const indent = " ".repeat(2 + width);
  const lines = rows.map(
    ([flags, text]) => `  ${flags.padEnd(width)}${text.split("\n").join(`\n${indent}`)}`,
  );
  return [
    `Usage: scenetree ${spec.name} ${spec.synopsis}`,
    "",
    spec.description,
    "",
    "Options:",
    ...lines,
    ...(spec.footer ? ["", spec.footer] : []),
    "",
  ].join("\n");
}

/** Runs a `parseArgs` call, turning its complaints into UsageErrors. */
export function asUsageError<T>(parse: () => T, command: string | null = null): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), command);
  }
}

/** A number flag's value: finite and positive (or zero when `allowZero`). */
export function positiveNumber(flag: string, text: string, command: string, allowZero = false): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError(
      `${flag} needs a ${allowZero ? "non-negative" : "positive"} number, got "${text}".`,
      command,
    );
  }
  return value;
}

function toParseArgsOptions(options: Record<string, OptionSpec>) {
  const out: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, option] of Object.entries(options)) {
    out[name] = { type: option.type };
    if (option.short) out[name].short = option.short;
    if (option.multiple) out[name].multiple = true;
  }
  return out;
}

/**
 * The one flag that `typed` shortens or lengthens (`--output` for `--out`, as `schema` spells it): too far
 * apart for a did-you-mean, the same word all the same. Short stems (`--o`) match nothing.
 */
function sameWordAs(typed: string, flags: readonly string[]): string | null {
  const matches = flags.filter((flag) => {
    const [short, long] = flag.length < typed.length ? [flag, typed] : [typed, flag];
    return short.length >= 5 && long.startsWith(short);
  });
  return matches.length === 1 ? matches[0] : null;
}

/** `arg` is the word as typed: `-quit-after` (one dash) is shown whole, not as the group `-q -u -i ...`. */
function unknownOptionMessage(arg: string, rawName: string, spec: CommandSpec): string {
  const flags = [...Object.keys(spec.options), "help"].map((name) => `--${name}`);
  const typed = arg.startsWith("--") ? rawName : arg.split("=")[0];
  const asLong = typed.startsWith("--") ? typed : typed.length > 2 ? `-${typed}` : null;
  const guess = asLong ? (didYouMean(asLong, flags) ?? sameWordAs(asLong, flags)) : null;
  return `Unknown option "${typed}".${guess ? ` Did you mean "${guess}"?` : ""}`;
}
