/**
 * `--log-format pretty`: one readable line per pino record, written without pino-pretty (which would
 * bring a dozen packages for what a CLI prints on stderr).
 *
 * The CLI's own messages (no `node` binding) print as their text alone, as they always have. A node's
 * line starts with where and how loud: `/root/Bot/Client: debug: reconnecting attempt=2 delaySeconds=0.5`,
 * preceded by `[index] ` in a fleet. Extra fields follow as `key=value`; an `err` prints its stack below.
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
  let text = record.instance === undefined ? "" : `[${String(record.instance)}] `;
  if (typeof record.node === "string") text += `${record.node}: ${levelLabel(record.level)}: `;
  if (record.msg !== undefined) text += String(record.msg);
  for (const key of Object.keys(record)) {
    if (!SHOWN_APART.has(key)) text += ` ${key}=${formatValue(record[key])}`;
  }
  const stack = errorText(record.err);
  if (stack !== null) text += `\n    ${stack.split("\n").join("\n    ")}`;
  return `${text}\n`;
}

function levelLabel(level: unknown): string {
  return (typeof level === "number" && LABELS[level]) || String(level);
}

/** Bare when it reads unambiguously (`reason=timeout`), quoted JSON otherwise (`reason="Going Away"`). */
function formatValue(value: unknown): string {
  if (typeof value === "string" && /^[^\s"=]+$/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
}

function errorText(err: unknown): string | null {
  if (err === undefined || err === null) return null;
  if (typeof err !== "object") return String(err);
  const { stack, message } = err as { stack?: unknown; message?: unknown };
  if (typeof stack === "string") return stack;
  return typeof message === "string" ? message : JSON.stringify(err);
}
