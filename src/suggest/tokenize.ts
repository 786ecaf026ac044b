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

/** Lower-cased stems of a text's words; camelCase, snake_case and hyphens split words. */
export function tokenize(text: string | null | undefined): string[] {
  if (!text) return [];
  const words = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  const out: string[] = [];
  for (const word of words) {
    let kept = known.get(word);
    if (kept === undefined) {
      kept = word.length < 2 || STOP_WORDS.has(word) || /^\d+$/.test(word) ? null : stem(word);
      if (kept !== null && STOP_WORDS.has(kept)) kept = null;
      // Words repeat across thousands of WOs: remember each one's stem (bounded).
      if (known.size < 100_000) known.set(word, kept);
    }
    if (kept !== null) out.push(kept);
  }
  return out;
}

const known = new Map<string, string | null>();
