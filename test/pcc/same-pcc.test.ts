import {describe, expect, it} from 'vitest';
import {serverDatabaseDifferences} from '../../src/pcc/same-pcc.js';
import type {TrackRecord} from '../../src/pcc/validate.js';

const track = (id: string, name: string) => ({id, name}) as TrackRecord;

describe('comparing PCC database and server', () => {
  const database = {tracks: [track('a', 'Alpha'), track('b', 'Beta')], workOrders: [{id: 'WO-1', trackIds: ['a', 'b']}, {id: 'WO-2', trackIds: []}, {id: 'WO-3', trackIds: ['b']}]};

  it('the same PCC: an older API naming one of several tracks, and WOs only one side lists, are no difference', () => {
    expect(serverDatabaseDifferences(database, {tracks: database.tracks, workOrders: [{id: 'WO-1', trackIds: ['b']}, {id: 'WO-2', trackIds: []}, {id: 'WO-9', trackIds: ['a']}]})).toEqual([]);
    expect(serverDatabaseDifferences(database, {tracks: null, workOrders: [{id: 'WO-1', trackIds: ['b', 'a']}]})).toEqual([]);
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
});
