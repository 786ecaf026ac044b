import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {removeTempDirs} from '../helpers/fixtures.js';
import {startTestServer, type TestServer} from '../helpers/test-server.js';

let pcc: TestServer;
const P = '/repos/project-control-center';

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const response = await fetch(`${pcc.url}${path}`, {
    method,
    headers: body !== undefined || raw !== undefined ? {'content-type': 'application/json'} : {},
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {status: response.status, type, text, json: type.includes('json') ? JSON.parse(text) : null};
}

beforeAll(async () => {
  pcc = await startTestServer();
});
afterAll(async () => {
  await pcc.stop();
  removeTempDirs();
});

describe('the PCC-compatible server', () => {
  it('GET /repos lists the project', async () => {
    const {status, json} = await call('GET', '/repos');
    expect(status).toBe(200);
    expect(json).toEqual([{id: 'project-control-center', name: 'project-control-center', path: expect.any(String)}]);
  });

  it('GET work-orders returns PCC fields and leaves out files with invalid YAML, as PCC does', async () => {
    const {status, json} = await call('GET', `${P}/work-orders`);
    expect(status).toBe(200);
    expect(json.project.id).toBe('project-control-center');
    const ids = json.work_orders.map((wo: {id: string}) => wo.id);
    expect(ids).toHaveLength(116);
    expect(ids).not.toContain('WO-2026-118');
    const wo = json.work_orders.find((candidate: {id: string}) => candidate.id === 'WO-2026-020');
    expect(wo).toMatchObject({id: 'WO-2026-020', title: 'Git Worktree Isolation', status: 'done', tags: ['git', 'worktree', 'runner'], depends_on: ['WO-2025-004'], trackId: null, track: null, ready_check: {ok: true, errors: []}});
    expect(wo.acceptance_criteria).toHaveLength(2);
  });

  it('GET one work order with its markdown; 404s for unknown ids and projects', async () => {
    const one = await call('GET', `${P}/work-orders/WO-2026-115`);
    expect(one.status).toBe(200);
    expect(one.json.work_order.id).toBe('WO-2026-115');
    expect(one.json.markdown).toMatch(/^---\nid: WO-2026-115/);
    expect(await call('GET', `${P}/work-orders/WO-1999-001`)).toMatchObject({status: 404, json: {error: 'work order not found'}});
    expect(await call('GET', '/repos/nope/work-orders')).toMatchObject({status: 404, json: {error: 'project not found'}});
    expect(await call('GET', '/repos/nope/tracks')).toMatchObject({status: 404, json: {error: 'project not found'}});
  });

  it('creates tracks (201), validates fields, and is not idempotent', async () => {
    const created = await call('POST', `${P}/tracks`, {name: 'Economy', goal: 'Costs', color: '#14B8A6', icon: 'dollar', sortOrder: 7});
    expect(created.status).toBe(201);
    expect(created.json.track).toMatchObject({name: 'Economy', goal: 'Costs', color: '#14B8A6', icon: 'dollar', sortOrder: 7, description: null, projectId: 'project-control-center'});
    expect(created.json.track.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.json.track).not.toHaveProperty('workOrderCount');
    expect(await call('POST', `${P}/tracks`, {name: '  '})).toMatchObject({status: 400, json: {error: '`name` is required'}});
    expect(await call('POST', `${P}/tracks`, {})).toMatchObject({status: 400, json: {error: '`name` is required'}});
    expect(await call('POST', `${P}/tracks`, {name: 'X', sortOrder: 'first'})).toMatchObject({status: 400, json: {error: '`sortOrder` must be a finite number'}});
    expect(await call('POST', `${P}/tracks`, {name: 'X', color: 5})).toMatchObject({status: 400, json: {error: '`color` must be a string'}});
    const again = await call('POST', `${P}/tracks`, {name: 'Economy', sortOrder: 7});
    expect(again.status).toBe(201);
    expect(again.json.track.id).not.toBe(created.json.track.id);
    const list = await call('GET', `${P}/tracks`);
    expect(list.json.tracks.filter((track: {name: string}) => track.name === 'Economy')).toHaveLength(2);
    await call('DELETE', `${P}/tracks/${again.json.track.id}`);
  });

  it('assigns a track (idempotent), counts follow, errors are PCC-shaped', async () => {
    const {json: {track}} = await call('POST', `${P}/tracks`, {name: 'Alpha', sortOrder: 1});
    const path = `${P}/work-orders/WO-2026-037/track`;
    expect(await call('PUT', path, {trackId: track.id})).toMatchObject({status: 200, json: {ok: true}});
    expect(await call('PUT', path, {trackId: track.id})).toMatchObject({status: 200, json: {ok: true}});
    const list = await call('GET', `${P}/work-orders`);
    expect(list.json.work_orders.find((wo: {id: string}) => wo.id === 'WO-2026-037')).toMatchObject({trackId: track.id, track: {id: track.id, name: 'Alpha', color: null}});
    const tracks = await call('GET', `${P}/tracks`);
    expect(tracks.json.tracks[0]).toMatchObject({name: 'Alpha', workOrderCount: 1, doneCount: 1, readyCount: 0});
    const one = await call('GET', `${P}/tracks/${track.id}`);
    expect(one.json.workOrders.map((wo: {id: string}) => wo.id)).toEqual(['WO-2026-037']);
    expect(await call('PUT', path, {trackId: 'nope'})).toMatchObject({status: 404, json: {error: 'track not found'}});
    expect(await call('PUT', path, {trackId: 5})).toMatchObject({status: 400, json: {error: '`trackId` must be a string or null'}});
    expect(await call('PUT', `${P}/work-orders/WO-1999-001/track`, {trackId: null})).toMatchObject({status: 404, json: {error: 'work order not found'}});
    expect(await call('PUT', '/repos/nope/work-orders/WO-2026-037/track', {trackId: null})).toMatchObject({status: 404, json: {error: 'project not found'}});
    // Deleting the track puts its WOs back to no track.
    expect(await call('DELETE', `${P}/tracks/${track.id}`)).toMatchObject({status: 200, json: {ok: true}});
    const after = await call('GET', `${P}/work-orders`);
    expect(after.json.work_orders.find((wo: {id: string}) => wo.id === 'WO-2026-037').trackId).toBeNull();
    expect(await call('DELETE', `${P}/tracks/${track.id}`)).toMatchObject({status: 404, json: {error: 'track not found'}});
  });

  it('updates tracks and rejects empty updates', async () => {
    const {json: {track}} = await call('POST', `${P}/tracks`, {name: 'Beta'});
    const updated = await call('PUT', `${P}/tracks/${track.id}`, {goal: 'New goal'});
    expect(updated).toMatchObject({status: 200, json: {track: {name: 'Beta', goal: 'New goal'}}});
    expect(await call('PUT', `${P}/tracks/${track.id}`, {})).toMatchObject({status: 400, json: {error: 'No valid fields to update'}});
    expect(await call('GET', `${P}/tracks/unknown`)).toMatchObject({status: 404, json: {error: 'track not found'}});
    await call('DELETE', `${P}/tracks/${track.id}`);
  });

  it('answers unknown routes and malformed JSON with Express-style HTML', async () => {
    const missing = await call('PATCH', `${P}/work-orders/WO-2026-037`, {});
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('text/html');
    expect(missing.text).toContain(`<pre>Cannot PATCH ${P}/work-orders/WO-2026-037</pre>`);
    const bad = await call('POST', `${P}/tracks`, undefined, '{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('text/html');
  });

  it('keeps its data across a stop and a start on the same database', async () => {
    const {json: {track}} = await call('POST', `${P}/tracks`, {name: 'Durable'});
    await call('PUT', `${P}/work-orders/WO-2026-001/track`, {trackId: track.id});
    const url = pcc.url;
    await pcc.server.stop();
    await expect(fetch(`${url}/repos`)).rejects.toThrow();
    await pcc.server.start();
    expect(pcc.url).toBe(url);
    const tracks = await call('GET', `${P}/tracks`);
    expect(tracks.json.tracks.find((candidate: {id: string}) => candidate.id === track.id)).toMatchObject({name: 'Durable', workOrderCount: 1});
  });

  it('misbehaves on request: status bursts with Retry-After, delays, dropped connections', async () => {
    pcc.server.faults.failNext('GET', /\/tracks$/, 2, 503, 1);
    const first = await fetch(`${pcc.url}${P}/tracks`);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${pcc.url}${P}/tracks`)).status).toBe(503);
    expect((await fetch(`${pcc.url}${P}/tracks`)).status).toBe(200);
    pcc.server.faults.dropAfterWork('POST', /\/tracks$/);
    await expect(call('POST', `${P}/tracks`, {name: 'Dropped'})).rejects.toThrow();
    const tracks = await call('GET', `${P}/tracks`);
    expect(tracks.json.tracks.filter((track: {name: string}) => track.name === 'Dropped')).toHaveLength(1);
    pcc.server.faults.delay('GET', /^\/repos$/, 300);
    const started = Date.now();
    await call('GET', '/repos');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('can run without the assignment route, like older PCC servers', async () => {
    const old = await startTestServer({assignRoute: false});
    const response = await fetch(`${old.url}${P}/work-orders/WO-2026-001/track`, {method: 'PUT', headers: {'content-type': 'application/json'}, body: '{"trackId":null}'});
    expect(response.status).toBe(404);
    expect(await response.text()).toContain(`Cannot PUT ${P}/work-orders/WO-2026-001/track`);
    await old.stop();
  });
});

describe('the built-in server holds up', () => {
  it('answers 413 to a body over 1 MB, and reads JSON only with an application/json type', async () => {
    const big = await fetch(`${pcc.url}${P}/tracks`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({name: 'x'.repeat(1024 * 1024 + 10)})});
    expect(big.status).toBe(413);
    const before = (await call('GET', `${P}/tracks`)).json.tracks.length;
    // What a page in a browser can send across sites: text/plain. It is not read as JSON.
    const plain = await fetch(`${pcc.url}${P}/tracks`, {method: 'POST', headers: {'content-type': 'text/plain'}, body: '{"name":"Sneaky"}'});
    expect(plain.status).toBe(400);
    const jsonish = await fetch(`${pcc.url}${P}/tracks`, {method: 'POST', headers: {'content-type': 'text/plain; charset=json'}, body: '{"name":"Sneaky"}'});
    expect(jsonish.status).toBe(400);
    expect((await call('GET', `${P}/tracks`)).json.tracks.length).toBe(before);
  });

  it('answers requests from other hosts 403 unless LAN access is allowed', async () => {
    const {Duplex} = await import('node:stream');
    const fromLan = (server: NonNullable<TestServer['server']['httpServer']>) =>
      new Promise<string>((resolve) => {
        let answer = '';
        const socket = new Duplex({
          read() {},
          write(chunk, _encoding, done) {
            answer += chunk.toString();
            if (answer.includes('\r\n\r\n')) resolve(answer);
            done();
          },
        });
        Object.defineProperty(socket, 'remoteAddress', {value: '192.168.7.20'});
        server.emit('connection', socket);
        socket.push(`GET ${P}/tracks HTTP/1.1\r\nHost: pcc\r\n\r\n`);
      });
    expect(await fromLan(pcc.server.httpServer!)).toMatch(/^HTTP\/1\.1 403/);
    const lan = await startTestServer({allowLan: true, token: 't0ken'});
    expect(await fromLan(lan.server.httpServer!)).toMatch(/^HTTP\/1\.1 401/);
    await lan.stop();
  });

  it('beyond loopback it refuses to start without a token, and then checks it on every request', async () => {
    await expect(startTestServer({host: '0.0.0.0'})).rejects.toThrow(/^Listening on 0\.0\.0\.0 lets other machines change tracks; pass --token TOKEN/);
    const guarded = await startTestServer({allowLan: true, token: 's3cret'});
    expect((await fetch(`${guarded.url}${P}/tracks`)).status).toBe(401);
    expect((await fetch(`${guarded.url}${P}/tracks`, {headers: {authorization: 'Bearer wrong!'}})).status).toBe(401);
    expect((await fetch(`${guarded.url}${P}/tracks`, {headers: {authorization: 'Bearer s3cret'}})).status).toBe(200);
    await guarded.stop();
  });

  it('skips links and anything that is not a regular file; misses rescan at most once a second', async () => {
    const {symlinkSync, mkdirSync} = await import('node:fs');
    const {writeWorkOrders, workOrderFile} = await import('../helpers/fixtures.js');
    const dir = writeWorkOrders({'WO-2026-001.md': workOrderFile('WO-2026-001')});
    symlinkSync('/dev/zero', `${dir}/zero.md`);
    symlinkSync(`${dir}/WO-2026-001.md`, `${dir}/link.md`);
    mkdirSync(`${dir}/folder.md`);
    const small = await startTestServer({workOrdersDir: dir});
    const listed = await fetch(`${small.url}${P}/work-orders`).then((response) => response.json() as Promise<{work_orders: {id: string}[]}>);
    expect(listed.work_orders.map((wo) => wo.id)).toEqual(['WO-2026-001']);
    const catalog = (small.server as unknown as {catalog: {scans: number}}).catalog;
    const scans = catalog.scans;
    for (let i = 0; i < 20; i++) await fetch(`${small.url}${P}/work-orders/WO-1999-${i}/track`, {method: 'PUT', headers: {'content-type': 'application/json'}, body: '{"trackId":null}'});
    expect(catalog.scans - scans).toBeLessThanOrEqual(2);
    await small.stop();
  });
});
