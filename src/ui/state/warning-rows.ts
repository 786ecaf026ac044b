import {sanitizeText} from '../../workorders/sanitize.js';
import {wrapLine} from './wrap.js';

/** The app's title, notice and footer, the box's borders, its heading and its last line. */
const CHROME_LINES = 7;

/** The warnings as the panel shows them: wrapped to the box, a warning's next lines indented under its first. */
export function warningRows(warnings: readonly string[], columns: number): string[] {
  // Inside the border and padding.
  const width = Math.max(10, columns - 4);
  return warnings.flatMap((warning) => {
    const text = sanitizeText(warning);
    const [first] = wrapLine(text, width);
    const tail = text.slice(first.length).replace(/^ /, '');
    return [first, ...(tail ? wrapLine(tail, width - 2).map((part) => `  ${part}`) : [])];
  });
}

/** Rows of warnings the panel shows at once. */
export function warningRoom(rows: number): number {
  return Math.max(1, rows - CHROME_LINES);
}
