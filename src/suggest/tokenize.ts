// Words that carry no topic in WO titles and goals.
const STOP_WORDS = new Set(
  ('a an and are as at be by can do does for from has have how in into is it its of on or our so that the their them then '
    + 'there these this to up was we were what when where which while who will with without not no all any each every new add '
    + 'make use used using via per should must more less than also just only out over after before under get set let fix fixes '
    + 'wo wos work order orders support first second one two way ways end both').split(' '),
);

/** Crude English stem: enough to make plurals and -ing/-ed forms meet. */
export function stem(word: string): string {
  if (word.length <= 2) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

// Every stem gets a number the first time it is seen: the suggester counts and indexes terms by
// number, in flat arrays, instead of hashing strings at every step. Numbers carry no meaning.
const numberOfStem = new Map<string, number>();
const stems: string[] = [];
/** Raw lower-cased word → its stem's number, or -1 for a word that is not kept. */
const known = new Map<string, number>();
/** Bound on remembered raw words (the stems stay). */
const KNOWN_LIMIT = 200_000;

/** The first word seen for each stem: what a reason shows ("caching", not "cach"). */
const firstWordOfStem = new Map<string, string>();

/** A stem as a person reads it: the first word that was cut to it. */
export function wordOf(stemmed: string): string {
  return firstWordOfStem.get(stemmed) ?? stemmed;
}

/** The stem behind a term number. */
export function stemOf(term: number): string {
  return stems[term];
}

/** How many term numbers exist so far (every number is below this). */
export function termCount(): number {
  return stems.length;
}

/** Letters, marks and digits of any script: a word goes on through them. */
const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;

/**
 * Appends the term numbers of a text's words to `out`: lower-cased stems, where camelCase,
 * snake_case and hyphens split words.
 */
export function termsOf(text: string | null | undefined, out: number[]): number[] {
  if (!text) return out;
  // One pass over the characters: at 10,000 WOs this is a large part of the suggester's time. A
  // word is a run of letters, marks and digits of any script (ASCII is checked without a regular
  // expression); an ASCII upper-case letter right after a lower-case one starts a new word
  // (camelCase); anything else separates words.
  let start = -1;
  let previousLower = false;
  // Most words are lower-case ASCII already: they skip the copy that lower-casing makes.
  let hasUpper = false;
  for (let at = 0; at <= text.length; at++) {
    const code = at < text.length ? text.charCodeAt(at) : 32;
    const lower = code >= 97 && code <= 122;
    const upper = code >= 65 && code <= 90;
    if (lower || upper || (code >= 48 && code <= 57)) {
      if (start >= 0 && upper && previousLower) {
        keep(text.slice(start, at), hasUpper, out);
        start = at;
        hasUpper = false;
      } else if (start < 0) start = at;
      previousLower = lower;
      hasUpper ||= upper;
      continue;
    }
    if (code >= 0x80) {
      // A letter of another script (a surrogate pair is read whole): part of the word, which
      // is then lower-cased as a whole.
      const pair = code >= 0xd800 && code <= 0xdbff && at + 1 < text.length;
      if (WORD_CHARACTER.test(pair ? text.slice(at, at + 2) : text[at])) {
        if (start < 0) start = at;
        if (pair) at++;
        previousLower = false;
        hasUpper = true;
        continue;
      }
    }
    if (start >= 0) keep(text.slice(start, at), hasUpper, out);
    start = -1;
    previousLower = false;
    hasUpper = false;
  }
  return out;
}

/** Lower-cased stems of a text's words; camelCase, snake_case and hyphens split words. */
export function tokenize(text: string | null | undefined): string[] {
  return termsOf(text, []).map(stemOf);
}

function keep(raw: string, hasUpper: boolean, out: number[]): void {
  const word = hasUpper ? raw.toLowerCase() : raw;
  let term = known.get(word);
  if (term === undefined) {
    let kept: string | null = word.length < 2 || STOP_WORDS.has(word) || /^\d+$/.test(word) ? null : stem(word);
    if (kept !== null && STOP_WORDS.has(kept)) kept = null;
    if (kept === null) term = -1;
    else {
      term = numberOfStem.get(kept);
      if (term === undefined) {
        term = stems.length;
        stems.push(kept);
        numberOfStem.set(kept, term);
        firstWordOfStem.set(kept, word);
      }
    }
    // Words repeat across thousands of WOs: remember each one's term (bounded).
    if (known.size < KNOWN_LIMIT) known.set(word, term);
  }
  if (term >= 0) out.push(term);
}
