import { distance } from "fastest-levenshtein";
import type * as Suggest from "../loader/suggest";

/**
 * The loader's did-you-mean, loaded on first use: only a mistake on the command line needs it, and
 * the CLI's main thread (a fleet's, above all) otherwise loads nothing of the loader.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | null {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../loader/suggest") as typeof Suggest).didYouMean(word, candidates);
}

/**
 * The candidate closest to `word` (letter case aside) when it is at most `maxEdits` edits away, else
 * null; the first of equally close ones. For a short list checked on every run (a threshold's metric
 * against the built-in names): it loads nothing of the loader, so a fleet's main thread can call it.
 */
export function withinEdits(word: string, candidates: Iterable<string>, maxEdits: number): string | null {
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // A distance is at least the difference in length: most candidates stop here.
    if (Math.abs(candidate.length - word.length) > maxEdits) continue;
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= maxEdits && bestDistance < word.length ? best : null;
}
