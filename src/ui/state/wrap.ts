import stringWidth from 'string-width';

/**
 * Breaks a line into lines of at most `width` columns, at spaces where it can and inside a word
 * only when one word is wider than the line. Widths are display columns (wide characters count two).
 */
export function wrapLine(text: string, width: number): string[] {
  const limit = Math.max(1, width);
  if (stringWidth(text) <= limit) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (stringWidth(candidate) <= limit) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    // A word wider than the line is cut where the columns run out.
    let rest = word;
    while (stringWidth(rest) > limit) {
      let cut = '';
      for (const character of rest) {
        if (stringWidth(cut + character) > limit) break;
        cut += character;
      }
      // A character wider than the whole line still takes a line of its own.
      if (!cut) cut = [...rest][0];
      lines.push(cut);
      rest = rest.slice(cut.length);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** The text cut to `width` display columns, with "…" where it was cut (wide characters count two). */
export function cutToWidth(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let cut = '';
  let used = 0;
  for (const character of text) {
    const size = stringWidth(character);
    if (used + size > width - 1) break;
    cut += character;
    used += size;
  }
  return `${cut}…`;
}
