import {bindingsFor, type Screen} from '../keys.js';
import {wrapLine} from './wrap.js';

/** Lines around the help's keys: the App's title, notice and footer, the border, the heading and the closing line. */
const CHROME_LINES = 7;
const LABEL_WIDTH = 12;
const PERCENT_NOTE = 'n%: about n in 100 such guesses were right here.';

export type HelpPages = {pages: string[][]; percent: string | null};

/**
 * The help for one screen, laid out for the terminal: every key with its whole explanation,
 * wrapped at word boundaries, in pages that fit the height (a key's lines never split across two
 * pages). The note on percentages follows the keys: under them on one page, else on the last.
 */
export function helpPages(screen: Screen, rows: number, columns: number): HelpPages {
  // Inside the border and its padding, beside the key's label.
  const helpWidth = Math.max(8, columns - 4 - LABEL_WIDTH);
  const entries = bindingsFor(screen).map((binding) =>
    wrapLine(binding.helpOn?.[screen] ?? binding.help, helpWidth).map((part, index) => `${(index === 0 ? binding.label : '').padEnd(LABEL_WIDTH)}${part}`),
  );
  const room = Math.max(1, rows - CHROME_LINES);
  const total = entries.reduce((sum, lines) => sum + lines.length, 0);
  const percent = screen === 'track' && total + 1 <= room ? PERCENT_NOTE : null;
  // When the keys take pages, the note is the last page's last entry.
  if (screen === 'track' && !percent) entries.push(wrapLine(PERCENT_NOTE, columns - 4));
  const pages: string[][] = [[]];
  for (const lines of entries) {
    const page = pages.at(-1)!;
    if (page.length && page.length + lines.length > room) pages.push([]);
    // A key whose explanation is taller than the whole page shows as much as fits, marked as cut.
    pages.at(-1)!.push(...(lines.length > room ? [...lines.slice(0, room - 1), `${lines[room - 1]}…`] : lines));
  }
  return {pages, percent};
}
