import {describe, expect, it} from 'vitest';
import {serverDatabaseDifferences} from '../../src/pcc/same-pcc.js';
import type {TrackRecord} from '../../src/pcc/validate.js';

const track = (id: string, name: string) => ({id, name}) as TrackRecord;

describe('comparing PCC database and server', () => {
  const database = {tracks: [track('a', 'Alpha'), track('b', 'Beta')], workOrders: [{id: 'WO-1', trackIds: ['a', 'b']}, {id: 'WO-2', trackIds: []}, {id: 'WO-3', trackIds: ['b']}]};

  it('the same PCC: an older API naming one of several tracks, and WOs only one side lists, are no difference', () => {
    expect(serverDatabaseDifferences(database, {tracks: database.tracks, workOrders: [{id: 'WO-1', trackIds: ['b']}, {id: 'WO-2', trackIds: []}, {id: 'WO-9', trackIds: ['a']}]})).toEqual([]);
    expect(serverDatabaseDifferences(database, {tracks: database.tracks, workOrders: [{id: 'WO-1', trackIds: ['b', 'a']}]})).toEqual([]);
  });

  it('another file: tracks on one side only and placements that differ are each named', () => {
    const differences = serverDatabaseDifferences(database, {tracks: [track('a', 'Alpha'), track('c', 'Gamma\u001b[2J')], workOrders: [{id: 'WO-1', trackIds: []}, {id: 'WO-3', trackIds: ['a']}]});
    expect(differences).toEqual([
      'track "Gamma" (c) is on the server but not in the database',
      'track "Beta" (b) is in the database but not on the server',
      'WO-1 is on no track on the server and on a, b in the database',
      'WO-3 is on a on the server and on b in the database',
    ]);
  });

  it('a difference seen once stands when the server then stops; one that settles on the second look does not', async () => {
    const {readSamePcc, NotTheSamePcc} = await import('../../src/pcc/same-pcc.js');
    const {PccError} = await import('../../src/pcc/pcc-error.js');
    const where = {file: 'pcc.db', api: 'http://x', allowStopped: true};
    const drifted = {tracks: database.tracks, workOrders: [{id: 'WO-3', trackIds: ['a']}]};
    let calls = 0;
    const stopsAfterOne = async () => {
      if (calls++) throw new PccError('unreachable', 'connection refused', '/tracks');
      return drifted;
    };
    await expect(readSamePcc(() => database, stopsAfterOne, where)).rejects.toThrow(NotTheSamePcc);
    // Stopped from the start: the database alone.
    await expect(readSamePcc(() => database, async () => Promise.reject(new PccError('unreachable', 'connection refused', '/tracks')), where)).resolves.toBe(database);
    // A colleague's change that has landed by the second look.
    let looks = 0;
    await expect(readSamePcc(() => database, async () => (looks++ ? database : drifted), where)).resolves.toBe(database);
  });
});
