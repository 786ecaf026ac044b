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
    const exists = existsSync(file);
    const journal = new Journal(file, fingerprint, exists);
    if (exists) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      lines.forEach((line, index) => {
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          // A line cut short by a crash: everything before it is good, it is not.
          if (index === lines.length - 1) return;
          throw new JournalError(`${file} line ${index + 1} is not valid JSON; move the file away to start over (the server's state is re-checked either way).`);
        }
        if (entry.type === 'header' && entry.fingerprint !== fingerprint) {
          throw new JournalError(`${file} belongs to another plan; move it away or apply the plan it was written for.`);
        }
        if (entry.type === 'track') journal.tracks.set(entry.key, entry.id);
        if (entry.type === 'assigned') journal.assigned.set(entry.id, entry.trackId);
      });
    }
    journal.fd = openSync(file, 'a');
    if (!exists) journal.write({type: 'header', fingerprint, startedAt: new Date().toISOString()});
    return journal;
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
