import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type LockOwner = {pid: number; startedAt: string; target: string};

export class LockHeld extends Error {
  constructor(readonly owner: LockOwner) {
    super(`another pcc-track-wizard (${owner.pid ? `pid ${owner.pid}, ` : ''}started ${owner.startedAt}) is applying to ${owner.target}`);
  }
}

function lockDir(): string {
  // One folder per user: another user's locks are theirs, and their folder is not ours to write.
  return process.env.PCC_TRACK_WIZARD_LOCK_DIR ?? path.join(os.tmpdir(), `pcc-track-wizard-locks-${os.userInfo().uid}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function youngerThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : null;
  } catch {
    return null;
  }
}

/**
 * Takes the machine-wide lock for one target (a server and project, or a database file and
 * project). A lock left by a process that no longer runs is taken over. Returns the release.
 */
export function acquireRunLock(key: string, target: string): () => void {
  const dir = lockDir();
  mkdirSync(dir, {recursive: true});
  const file = path.join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.lock`);
  const me: LockOwner = {pid: process.pid, startedAt: new Date().toISOString(), target};
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), {flag: 'wx'});
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (readOwner(file)?.pid === process.pid) rmSync(file, {force: true});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    // A lock file just made by another process may not hold its owner yet: it is held, not stale.
    if (!owner && youngerThan(file, 5000)) throw new LockHeld({pid: 0, startedAt: 'just now', target});
    if (owner && alive(owner.pid) && owner.pid !== process.pid) throw new LockHeld(owner);
    if (owner?.pid === process.pid) throw new LockHeld(owner);
    // Stale (its process is gone) or unreadable: move it aside, then check it was the one we read.
    const aside = `${file}.${process.pid}.stale`;
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = readOwner(aside);
    if (moved && owner && (moved.pid !== owner.pid || moved.startedAt !== owner.startedAt) && alive(moved.pid)) {
      // Another process took the lock between our read and the move: give it back.
      try {
        renameSync(aside, file);
      } catch {
        // It can only fail if a third process locked meanwhile; that one holds the lock then.
      }
      throw new LockHeld(moved);
    }
    rmSync(aside, {force: true});
  }
  const owner = readOwner(file);
  throw owner ? new LockHeld(owner) : new Error(`cannot take the lock ${file}`);
}
