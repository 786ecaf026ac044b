const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner on a terminal stream while the wizard loads; a plain line elsewhere. */
export function startSpinner(stream: NodeJS.WriteStream, text: string, env: NodeJS.ProcessEnv): () => void {
  if (!stream.isTTY || env.TERM === 'dumb') {
    stream.write(`${text}\n`);
    return () => {};
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
