import pino, { type Logger, type LevelWithSilent } from "pino";

/** One pino line, parsed. */
export type LogRecord = Record<string, unknown> & { level: number; msg?: string };

/** A pino logger at `level` whose lines are kept (parsed, in order) instead of written anywhere. */
export function captureLogger(level: LevelWithSilent = "trace"): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = pino({ level }, { write: (line: string) => void records.push(JSON.parse(line)) });
  return { logger, records };
}

/** The records without pino's own fields (time, pid, hostname), for exact comparisons. */
export function fieldsOf(records: readonly LogRecord[]): Record<string, unknown>[] {
  return records.map(({ time: _time, pid: _pid, hostname: _hostname, ...rest }) => rest);
}
