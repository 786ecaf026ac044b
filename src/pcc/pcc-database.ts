import {randomUUID} from 'node:crypto';
import {closeSync, openSync, readSync, statSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {normalizeTrackName} from '../spec/spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';
import type {TrackRecord} from './validate.js';
import {sameIds} from '../plan/changes.js';

// PCC keeps tracks and the WO → track link in its SQLite file, and its API has no route that
// assigns a track. So the wizard writes that file as PCC's own backfill did: tracks upserted by
// name, then each WO's track, in one short transaction.

/** 'older': work_orders.track_id only. 'newer': a wo_tracks link table (several tracks per WO). */
export type DatabaseShape = 'older' | 'newer';

export type DatabaseProject = {id: string; name: string | null; path: string | null};

export type DatabaseState = {
  tracks: TrackRecord[];
  /** Every WO row PCC has for the project, with all its tracks (the first is work_orders.track_id). */
  workOrders: {id: string; trackIds: string[]}[];
};

export type NewTrackRow = {name: string; description: string | null; goal: string | null; color: string | null; icon: string | null; sortOrder: number};

export class PccDatabaseError extends Error {
  constructor(message: string, readonly kind: 'not-sqlite' | 'not-pcc' | 'project' | 'busy' | 'missing-rows' | 'io' | 'missing' | 'unreadable') {
    super(message);
    this.name = 'PccDatabaseError';
  }
}

/** How an apply into PCC's database names where it goes, everywhere it is said. */
export function databaseLabel(file: string, project: string): string {
  return `PCC's database ${file} (project ${sanitizeText(project)})`;
}

/** Where PCC keeps its database, from the variables PCC itself reads. */
export function pccDatabaseFromEnv(env: NodeJS.ProcessEnv): string | null {
  return env.PCC_DATABASE_PATH || env.CONTROL_CENTER_DB_PATH || null;
}

/** The environment variable a database path came from: `PCC_DB` when no --pcc-db flag was typed, else PCC's own. */
export function databaseVariable(options: {pccDb: string | null; pccDbFromEnv: boolean}, env: NodeJS.ProcessEnv): string | null {
  if (options.pccDb) return options.pccDbFromEnv ? 'PCC_DB' : null;
  return env.PCC_DATABASE_PATH ? 'PCC_DATABASE_PATH' : env.CONTROL_CENTER_DB_PATH ? 'CONTROL_CENTER_DB_PATH' : null;
}

/** The file itself, however a path reaches it (a symlink, a hard link, another spelling). */
export function fileIdentity(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return path.resolve(file);
  }
}

/** A database error as said to the user: a missing file names the variable that named it. */
export function databaseErrorText(error: PccDatabaseError, variable: string | null): string {
  return variable && (error.kind === 'missing' || error.kind === 'unreadable') ? `${error.message.replace(/\.$/, '')}, or correct ${variable}, which names this file.` : error.message;
}

/** How long a write waits for PCC to finish its own short writes. */
export const BUSY_TIMEOUT_MS = 2000;

