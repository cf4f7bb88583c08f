/** Settings of the reconnection delay policy. Times in seconds, as everywhere in the public API. */
export interface BackoffSettings {
  /** Delay before the second try; each further try doubles it. Default 1. */
  reconnectDelay: number;
  /** No delay ever exceeds this, jitter included. Default 30. */
  reconnectDelayMax: number;
  /** Fraction (0..1) of each delay that is randomised away, see {@link backoffDelay}. Default 0. */
  reconnectJitter: number;
  /** Uniform source in [0, 1). Default `Math.random`; tests inject a fixed sequence. */
  random: () => number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffSettings> = {
  reconnectDelay: 1,
  reconnectDelayMax: 30,
  reconnectJitter: 0,
  random: Math.random,
};

/**
 * Seconds to wait before try number `attempt` of a streak (0-based: 0 is the first try).
 *
 * The first try is immediate; try n ≥ 1 waits `reconnectDelay · 2^(n-1)`, capped at
 * `reconnectDelayMax`. Jitter is downward only: the delay is multiplied by
 * `1 - reconnectJitter · random()`, so it lies in `[d · (1 - jitter), d]`. Downward jitter keeps the
 * cap a hard promise (a symmetric one would overshoot it or need clipping that piles attempts on
 * the cap) while still spreading a crowd of clients that lost the same server.
 */
export function backoffDelay(attempt: number, settings: Partial<BackoffSettings> = {}): number {
  if (!(attempt >= 1)) return 0;
  const base = nonNegative(settings.reconnectDelay ?? DEFAULT_BACKOFF.reconnectDelay);
  const cap = nonNegative(settings.reconnectDelayMax ?? DEFAULT_BACKOFF.reconnectDelayMax);
  const jitter = clamp01(settings.reconnectJitter ?? DEFAULT_BACKOFF.reconnectJitter);
  // 2 ** large is Infinity, which the cap absorbs: no overflow guard needed.
  const delay = Math.min(cap, base * 2 ** (Math.floor(attempt) - 1));
  if (jitter === 0) return delay;
  const random = clamp01((settings.random ?? DEFAULT_BACKOFF.random)());
  return delay * (1 - jitter * random);
}

function nonNegative(value: number): number {
  return value > 0 ? value : 0; // also maps NaN to 0
}

function clamp01(value: number): number {
  return value > 0 ? (value < 1 ? value : 1) : 0;
}
