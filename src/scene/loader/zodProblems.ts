import type { z } from "zod";
import { pathLink, type PathLink } from "./jsonPath";
import type { ProblemList } from "./problems";
import { didYouMean, suggestionHint } from "./suggest";

export interface ZodReportOptions {
  /** What the validated object is, for messages ("Timer props", "a node", "a connection"). */
  what: string;
  /** The keys the object accepts, for did-you-mean on unknown keys at its top level. */
  knownKeys?: readonly string[];
}

/**
 * Turns zod's issues into scene problems with stable codes, messages that name the value, and hints
 * that say what to write instead. `raw` is the validated value, to show what was actually written.
 */
export function reportZodIssues(
  problems: ProblemList,
  issues: readonly z.core.$ZodIssue[],
  base: PathLink | null,
  raw: unknown,
  options: ZodReportOptions,
): void {
  for (const issue of issues) {
    const relative = issue.path.filter((s): s is string | number => typeof s !== "symbol");
    let path = base;
    for (const segment of relative) path = pathLink(path, segment);
    const name = relative.length > 0 ? String(relative[relative.length - 1]) : options.what;
    const present = has(raw, relative);
    const value = present ? valueAt(raw, relative) : undefined;
    switch (issue.code) {
      case "unrecognized_keys": {
        const known = relative.length === 0 ? (options.knownKeys ?? []) : [];
        for (const key of issue.keys) {
          problems.add(
            "ERR_UNKNOWN_PROPERTY",
            pathLink(path, key),
            `Unknown property "${key}" in ${relative.length === 0 ? options.what : formatName(name)}.`,
            known.length > 0
              ? suggestionHint(key, known, "Known properties", problems.suggestions)
              : "Remove it.",
            "key",
          );
        }
        break;
      }
      case "invalid_type":
        if (!present) {
          problems.add(
            "ERR_SCHEMA",
            path,
            `Missing required property "${name}" in ${options.what}.`,
            `Add "${name}": ${example(issue.expected)}.`,
          );
        } else {
          problems.add(
            "ERR_WRONG_TYPE",
            path,
            `"${name}" must be ${article(issue.expected)}, got ${describeValue(value)}.`,
            `Write ${article(issue.expected)} here, e.g. ${example(issue.expected)}.`,
          );
        }
        break;
      case "too_small":
      case "too_big": {
        const small = issue.code === "too_small";
        const bound = small ? issue.minimum : issue.maximum;
        const op = small ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
        if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") {
          problems.add(
            "ERR_OUT_OF_RANGE",
            path,
            `"${name}" must be ${op} ${String(bound)}, got ${describeValue(value)}.`,
            `Use a number ${op} ${String(bound)}.`,
          );
        } else {
          const unit = issue.origin === "string" ? "characters" : "items";
          problems.add(
            "ERR_SCHEMA",
            path,
            `"${name}" must have ${op} ${String(bound)} ${unit}, got ${describeValue(value)}.`,
            small && Number(bound) <= 1 ? "It can't be empty." : `Use ${op} ${String(bound)} ${unit}.`,
          );
        }
        break;
      }
      case "invalid_value": {
        const accepted = issue.values.map((v) => JSON.stringify(v));
        const strings = issue.values.filter((v): v is string => typeof v === "string");
        const guess = typeof value === "string" ? didYouMean(value, strings, problems.suggestions) : null;
        problems.add(
          "ERR_INVALID_VALUE",
          path,
          `"${name}" can't be ${describeValue(value)}.`,
          `${guess ? `Did you mean "${guess}"? ` : ""}Accepted: ${accepted.join(", ")}.`,
        );
        break;
      }
      case "invalid_union":
        problems.add(
          "ERR_WRONG_TYPE",
          path,
          `"${name}" can't be ${describeValue(value)}.`,
          "See the scene JSON Schema (scenetree schema) for what this property accepts.",
        );
        break;
      default:
        problems.add(
          "ERR_SCHEMA",
          path,
          `"${name}": ${issue.message}.`,
          "Fix the value as the message says.",
        );
    }
  }
}

function formatName(name: string): string {
  return `"${name}"`;
}

function has(raw: unknown, path: readonly (string | number)[]): boolean {
  let current: unknown = raw;
  for (const segment of path) {
    if (
      current === null ||
      typeof current !== "object" ||
      !Object.prototype.hasOwnProperty.call(current, segment)
    ) {
      return false;
    }
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current !== undefined;
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = raw;
  for (const segment of path) current = (current as Record<string | number, unknown>)[segment];
  return current;
}

/** `5`, `"five"`, `an object`, `an array`, `null`: what a person wrote, briefly. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value);
  return String(value);
}

function article(expected: string): string {
  switch (expected) {
    case "int":
      return "an integer";
    case "object":
    case "array":
      return `an ${expected}`;
    default:
      return `a ${expected}`;
  }
}

function example(expected: string): string {
  switch (expected) {
    case "string":
      return '"text"';
    case "number":
      return "1.5";
    case "int":
      return "1";
    case "boolean":
      return "true";
    case "array":
      return "[]";
    case "object":
      return "{}";
    default:
      return `<${expected}>`;
  }
}
