const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner on a terminal stream while the wizard loads; a plain line elsewhere. */
export function startSpinner(stream: NodeJS.WriteStream, text: string, env: NodeJS.ProcessEnv): () => void {
  if (!stream.isTTY) {
    stream.write(`${text}\n`);
    return () => {};
  }
  // A dumb terminal has no erase sequence, but a carriage return and spaces blank the line.
  if (env.TERM === 'dumb') {
    stream.write(text);
    return () => stream.write(`\r${' '.repeat(text.length)}\r`);
  }
  let frame = 0;
  const draw = () => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${text}`);
  draw();
  const timer = setInterval(draw, 80);
  return () => {
    clearInterval(timer);
    stream.write('\r\u001B[2K');
  };
}
