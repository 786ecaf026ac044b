import {stripVTControlCharacters} from 'node:util';
import pty from '@lydell/node-pty';
import {CLI} from './fixtures.js';

/** The built CLI in a real pseudo-terminal; output is read as a stream of frames. */
export class PtySession {
  private output = '';
  private mark = 0;
  readonly exited: Promise<number>;
  private readonly process: pty.IPty;

  constructor(args: string[], options: {cwd?: string; cols?: number; rows?: number; env?: Record<string, string>} = {}) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('CI_') && !key.startsWith('PCC_')) env[key] = value;
    // Ink shows only the last frame when it thinks it runs in CI.
    env.CI = 'false';
    env.TERM = 'xterm-256color';
    Object.assign(env, options.env);
    this.process = pty.spawn(process.execPath, [CLI, ...args], {cols: options.cols ?? 100, rows: options.rows ?? 30, cwd: options.cwd, env});
    let lastData = Date.now();
    this.process.onData((data) => {
      this.output += data;
      lastData = Date.now();
    });
    // The exit can be reported before the last output is read: wait until the output goes quiet.
    this.exited = new Promise((resolve) =>
      this.process.onExit(({exitCode}) => {
        const exitedAt = Date.now();
        const drain = setInterval(() => {
          if (Date.now() - lastData < 100 && Date.now() - exitedAt < 1000) return;
          clearInterval(drain);
          resolve(exitCode);
        }, 25);
      }),
    );
  }

  /** Text written since the last key was sent, without escape sequences. */
  get recent(): string {
    return stripVTControlCharacters(this.output.slice(this.mark));
  }

  get all(): string {
    return stripVTControlCharacters(this.output);
  }

  async waitFor(text: string | RegExp, timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    while (!(typeof text === 'string' ? this.recent.includes(text) : text.test(this.recent))) {
      if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${String(text)}; screen so far:\n${this.recent.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends keys and returns once the terminal has answered them. */
  async press(keys: string, expect: string | RegExp): Promise<void> {
    this.mark = this.output.length;
    this.process.write(keys);
    await this.waitFor(expect);
  }

  send(keys: string): void {
    this.mark = this.output.length;
    this.process.write(keys);
  }

  /** Resizes the terminal; what is drawn after it is `recent`. */
  resize(cols: number, rows: number): void {
    this.mark = this.output.length;
    this.process.resize(cols, rows);
  }

  kill(): void {
    this.process.kill();
  }
}
