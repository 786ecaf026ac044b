import {sanitizeText} from '../workorders/sanitize.js';
import type {TrackRecord} from './validate.js';

/** A WO's tracks as one side lists them. */
export type ListedWorkOrder = {id: string; trackIds: string[]};

const SHOWN = 3;

/** A WO of the API's listing with its tracks as a list (the older API names one). */
export function listedTracks(wo: {id: string; trackId?: string | null; trackIds?: string[]}): ListedWorkOrder {
  return {id: wo.id, trackIds: wo.trackIds ?? (wo.trackId ? [wo.trackId] : [])};
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/**
 * Where PCC's database and a PCC server disagree about the project's tracks and placements. A
 * PCC server reads its own database, so any difference means the two are not the same PCC's
 * (a copy, another checkout, a stale file): writing there would change a file the server never
 * reads. WOs only one side has are not compared (the server lists only files that parse).
 */
export function serverDatabaseDifferences(database: {tracks: readonly TrackRecord[]; workOrders: readonly ListedWorkOrder[]}, server: {tracks: readonly TrackRecord[] | null; workOrders: readonly ListedWorkOrder[]}): string[] {
  const differences: string[] = [];
  if (server.tracks) {
    const inDatabase = new Set(database.tracks.map((track) => track.id));
    const onServer = new Set(server.tracks.map((track) => track.id));
    for (const track of server.tracks) if (!inDatabase.has(track.id)) differences.push(`track "${sanitizeText(track.name)}" (${sanitizeText(track.id)}) is on the server but not in the database`);
    for (const track of database.tracks) if (!onServer.has(track.id)) differences.push(`track "${sanitizeText(track.name)}" (${sanitizeText(track.id)}) is in the database but not on the server`);
  }
  const rows = new Map(database.workOrders.map((wo) => [wo.id, wo.trackIds]));
  for (const wo of server.workOrders) {
    const row = rows.get(wo.id);
    if (!row) continue;
    // The older API names one track per WO: one of the row's tracks is the same placement.
    const same = wo.trackIds.length === 1 && row.length > 1 ? row.includes(wo.trackIds[0]!) : sameSet(row, wo.trackIds);
    if (!same) differences.push(`${sanitizeText(wo.id)} is on ${wo.trackIds.length ? wo.trackIds.map(sanitizeText).join(', ') : 'no track'} on the server and on ${row.length ? row.map(sanitizeText).join(', ') : 'no track'} in the database`);
  }
  return differences;
}

/** One sentence that refuses to use a database the server does not read. */
export function notTheSamePcc(file: string, api: string, differences: readonly string[]): string {
  const shown = differences.slice(0, SHOWN).join('; ');
  const more = differences.length > SHOWN ? `; and ${differences.length - SHOWN} more` : '';
  return `The PCC server at ${sanitizeText(api)} and the database ${file} show different tracks or placements (${shown}${more}), so the server does not read that file; pass the --pcc-db the server opens (its PCC_DATABASE_PATH or CONTROL_CENTER_DB_PATH, else control-center.db in the folder it was started from). Nothing was changed.`;
}
