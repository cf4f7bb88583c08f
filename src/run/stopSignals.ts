/** The exit code of a run stopped by each signal (128 + the signal's number, as a shell reports it). */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/**
 * A repeat of a signal within this many milliseconds is the same request delivered twice, not a user
 * asking again: GNU `timeout` sends its SIGTERM to the program and to the program's process group, so
 * the two arrive together and the second would otherwise cut the clean stop short.
 */
export const REPEATED_SIGNAL_MS = 500;

export interface StopSignalOptions {
  /** Told of the first signal: stop cleanly, with `code` as the exit code. */
  stop: (signal: StopSignal, code: number) => void;
  /** A signal after the first (and at least REPEATED_SIGNAL_MS after it): the user wants out now. */
  exit?: (code: number) => never;
  now?: () => number;
}

/**
 * Listens for SIGINT and SIGTERM: the first stops the run cleanly, a later one exits at once. Returns
 * the function that stops listening.
 */
export function onStopSignals(options: StopSignalOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? (() => performance.now());
  let firstAt: number | null = null;
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]).map((signal) => {
    const code = SIGNAL_EXIT_CODES[signal];
    const handler = (): void => {
      if (firstAt === null) {
        firstAt = now();
        options.stop(signal, code);
      } else if (now() - firstAt >= REPEATED_SIGNAL_MS) exit(code);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}
