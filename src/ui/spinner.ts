import stringWidth from 'string-width';
import {sanitizeText} from '../workorders/sanitize.js';
import {cutToWidth} from './state/wrap.js';

/** The text, inert, cut to one row of `width` columns. */
function oneRow(text: string, width: number): string {
  return cutToWidth(sanitizeText(text), Math.max(1, width));
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner on a terminal stream while the wizard loads; a plain line elsewhere. */
export function startSpinner(stream: NodeJS.WriteStream, text: string, env: NodeJS.ProcessEnv): () => void {
  if (!stream.isTTY) {
    stream.write(`${sanitizeText(text)}\n`);
    return () => {};
  }
  // A dumb terminal has no erase sequence, but a carriage return and spaces blank the line.
  if (env.TERM === 'dumb') {
    const line = oneRow(text, (stream.columns || 80) - 1);
    stream.write(line);
    return () => stream.write(`\r${' '.repeat(stringWidth(line))}\r`);
  }
  let frame = 0;
  // One row at most: a line that wraps cannot be redrawn or erased from its start.
  const shown = oneRow(text, (stream.columns || 80) - 3);
  const draw = () => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${shown}`);
  draw();
  const timer = setInterval(draw, 80);
  return () => {
    clearInterval(timer);
    stream.write('\r\u001B[2K');
  };
}
