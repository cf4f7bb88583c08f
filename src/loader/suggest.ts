import { distance } from "fastest-levenshtein";

/** Longer words are not typos of anything; comparing them would only cost time. */
const MAX_WORD = 64;
/** Candidates looked at for one hint. */
const MAX_CANDIDATES = 20_000;
/** Candidates looked at per unit of the budget: a length check costs far less than a distance. */
const LOOKS_PER_UNIT = 64;
/** Names a hint lists before it stops. */
const MAX_LISTED = 50;

/**
 * How many candidate comparisons the hints of one load may still make. A hostile file can ask for a
 * hint at every node; past the budget, problems are still reported, only without a did-you-mean.
 */
export class SuggestionBudget {
  /** In edit distances computed (about 0.1 µs each for words this short). */
  constructor(private remaining = 1_000_000) {}

  spend(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining--;
    return true;
  }
}

/** The candidate `word` was most likely meant to be, or null when none is close enough to be a typo. */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  budget?: SuggestionBudget,
): string | null {
  if (word.length > MAX_WORD) return null;
  const lower = word.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(word.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  let seen = 0;
  for (const candidate of candidates) {
    if (++seen > MAX_CANDIDATES || (seen % LOOKS_PER_UNIT === 0 && budget && !budget.spend())) break;
    // A distance is at least the difference in length: most candidates stop here, almost for free.
    if (Math.abs(candidate.length - word.length) > maxDistance) continue;
    if (budget && !budget.spend()) break;
    if (candidate.toLowerCase() === lower) return candidate;
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance < word.length && bestDistance <= maxDistance ? best : null;
}

/** `Did you mean "x"? ` (or nothing) followed by `<what>: a, b, c.` */
export function suggestionHint(
  word: string,
  candidates: Iterable<string>,
  what: string,
  budget?: SuggestionBudget,
): string {
  const list = [...candidates];
  const guess = didYouMean(word, list, budget);
  const shown = list.length > MAX_LISTED ? [...list.slice(0, MAX_LISTED), "…"] : list;
  const listed = list.length > 0 ? `${what}: ${shown.join(", ")}.` : `There are no ${what.toLowerCase()}.`;
  return guess ? `Did you mean "${guess}"? ${listed}` : listed;
}
