/**
 * `--log-format pretty`: one readable line per pino record, written without pino-pretty (which would
 * bring a dozen packages for what a CLI prints on stderr).
 *
 * The CLI's own messages (no `node` binding) print as their text alone, as they always have. A node's
 * line starts with where and how loud: `/root/Bot/Client: debug: reconnecting attempt=2 delaySeconds=0.5`,
 * preceded by `[index] ` in a fleet. Extra fields follow as `key=value`; an `err` prints its stack below.
 *
 * Text from outside (a server's close reason, a URL, a node's name, a thrown message) must not forge
 * lines or drive the terminal, as it cannot in pino's JSON: see {@link escapeControls}.
 */

const LABELS: Readonly<Record<number, string>> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/** pino's own fields, and those the line shows in its own way. */
const SHOWN_APART = new Set(["level", "time", "pid", "hostname", "msg", "node", "instance", "err"]);

/** One JSON line from pino → one line of text (with its newline). A line that is not JSON passes as is. */
export function formatPretty(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  let text = record.instance === undefined ? "" : `[${escapeControls(String(record.instance))}] `;
  const nodeLine = typeof record.node === "string";
  if (nodeLine) text += `${escapeControls(record.node as string)}: ${levelLabel(record.level)}: `;
  if (record.msg !== undefined) {
    const msg = String(record.msg);
    // A node's message stays on its line; the CLI's own may span lines (a stack), indented below it.
    text += nodeLine ? escapeControls(msg) : indentBelow(msg);
  }
  for (const key of Object.keys(record)) {
    if (!SHOWN_APART.has(key)) text += ` ${formatValue(key)}=${formatValue(record[key])}`;
  }
  const stack = errorText(record.err);
  if (stack !== null) text += `\n    ${indentBelow(stack)}`;
  return `${text}\n`;
}

function levelLabel(level: unknown): string {
  return (typeof level === "number" && LABELS[level]) || escapeControls(String(level));
}

/** What a bare value (or key) may not contain: it would be ambiguous, or control the terminal. */
const NOT_BARE = /[\s"=\p{Cc}\u2028\u2029]/u;

/** Bare when it reads unambiguously (`reason=timeout`), quoted JSON otherwise (`reason="Going Away"`). */
function formatValue(value: unknown): string {
  if (typeof value === "string" && value !== "" && !NOT_BARE.test(value)) return value;
  return escapeControls(JSON.stringify(value) ?? String(value));
}

/** Control characters and line separators (C0, DEL, C1, U+2028/9) as JSON escapes. */
const CONTROLS = /[\p{Cc}\u2028\u2029]/gu;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * `text` with every control character written as its escape (`\n`, `\u001b`): a newline in a close
 * reason cannot start a line that looks like another record, an ESC cannot clear the screen or
 * recolour what follows, a CR cannot overwrite the line's start.
 */
export function escapeControls(text: string): string {
  return text.replace(
    CONTROLS,
    (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Multi-line text kept readable: its lines after the first indented by four spaces, controls escaped. */
function indentBelow(text: string): string {
  return text
    .split(/\r?\n/)
    .map((part) => escapeControls(part))
    .join("\n    ");
}

function errorText(err: unknown): string | null {
  if (err === undefined || err === null) return null;
  if (typeof err !== "object") return String(err);
  const { stack, message } = err as { stack?: unknown; message?: unknown };
  if (typeof stack === "string") return stack;
  return typeof message === "string" ? message : JSON.stringify(err);
}
