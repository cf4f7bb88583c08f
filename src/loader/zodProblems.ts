import type { z } from "zod";
import { pathLink, type PathLink } from "./jsonPath";
import { MESSAGES } from "./messages";
import type { ProblemList } from "./problems";
import { didYouMean, suggestionHint } from "./suggest";

export interface ZodReportOptions {
  /** What the validated object is, for messages ("Timer props", "a node", "a connection"). */
  what: string;
  /** The keys the object accepts, for did-you-mean on unknown keys at its top level. */
  knownKeys?: readonly string[];
}

/** One issue, located: its path in the file, the name it is about, and what was written there. */
interface Located {
  path: PathLink | null;
  /** The issue's path below the validated object. */
  relative: Array<string | number>;
  name: string;
  present: boolean;
  value: unknown;
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
    const present = has(raw, relative);
    const at: Located = {
      path,
      relative,
      name: relative.length > 0 ? String(relative[relative.length - 1]) : options.what,
      present,
      value: present ? valueAt(raw, relative) : undefined,
    };
    reportIssue(problems, issue, at, options);
  }
}

function reportIssue(
  problems: ProblemList,
  issue: z.core.$ZodIssue,
  at: Located,
  options: ZodReportOptions,
): void {
  const { path, name, value } = at;
  switch (issue.code) {
    case "unrecognized_keys":
      return unknownKeys(problems, issue.keys, at, options);
    case "invalid_type":
      return at.present
        ? problems.report(
            path,
            MESSAGES.ERR_WRONG_TYPE.value(
              name,
              article(issue.expected),
              describeValue(value),
              example(issue.expected),
            ),
          )
        : problems.report(
            path,
            MESSAGES.ERR_SCHEMA.missingProperty(name, options.what, example(issue.expected)),
          );
    case "too_small":
    case "too_big":
      return outOfBounds(problems, issue, at);
    case "invalid_value": {
      const accepted = issue.values.map((v) => JSON.stringify(v));
      const strings = issue.values.filter((v): v is string => typeof v === "string");
      const guess = typeof value === "string" ? didYouMean(value, strings, problems.suggestions) : null;
      return problems.report(
        path,
        MESSAGES.ERR_INVALID_VALUE.notAccepted(name, describeValue(value), guess, accepted.join(", ")),
      );
    }
    case "invalid_union":
      return problems.report(path, MESSAGES.ERR_WRONG_TYPE.union(name, describeValue(value)));
    default:
      return problems.report(path, MESSAGES.ERR_SCHEMA.other(name, issue.message));
  }
}

function unknownKeys(
  problems: ProblemList,
  keys: readonly string[],
  at: Located,
  options: ZodReportOptions,
): void {
  const topLevel = at.relative.length === 0;
  const known = topLevel ? (options.knownKeys ?? []) : [];
  for (const key of keys) {
    const hint =
      known.length > 0 ? suggestionHint(key, known, "Known properties", problems.suggestions) : "Remove it.";
    const where = topLevel ? options.what : formatName(at.name);
    problems.report(pathLink(at.path, key), MESSAGES.ERR_UNKNOWN_PROPERTY.property(key, where, hint), "key");
  }
}

function outOfBounds(
  problems: ProblemList,
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  { path, name, value }: Located,
): void {
  const small = issue.code === "too_small";
  const bound = String(
    small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum,
  );
  const op = small ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
  if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") {
    problems.report(path, MESSAGES.ERR_OUT_OF_RANGE.number(name, op, bound, describeValue(value)));
    return;
  }
  const unit = issue.origin === "string" ? "characters" : "items";
  const empty = small && Number(bound) <= 1;
  problems.report(
    path,
    MESSAGES.ERR_SCHEMA.lengthOutOfBounds(name, op, bound, unit, describeValue(value), empty),
  );
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

/** zod's name for a JSON value's kind, as a scene file's author knows it: a record is an object. */
function jsonKind(expected: string): string {
  return expected === "record" || expected === "map" ? "object" : expected;
}

function article(zodExpected: string): string {
  const expected = jsonKind(zodExpected);
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

function example(zodExpected: string): string {
  const expected = jsonKind(zodExpected);
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
