import {closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync} from 'node:fs';

export type JournalEntry =
  | {type: 'header'; fingerprint: string; startedAt: string}
  | {type: 'track'; key: string; id: string}
  | {type: 'before'; id: string; trackIds: string[]};

export class JournalError extends Error {}

/**
 * What the runs of one plan need to remember across crashes and --replan: the ids of the tracks
 * they created (written the moment the server confirms each), and each WO's tracks just before
 * the first change any run sent for it (so the undo plan returns to the state before the first
 * run). What landed is read from the server itself, which also knows of changes that landed
 * without an answer.
 */
export class Journal {
  readonly tracks = new Map<string, string>();
  readonly before = new Map<string, string[]>();
  private fd: number | null = null;

  private constructor(readonly file: string, readonly fingerprint: string) {}

  static open(file: string, fingerprint: string): Journal {
    const entries = existsSync(file) ? Journal.read(file) : null;
    const header = entries?.[0]?.type === 'header' ? entries[0] : undefined;
    const recorded = entries?.filter((entry) => entry.type !== 'header') ?? [];
    if (header && header.fingerprint !== fingerprint && recorded.length) {
      throw new JournalError(`${file} belongs to another plan and records ${recorded.length} entries; apply the plan it was written for, or move it away to start over.`);
    }
    // A journal of another plan that recorded nothing (say, a refused run) is simply replaced.
    const fresh = !entries || !header || header.fingerprint !== fingerprint;
    const journal = new Journal(file, fingerprint);
    for (const entry of fresh ? [] : recorded) {
      if (entry.type === 'track') journal.tracks.set(entry.key, entry.id);
      if (entry.type === 'before' && !journal.before.has(entry.id)) journal.before.set(entry.id, entry.trackIds);
    }
    journal.fd = openSync(file, fresh ? 'w' : 'a');
    if (fresh) journal.write({type: 'header', fingerprint, startedAt: new Date().toISOString()});
    return journal;
  }

  /** Reads the entries; a last line cut short by a crash is dropped from the file before appending. */
  private static read(file: string): JournalEntry[] {
    const text = readFileSync(file, 'utf8');
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete.length !== text.length) truncateSync(file, Buffer.byteLength(complete));
    const entries: JournalEntry[] = [];
    complete.split('\n').forEach((line, index) => {
      if (!line) return;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = null;
      }
      const known = isEntry(entry);
      // Lines of other kinds (older versions recorded each WO) carry nothing a resume needs.
      if (!known && typeof entry === 'object' && entry !== null && typeof (entry as {type?: unknown}).type === 'string') return;
      if (!known) throw new JournalError(`${file} line ${index + 1} is not a journal entry; move the file away to start over (the server's state is re-checked either way).`);
      entries.push(entry as JournalEntry);
    });
    return entries;
  }

  private write(entry: JournalEntry): void {
    if (this.fd === null) throw new JournalError('journal is closed');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  /** Records where WOs were before their first change; a WO already recorded keeps its first record. */
  recordBefore(workOrders: readonly {id: string; trackIds: string[]}[]): void {
    const lines: string[] = [];
    for (const {id, trackIds} of workOrders) {
      if (this.before.has(id)) continue;
      this.before.set(id, trackIds);
      lines.push(JSON.stringify({type: 'before', id, trackIds} satisfies JournalEntry));
    }
    if (!lines.length) return;
    if (this.fd === null) throw new JournalError('journal is closed');
    writeSync(this.fd, `${lines.join('\n')}\n`);
  }

  recordTrack(key: string, id: string): void {
    this.tracks.set(key, id);
    this.write({type: 'track', key, id});
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  if (entry.type === 'header') return typeof entry.fingerprint === 'string';
  if (entry.type === 'track') return typeof entry.key === 'string' && typeof entry.id === 'string';
  if (entry.type === 'before') return typeof entry.id === 'string' && Array.isArray(entry.trackIds) && entry.trackIds.every((id) => typeof id === 'string');
  return false;
}
