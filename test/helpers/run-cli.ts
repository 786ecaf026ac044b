import {spawn} from 'node:child_process';
import {CLI} from './fixtures.js';

export type CliRun = {code: number | null; stdout: string; stderr: string};

/** Runs the built CLI with no stdin, as CI and scripts do. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {cwd, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({code, stdout, stderr}));
  });
}
