/**
 * The longest piece of a user's input an error message repeats whole. Scene files come from anywhere:
 * a 5 MB node name must not become a 5 MB error report (nor one per problem it causes), yet a name of
 * a few hundred characters is still worth seeing in full.
 */
export const MAX_ECHOED_CHARS = 200;

/** How much of a longer piece is shown, before the count of what was left out. */
const SHOWN_CHARS = 60;

/**
 * `text` as an error message may repeat it: unchanged up to {@link MAX_ECHOED_CHARS} characters,
 * otherwise its start and how long it is (`"AAAA… (5000000 characters)"`).
 */
export function echoed(text: string): string {
  if (text.length <= MAX_ECHOED_CHARS) return text;
  return `${head(text, SHOWN_CHARS)}… (${text.length} characters)`;
}

/** The first `count` UTF-16 units of `text`, one fewer rather than half a surrogate pair. */
function head(text: string, count: number): string {
  const last = text.charCodeAt(count - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? count - 1 : count);
}

/** The last `count` UTF-16 units of `text`, one fewer rather than half a surrogate pair. */
function tail(text: string, count: number): string {
  const first = text.charCodeAt(text.length - count);
  return text.slice(first >= 0xdc00 && first <= 0xdfff ? text.length - count + 1 : text.length - count);
}

/** The longest message made from a user's input that is kept whole (see {@link echoedWords}). */
export const MAX_MESSAGE_CHARS = 2000;

// File paths break at their separators, so a long but ordinary path is kept whole.
const WORD_BREAKS = /(["'\s:=,;()[\]{}<>|/\\.])/;

/**
 * A message already put together from a user's input, made safe to repeat: every word (a run
 * between quotes, spaces, punctuation and path separators) longer than {@link MAX_ECHOED_CHARS} is cut short as
 * {@link echoed} does, and a message still longer than {@link MAX_MESSAGE_CHARS} keeps its start and
 * its end. For messages whose pieces can't be cut one by one where they are made.
 */
export function echoedWords(message: string): string {
  if (message.length <= MAX_ECHOED_CHARS) return message;
  let out = "";
  for (const piece of message.split(WORD_BREAKS)) out += echoed(piece);
  if (out.length <= MAX_MESSAGE_CHARS) return out;
  const start = head(out, MAX_MESSAGE_CHARS - 500);
  const end = tail(out, 400);
  return `${start}… (${out.length - start.length - end.length} characters left out) …${end}`;
}
