import {sameIds} from '../plan/changes.js';
import {sanitizeText} from '../workorders/sanitize.js';
import {PccError} from './pcc-error.js';
import type {TrackRecord} from './validate.js';

/** A WO's tracks as one side lists them. */
export type ListedWorkOrder = {id: string; trackIds: string[]};

const SHOWN = 3;

/** A WO of the API's listing with its tracks as a list (the older API names one). */
export function listedTracks(wo: {id: string; trackId?: string | null; trackIds?: string[]}): ListedWorkOrder {
  return {id: wo.id, trackIds: wo.trackIds ?? (wo.trackId ? [wo.trackId] : [])};
}

/** The first few of a list, and how many more: "a; b; c; and 4 more". */
export function firstFew(items: readonly string[], shown = SHOWN): string {
  return `${items.slice(0, shown).join('; ')}${items.length > shown ? `; and ${items.length - shown} more` : ''}`;
}

/** A PCC's tracks and placements, as its database or its server shows them. */
type PccView = {tracks: readonly TrackRecord[]; workOrders: readonly ListedWorkOrder[]};

/** Refused because the server and the database are not shown to be the same PCC; nothing was changed. */
export class NotTheSamePcc extends Error {}

/**
 * The database's state, once the server (read first: PCC adds a row for a WO file it lists for
 * the first time) shows the same tracks and placements. PCC's users keep working, so a difference
 * gets a second look before it refuses. A server that refuses the connection is stopped: with
 * `allowStopped` the database is read alone, else the error stands. Any other error of the server
 * cannot vouch for the file, so it refuses.
 */
export async function readSamePcc<S extends PccView>(readDatabase: () => S, readServer: () => Promise<PccView>, where: {file: string; api: string; allowStopped: boolean}): Promise<S> {
  let found: string[] | null = null;
  for (let look = 1; ; look++) {
    let view: PccView;
    try {
      view = await readServer();
    } catch (error) {
      // A difference already seen stands: a server that stops between the looks vouches for nothing.
      if (found) throw new NotTheSamePcc(notTheSamePcc(where.file, where.api, found));
      if (error instanceof PccError && error.kind === 'unreachable' && where.allowStopped) return readDatabase();
      // Unreachable while planning, a login refused, a Ctrl-C: said as they are.
      if (error instanceof PccError && (error.kind === 'unreachable' || error.kind === 'auth' || error.kind === 'forbidden' || error.kind === 'aborted')) throw error;
      const advice = where.allowStopped ? 'Run again, or stop the server to use the database alone.' : 'Run again.';
      throw new NotTheSamePcc(`The PCC server at ${sanitizeText(where.api)} did not answer the check that it reads ${where.file} (${sanitizeText(error instanceof Error ? error.message : String(error))}); nothing was changed. ${advice}`);
    }
    const state = readDatabase();
    const differences = serverDatabaseDifferences(state, view);
    if (!differences.length) return state;
    if (look === 2) throw new NotTheSamePcc(notTheSamePcc(where.file, where.api, differences));
    found = differences;
  }
}

/**
 * Where PCC's database and a PCC server disagree about the project's tracks and placements. A
 * PCC server reads its own database, so any difference means the two are not the same PCC's
 * (a copy, another checkout, a stale file): writing there would change a file the server never
 * reads. WOs only one side has are not compared (the server lists only files that parse).
 */
export function serverDatabaseDifferences(database: PccView, server: PccView): string[] {
  const differences: string[] = [];
  const inDatabase = new Set(database.tracks.map((track) => track.id));
  const onServer = new Set(server.tracks.map((track) => track.id));
  for (const track of server.tracks) if (!inDatabase.has(track.id)) differences.push(`track "${sanitizeText(track.name)}" (${sanitizeText(track.id)}) is on the server but not in the database`);
  for (const track of database.tracks) if (!onServer.has(track.id)) differences.push(`track "${sanitizeText(track.name)}" (${sanitizeText(track.id)}) is in the database but not on the server`);
  const rows = new Map(database.workOrders.map((wo) => [wo.id, wo.trackIds]));
  for (const wo of server.workOrders) {
    const row = rows.get(wo.id);
    if (!row) continue;
    // The older API names one track per WO: one of the row's tracks is the same placement.
    const same = wo.trackIds.length === 1 && row.length > 1 ? row.includes(wo.trackIds[0]!) : sameIds(row, wo.trackIds);
    if (!same) differences.push(`${sanitizeText(wo.id)} is on ${wo.trackIds.length ? wo.trackIds.map(sanitizeText).join(', ') : 'no track'} on the server and on ${row.length ? row.map(sanitizeText).join(', ') : 'no track'} in the database`);
  }
  return differences;
}

/** One sentence that refuses to use a database the server does not read. */
export function notTheSamePcc(file: string, api: string, differences: readonly string[]): string {
  return `The PCC server at ${sanitizeText(api)} and the database ${file} show different tracks or placements (${firstFew(differences)}), so the server does not read that file; pass the --pcc-db the server opens (its PCC_DATABASE_PATH or CONTROL_CENTER_DB_PATH, else control-center.db in the folder it was started from). Nothing was changed.`;
}
