const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner on a terminal stream while the wizard loads; a plain line elsewhere. */
export function startSpinner(stream: NodeJS.WriteStream, text: string, env: NodeJS.ProcessEnv): () => void {
  if (!stream.isTTY) {
    stream.write(`${text}\n`);
    return () => {};
  }
  // A dumb terminal has no erase sequence, but a carriage return and spaces blank the line.
  if (env.TERM === 'dumb') {
    const line = text.slice(0, Math.max(1, (stream.columns || 80) - 1));
    stream.write(line);
    return () => stream.write(`\r${' '.repeat(line.length)}\r`);
  }
  let frame = 0;
  // One row at most: a line that wraps cannot be redrawn or erased from its start.
  const room = Math.max(1, (stream.columns || 80) - 3);
  const shown = text.length > room ? `${text.slice(0, room - 1)}…` : text;
  const draw = () => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${shown}`);
  draw();
  const timer = setInterval(draw, 80);
  return () => {
    clearInterval(timer);
    stream.write('\r\u001B[2K');
  };
}
