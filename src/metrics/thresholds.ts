import { ThresholdError, type ThresholdErrorCode } from "./errors";
import { METRIC_NAME } from "./names";
import type { AggregationMethod } from "./stats";
import type { TagSet } from "./tags";

export type ThresholdOperator = "<" | "<=" | ">" | ">=" | "==" | "===" | "!=";

/** `<aggregation method> <operator> <value>`, k6's threshold expression, e.g. `p(95) < 500`. */
export interface ThresholdExpression {
  /** As written; a summary keys results by it, as k6 does. */
  source: string;
  method: AggregationMethod;
  /** N of `p(N)`; null for the other methods. */
  percentile: number | null;
  operator: ThresholdOperator;
  value: number;
  /** Where the method is in `source` (start, end), to point at it when it does not fit the metric. */
  methodSpan: readonly [number, number];
}

/** A threshold on one metric, or on the samples of a metric with some tags (k6's sub-metric). */
export interface Threshold {
  /** The metric part as written: `ws_connecting` or `ws_connecting{url:ws://a}`. */
  metric: string;
  name: string;
  /** The tags of `name{tag:value,…}`, null for the whole metric. */
  tags: TagSet | null;
  expression: ThresholdExpression;
}

const METHODS: readonly AggregationMethod[] = ["count", "rate", "value", "avg", "min", "max", "med"];
const METHOD_LIST = "count, rate, value, avg, min, max, med or p(N)";
// Longest first, so `<=` is not read as `<` followed by `=`.
const OPERATORS: readonly ThresholdOperator[] = ["===", "==", "!=", "<=", ">=", "<", ">"];
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses k6's `<method> <operator> <value>`; throws a ThresholdError pointing at the bad part. */
export function parseThresholdExpression(source: string): ThresholdExpression {
  return parseExpression(source, 0, source.length);
}

/** Parses a CLI threshold, `metric:expression`, e.g. `ws_connecting:p(95)<500` or `x{tag:a}:count>0`. */
export function parseThresholdArg(arg: string): Threshold {
  const colon = metricEnd(arg);
  if (colon < 0)
    throw new ThresholdError(
      "ERR_THRESHOLD_METRIC",
      arg,
      0,
      arg.length,
      `A threshold is metric:expression, e.g. ws_connecting:p(95)<500; no ":" after a metric name in ${JSON.stringify(arg)}.`,
    );
  const { name, tags } = parseSelector(arg, 0, colon);
  const expression = parseExpression(arg, colon + 1, arg.length);
  return { metric: arg.slice(0, colon).trim(), name, tags, expression };
}

/** Parses a metric part, `name` or `name{tag:value,…}`. */
export function parseMetricSelector(metric: string): { name: string; tags: TagSet | null } {
  return parseSelector(metric, 0, metric.length);
}

/**
 * Parses the scene-file form, `{ "ws_connecting": ["p(95)<500", "max<2000"] }`. The first error is
 * thrown; `thresholdsSchema` reports every one.
 */
export function parseThresholds(map: Readonly<Record<string, readonly string[]>>): Threshold[] {
  const out: Threshold[] = [];
  for (const [metric, sources] of Object.entries(map)) {
    const { name, tags } = parseMetricSelector(metric);
    for (const source of sources)
      out.push({ metric, name, tags, expression: parseThresholdExpression(source) });
  }
  return out;
}

/** The index of the ":" that ends the metric part (outside `{…}`), or -1. */
function metricEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}") depth = Math.max(0, depth - 1);
    else if (c === ":" && depth === 0) return i;
  }
  return -1;
}

function parseSelector(whole: string, start: number, end: number): { name: string; tags: TagSet | null } {
  const fail = (at: number, length: number, message: string) =>
    new ThresholdError("ERR_THRESHOLD_METRIC", whole, at, length, message);
  const text = whole.slice(start, end);
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const from = start + lead;
  const brace = trimmed.indexOf("{");
  const name = brace < 0 ? trimmed : trimmed.slice(0, brace).trimEnd();
  if (!METRIC_NAME.test(name))
    throw fail(
      from,
      Math.max(1, name.length),
      name === ""
        ? "Missing metric name."
        : `Invalid metric name ${JSON.stringify(name)}: letters, digits and _ (not a digit first).`,
    );
  if (brace < 0) return { name, tags: null };
  const close = trimmed.lastIndexOf("}");
  if (close !== trimmed.length - 1)
    throw fail(
      from + brace,
      trimmed.length - brace,
      'Tags are written {tag:value,…}, closed by "}" at the end.',
    );
  const tags: Record<string, string> = {};
  let offset = from + brace + 1;
  const inner = trimmed.slice(brace + 1, close);
  if (inner.trim() === "")
    throw fail(from + brace, close - brace + 1, "Empty tag list: write {tag:value} or leave out the braces.");
  for (const part of inner.split(",")) {
    const colon = part.indexOf(":");
    const key = (colon < 0 ? part : part.slice(0, colon)).trim();
    if (colon < 0 || key === "")
      throw fail(
        offset,
        Math.max(1, part.length),
        `A tag is written tag:value, got ${JSON.stringify(part.trim())}.`,
      );
    tags[key] = unquote(part.slice(colon + 1).trim());
    offset += part.length + 1;
  }
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) sorted[key] = tags[key];
  return { name, tags: sorted };
}

