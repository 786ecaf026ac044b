import {closeSync, existsSync, openSync, readFileSync, writeSync} from 'node:fs';

export type JournalEntry =
  | {type: 'header'; fingerprint: string; startedAt: string}
  | {type: 'track'; key: string; id: string}
  | {type: 'assigned'; id: string; trackId: string | null};

export class JournalError extends Error {}

/**
 * An append-only record of what the server confirmed. Each line is written as soon as the answer
 * arrives, so a run stopped at any point can be resumed without repeating or losing a change.
 */
export class Journal {
  readonly tracks = new Map<string, string>();
  readonly assigned = new Map<string, string | null>();
  private fd: number | null = null;

  private constructor(readonly file: string, readonly fingerprint: string, readonly resumed: boolean) {}

  static open(file: string, fingerprint: string): Journal {
    const entries = existsSync(file) ? Journal.read(file) : null;
    const header = entries?.find((entry) => entry.type === 'header');
    const recorded = entries?.filter((entry) => entry.type !== 'header') ?? [];
    if (header && header.fingerprint !== fingerprint && recorded.length) {
      throw new JournalError(`${file} belongs to another plan and records ${recorded.length} confirmed changes; apply the plan it was written for, or move it away to start over.`);
    }
    // A journal of another plan that recorded nothing (say, a refused run) is simply replaced.
    const fresh = !entries || !header || header.fingerprint !== fingerprint;
    const journal = new Journal(file, fingerprint, !fresh);
    for (const entry of fresh ? [] : recorded) {
      if (entry.type === 'track') journal.tracks.set(entry.key, entry.id);
      if (entry.type === 'assigned') journal.assigned.set(entry.id, entry.trackId);
    }
    journal.fd = openSync(file, fresh ? 'w' : 'a');
    if (fresh) journal.write({type: 'header', fingerprint, startedAt: new Date().toISOString()});
    return journal;
  }

  private static read(file: string): JournalEntry[] {
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const entries: JournalEntry[] = [];
    lines.forEach((line, index) => {
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        // A line cut short by a crash: everything before it is good, it is not.
        if (index === lines.length - 1) return;
        throw new JournalError(`${file} line ${index + 1} is not valid JSON; move the file away to start over (the server's state is re-checked either way).`);
      }
    });
    return entries;
  }

  private write(entry: JournalEntry): void {
    if (this.fd === null) throw new JournalError('journal is closed');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  recordTrack(key: string, id: string): void {
    this.tracks.set(key, id);
    this.write({type: 'track', key, id});
  }

  recordAssigned(id: string, trackId: string | null): void {
    this.assigned.set(id, trackId);
    this.write({type: 'assigned', id, trackId});
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
