/** What bench/fleet.ts, its bots (./echoBot.ts, ./rawBots.ts) and the server agree on. */

/** The text message after which a bot sends nothing more. */
export const QUIET = "quiet";

/** The source address of bot `index` when the bots spread over `hosts` loopback addresses 127.0.0.2… */
export function localHost(index: number, hosts: number): string {
  const k = 2 + (index % hosts);
  return `127.0.${k >> 8}.${k & 0xff}`;
}

/** One thread's running totals, printed once a second as a JSON line (with `thread`). */
export interface BotTotals {
  bots: number;
  opened: number;
  sent: number;
  echoed: number;
  late: number;
}