function loadDriver(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch {
    throw new PccDatabaseError('Reading PCC\'s database needs the better-sqlite3 package, which is not installed or did not build here; run npm install (it needs a C++ toolchain when no prebuilt binary fits).', 'io');
  }
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function isBusy(error: unknown): boolean {
  const code = (error as {code?: string})?.code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** PCC's database file for one project: its shape is read from the file, never from a version. */
export class PccDatabase {
  readonly shape: DatabaseShape;
  readonly trackColumns: Set<string>;
  private readonly db: BetterSqlite3.Database;

  private constructor(readonly file: string, db: BetterSqlite3.Database, readonly project: DatabaseProject) {
    this.db = db;
    this.trackColumns = columns(db, 'tracks');
    this.shape = tableExists(db, 'wo_tracks') ? 'newer' : 'older';
  }

  /**
   * Opens the file and checks it is PCC's, with the project in it (the only project when none is
   * named). Every refusal is one sentence naming the file and what to do.
   */
  static open(file: string, projectId: string | null): PccDatabase {
    checkSqliteHeader(file);
    const Database = loadDriver();
    let db: BetterSqlite3.Database;
    try {
      db = new Database(file, {fileMustExist: true, timeout: BUSY_TIMEOUT_MS});
      db.pragma('foreign_keys = ON');
    } catch (error) {
      throw new PccDatabaseError(`${file} cannot be opened as a SQLite database (${(error as Error).message}); pass --pcc-db with PCC's control-center.db.`, 'not-sqlite');
    }
    try {
      const missing = requiredMissing(db);
      if (missing.length) {
        throw new PccDatabaseError(`${file} is a SQLite file but not PCC's database (it lacks ${missing.join(', ')}); pass --pcc-db with the control-center.db that PCC opens (PCC_DATABASE_PATH or CONTROL_CENTER_DB_PATH, else the folder PCC runs in).`, 'not-pcc');
      }
      const projects = (db.prepare('SELECT * FROM projects ORDER BY id').all() as Record<string, unknown>[]).map((row) => ({
        id: String(row.id),
        name: typeof row.name === 'string' ? row.name : null,
        path: typeof row.path === 'string' ? row.path : null,
      }));
      let project: DatabaseProject | undefined;
      if (projectId) project = projects.find((candidate) => candidate.id === projectId);
      else if (projects.length === 1) project = projects[0];
      if (!project) {
        const listed = projects.map((candidate) => sanitizeText(candidate.id)).join(', ') || 'none';
        throw new PccDatabaseError(projectId ? `Project "${sanitizeText(projectId)}" is not in ${file} (its projects: ${listed}); pass --project with one of them.` : `${file} holds several projects (${listed}); pass --project with one of them.`, 'project');
      }
      return new PccDatabase(file, db, project);
    } catch (error) {
      db.close();
      if (error instanceof PccDatabaseError) throw error;
      if (isBusy(error)) throw new PccDatabaseError(`${file} stayed locked for ${BUSY_TIMEOUT_MS / 1000} s (PCC may be busy); nothing was read or changed, try again.`, 'busy');
      throw new PccDatabaseError(`${file} cannot be read as PCC's database (${(error as Error).message}).`, 'not-sqlite');
    }
  }

  get label(): string {
    return databaseLabel(this.file, this.project.id);
  }

  /** Tracks with PCC's counts, and every WO row with its tracks, read in one snapshot. */
  readState(): DatabaseState {
    return this.guard('read', () => this.db.transaction(() => this.snapshot())());
  }

  private snapshot(): DatabaseState {
    const project = this.project.id;
    const rows = this.db.prepare('SELECT id, track_id FROM work_orders WHERE project_id = ? ORDER BY id').all(project) as {id: string; track_id: string | null}[];
    const links = new Map<string, string[]>();
    if (this.shape === 'newer') {
      for (const link of this.db.prepare('SELECT wo_id, track_id FROM wo_tracks WHERE project_id = ? ORDER BY created_at, rowid').iterate(project) as Iterable<{wo_id: string; track_id: string}>) {
        const list = links.get(link.wo_id);
        if (list) list.push(link.track_id);
        else links.set(link.wo_id, [link.track_id]);
      }
    }
    // PCC reads wo_tracks, and falls back to track_id only for a WO without rows there.
    const workOrders = rows.map((row) => {
      const linked = links.get(row.id);
      if (linked?.length) {
        const first = row.track_id && linked.includes(row.track_id) ? row.track_id : linked[0];
        return {id: row.id, trackIds: [first, ...linked.filter((id) => id !== first)]};
      }
      return {id: row.id, trackIds: row.track_id ? [row.track_id] : []};
    });
    const counts = new Map<string, number>();
    for (const wo of workOrders) for (const id of wo.trackIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    const order = this.trackColumns.has('sort_order') ? 'sort_order, name' : 'name';
    const tracks = (this.db.prepare(`SELECT * FROM tracks WHERE project_id = ? ORDER BY ${order}`).all(project) as Record<string, unknown>[]).map(
      (row): TrackRecord => ({
        id: String(row.id),
        name: String(row.name ?? ''),
        description: typeof row.description === 'string' ? row.description : null,
        goal: typeof row.goal === 'string' ? row.goal : null,
        color: typeof row.color === 'string' ? row.color : null,
        icon: typeof row.icon === 'string' ? row.icon : null,
        sortOrder: typeof row.sort_order === 'number' ? row.sort_order : 0,
        workOrderCount: counts.get(String(row.id)) ?? 0,
      }),
    );
    return {tracks, workOrders};
  }

  /**
   * Writes everything in one IMMEDIATE transaction: tracks found by name or created as PCC creates
   * them, each WO's tracks set (in the link table too on newer PCC), empty copies deleted. A WO
   * with no row is never given one: the whole write is refused before it starts.
   */
  write(change: {create: NewTrackRow[]; assignments: {id: string; trackIds: string[] | {name: string}; expected?: readonly string[]}[]; deleteIfEmpty: string[]}): {created: Map<string, {id: string; name: string; action: 'created' | 'reused'}>; deleted: string[]; movedMeanwhile: {id: string; trackIds: string[]; atTarget: boolean}[]} {
    return this.guard('write', () =>
      this.db.transaction(() => {
        const project = this.project.id;
        const now = new Date().toISOString();
        const known = new Set((this.db.prepare('SELECT id FROM work_orders WHERE project_id = ?').pluck().all(project) as string[]));
        const missing = change.assignments.filter((assignment) => !known.has(assignment.id)).map((assignment) => sanitizeText(assignment.id));
        if (missing.length) {
          throw new PccDatabaseError(`${missing.length} work order${missing.length === 1 ? ' has' : 's have'} no row in ${this.file} (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}): PCC has never listed ${missing.length === 1 ? 'it' : 'them'}, usually because the front matter does not parse. Fix those files (see the load warnings) or leave them out of the plan; nothing was changed.`, 'missing-rows');
        }
        const tracks = this.db.prepare('SELECT id, name FROM tracks WHERE project_id = ?').all(project) as {id: string; name: string}[];
        const byName = new Map<string, {id: string; name: string}>();
        for (const track of tracks) if (!byName.has(normalizeTrackName(track.name))) byName.set(normalizeTrackName(track.name), track);
        const created = new Map<string, {id: string; name: string; action: 'created' | 'reused'}>();
        const insert = this.insertTrackStatement();
        for (const track of change.create) {
          const key = normalizeTrackName(track.name);
          const existing = byName.get(key);
          if (existing) {
            created.set(key, {...existing, action: 'reused'});
            continue;
          }
          const row = {id: randomUUID(), project_id: project, name: track.name, description: track.description, goal: track.goal, color: track.color, icon: track.icon, sort_order: Math.round(track.sortOrder), created_at: now, updated_at: now, status: 'active'};
          insert.run(row);
          byName.set(key, {id: row.id, name: row.name});
          created.set(key, {id: row.id, name: row.name, action: 'created'});
        }
        // Ids to restore must be this project's tracks: a hand-edited plan cannot link elsewhere.
        const ours = new Set([...tracks.map((track) => track.id), ...[...created.values()].map((track) => track.id)]);
        const foreign = change.assignments.filter((assignment) => Array.isArray(assignment.trackIds) && assignment.trackIds.some((id) => !ours.has(id)));
        if (foreign.length) {
          throw new PccDatabaseError(`${foreign.length} work order${foreign.length === 1 ? '' : 's'} of the plan (${foreign.slice(0, 5).map((assignment) => sanitizeText(assignment.id)).join(', ')}) name a track that is not one of project ${sanitizeText(project)}'s in ${this.file}; make a new plan. Nothing was changed.`, 'missing-rows');
        }
        const setTrack = this.db.prepare('UPDATE work_orders SET track_id = ? WHERE project_id = ? AND id = ?');
        const clearLinks = this.shape === 'newer' ? this.db.prepare('DELETE FROM wo_tracks WHERE project_id = ? AND wo_id = ?') : null;
        const addLink = this.shape === 'newer' ? this.db.prepare('INSERT INTO wo_tracks (project_id, wo_id, track_id, created_at) VALUES (?, ?, ?, ?)') : null;
        // PCC's users keep working while the plan is read and checked: inside the transaction, a
        // WO whose tracks are no longer what was read (nor already what the plan wants) was moved
        // by someone else meanwhile, and is left as they put it.
        const movedMeanwhile: {id: string; trackIds: string[]; atTarget: boolean}[] = [];
        const rowTrack = this.db.prepare('SELECT track_id FROM work_orders WHERE project_id = ? AND id = ?').pluck();
        const links = this.shape === 'newer' ? this.db.prepare('SELECT track_id FROM wo_tracks WHERE project_id = ? AND wo_id = ?').pluck() : null;
        const tracksNow = (id: string): string[] => {
          const linked = links ? (links.all(project, id) as string[]) : [];
          if (linked.length) return linked;
          const single = rowTrack.get(project, id) as string | null | undefined;
          return single ? [single] : [];
        };
        for (const assignment of change.assignments) {
          const ids = Array.isArray(assignment.trackIds) ? assignment.trackIds : [byName.get(normalizeTrackName(assignment.trackIds.name))?.id ?? '?'];
          if (assignment.expected) {
            const now = tracksNow(assignment.id);
            // Someone else's doing, also when it already is what the plan wants: left, and not
            // this run's to undo.
            if (!sameIds(now, assignment.expected)) {
              movedMeanwhile.push({id: assignment.id, trackIds: now, atTarget: sameIds(now, ids)});
              continue;
            }
          }
          setTrack.run(ids[0] ?? null, project, assignment.id);
          if (clearLinks && addLink) {
            clearLinks.run(project, assignment.id);
            for (const id of ids) addLink.run(project, assignment.id, id, now);
          }
        }
        const deleted: string[] = [];
        for (const id of change.deleteIfEmpty) {
          const used = this.db.prepare('SELECT COUNT(*) FROM work_orders WHERE project_id = ? AND track_id = ?').pluck().get(project, id) as number;
          const linked = this.shape === 'newer' ? (this.db.prepare('SELECT COUNT(*) FROM wo_tracks WHERE project_id = ? AND track_id = ?').pluck().get(project, id) as number) : 0;
          // A copy that is another track's parent stays: deleting it would cut that link (PCC sets it to NULL).
          const children = this.trackColumns.has('parent_track_id') ? (this.db.prepare('SELECT COUNT(*) FROM tracks WHERE project_id = ? AND parent_track_id = ?').pluck().get(project, id) as number) : 0;
          if (used + linked + children > 0) continue;
          this.db.prepare('DELETE FROM tracks WHERE project_id = ? AND id = ?').run(project, id);
          deleted.push(id);
        }
        return {created, deleted, movedMeanwhile};
      }).immediate(),
    );
  }

  private insertTrackStatement() {
    const wanted = ['id', 'project_id', 'name', 'description', 'goal', 'color', 'icon', 'sort_order', 'created_at', 'updated_at', 'status'].filter((column) => this.trackColumns.has(column));
    return this.db.prepare(`INSERT INTO tracks (${wanted.join(', ')}) VALUES (${wanted.map((column) => `@${column}`).join(', ')})`);
  }

  private guard<T>(what: 'read' | 'write', work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof PccDatabaseError) throw error;
      if (isBusy(error)) {
        throw new PccDatabaseError(`${this.file} stayed locked for ${BUSY_TIMEOUT_MS / 1000} s (PCC may be busy); the ${what} was rolled back and nothing was changed, try again.`, 'busy');
      }
      throw new PccDatabaseError(`${what === 'write' ? 'Writing' : 'Reading'} ${this.file} failed (${(error as Error).message}); nothing was changed.`, 'io');
    }
  }

  close(): void {
    this.db.close();
  }
}

function checkSqliteHeader(file: string): void {
  let fd: number;
  try {
    if (!statSync(file).isFile()) throw Object.assign(new Error('not a file'), {code: 'EISDIR'});
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PccDatabaseError(code === 'ENOENT' ? `${file} does not exist; pass --pcc-db with the path of PCC's control-center.db.` : `${file} cannot be read (${code}); pass --pcc-db with the path of PCC's control-center.db.`, code === 'ENOENT' ? 'missing' : 'unreadable');
  }
  const header = Buffer.alloc(16);
  let read = 0;
  try {
    read = readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC) {
    throw new PccDatabaseError(`${file} is not a SQLite database; pass --pcc-db with PCC's control-center.db.`, 'not-sqlite');
  }
}

function tableExists(db: BetterSqlite3.Database, table: string): boolean {
  return Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table));
}

function columns(db: BetterSqlite3.Database, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as {name: string}[]).map((column) => column.name));
}

const REQUIRED: Record<string, string[]> = {
  projects: ['id'],
  tracks: ['id', 'project_id', 'name'],
  work_orders: ['id', 'project_id', 'track_id'],
};

function requiredMissing(db: BetterSqlite3.Database): string[] {
  const missing: string[] = [];
  for (const [table, needed] of Object.entries(REQUIRED)) {
    if (!tableExists(db, table)) {
      missing.push(`a \`${table}\` table`);
      continue;
    }
    const have = columns(db, table);
    for (const column of needed) if (!have.has(column)) missing.push(`\`${table}.${column}\``);
  }
  if (tableExists(db, 'wo_tracks')) {
    const have = columns(db, 'wo_tracks');
    for (const column of ['project_id', 'wo_id', 'track_id', 'created_at']) if (!have.has(column)) missing.push(`\`wo_tracks.${column}\``);
  }
  return missing;
}