/** `AVG` → avg, `maximum` → max, `p95` → p(95). */
function didYouMean(text: string): string {
  const lower = text.toLowerCase();
  const digits = /^p\W*(\d+(\.\d+)?)\W*$/.exec(lower);
  if (digits) return ` Did you mean p(${digits[1]})?`;
  const guess = METHODS.find((m) => lower === m || lower.startsWith(m));
  return guess ? ` Did you mean ${guess}?` : "";
}

/** `text` quoted, or its start and its length when it is long (a number of 100,000 digits). */
function shortText(text: string): string {
  return text.length <= 40
    ? JSON.stringify(text)
    : `${JSON.stringify(`${text.slice(0, 20)}…`)} (${text.length} characters)`;
}

function unquote(value: string): string {
  const q = value[0];
  return value.length >= 2 && (q === '"' || q === "'") && value[value.length - 1] === q
    ? value.slice(1, -1)
    : value;
}

function parseExpression(whole: string, start: number, end: number): ThresholdExpression {
  const source = whole.slice(start, end);
  const fail = (code: ThresholdErrorCode, at: number, length: number, message: string) =>
    new ThresholdError(code, whole, start + at, length, message);
  const opAt = source.search(/[<>=!]/);
  if (opAt < 0)
    throw fail(
      "ERR_THRESHOLD_SYNTAX",
      0,
      source.length,
      `No comparison in threshold ${JSON.stringify(source)}: write <method> <operator> <value>, e.g. p(95)<500.`,
    );
  const operator = OPERATORS.find((op) => source.startsWith(op, opAt));
  if (!operator)
    throw fail(
      "ERR_THRESHOLD_SYNTAX",
      opAt,
      1,
      `Unknown operator in threshold ${JSON.stringify(source)}: use <, <=, >, >=, ==, === or !=.`,
    );
  const op = operator;

  const left = source.slice(0, opAt);
  const methodStart = left.length - left.trimStart().length;
  const methodText = left.trim();
  const methodEnd = methodStart + methodText.length;
  let method: AggregationMethod;
  let percentile: number | null = null;
  if ((METHODS as readonly string[]).includes(methodText)) {
    method = methodText as AggregationMethod;
  } else if (methodText.startsWith("p(") && methodText.endsWith(")")) {
    method = "p";
    const inner = methodText.slice(2, -1).trim();
    const n = NUMBER.test(inner) ? Number(inner) : NaN;
    if (!(n >= 0 && n <= 100))
      throw fail(
        "ERR_THRESHOLD_PERCENTILE",
        methodStart + 2,
        Math.max(1, methodText.length - 3),
        `p(N) takes a percentile from 0 to 100, got ${JSON.stringify(inner)}.`,
      );
    percentile = n;
  } else {
    throw fail(
      "ERR_THRESHOLD_METHOD",
      methodText === "" ? opAt : methodStart,
      Math.max(1, methodText.length),
      methodText === ""
        ? `Missing aggregation method before "${op}": use ${METHOD_LIST}.`
        : `Unknown aggregation method ${JSON.stringify(methodText)}: use ${METHOD_LIST}.${didYouMean(methodText)}`,
    );
  }

  const rightStart = opAt + op.length;
  const right = source.slice(rightStart);
  const valueStart = rightStart + (right.length - right.trimStart().length);
  const valueText = right.trim();
  if (!NUMBER.test(valueText))
    throw fail(
      "ERR_THRESHOLD_VALUE",
      valueText === "" ? rightStart : valueStart,
      Math.max(1, valueText.length),
      valueText === ""
        ? `Missing value after "${op}".`
        : `${shortText(valueText)} is not a number; thresholds compare plain numbers (times in ms, data in bytes, rates from 0 to 1).`,
    );
  const value = Number(valueText);
  // Past Number.MAX_VALUE (1e400, a 100,000-digit number) it reads as ±Infinity, which every figure is
  // below (or above): a threshold that could never fail, as "Infinity" itself would be.
  if (!Number.isFinite(value))
    throw fail(
      "ERR_THRESHOLD_VALUE",
      valueStart,
      valueText.length,
      `${shortText(valueText)} is too large: past ±${Number.MAX_VALUE} a number reads as Infinity, and the threshold could never fail (or never pass).`,
    );
  return {
    source,
    method,
    percentile,
    operator: op,
    value,
    methodSpan: [methodStart, methodEnd],
  };
}
