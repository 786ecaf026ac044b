import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createPccClient, serverWait, type ClientOptions, type RetryInfo} from '../../src/pcc/pcc-client.js';
import {PccError} from '../../src/pcc/pcc-error.js';
import {removeTempDirs} from '../helpers/fixtures.js';
import {startTestServer, type TestServer} from '../helpers/test-server.js';

let pcc: TestServer;
const client = (options: Partial<ClientOptions> = {}) => createPccClient({baseUrl: pcc.url, project: 'project-control-center', retries: 0, timeoutMs: 2000, ...options});

async function failure(promise: Promise<unknown>): Promise<PccError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PccError);
  return error as PccError;
}

/** A real HTTP server that answers every request with a fixed body. */
async function fixedServer(status: number, contentType: string, body: string): Promise<{url: string; close: () => Promise<void>; requests: http.IncomingHttpHeaders[]}> {
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.headers);
    response.writeHead(status, {'content-type': contentType});
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())), requests};
}

beforeAll(async () => {
  pcc = await startTestServer();
});
afterAll(async () => {
  await pcc.stop();
  removeTempDirs();
});

describe('the PCC client against the real server', () => {
  it('lists projects, work orders and tracks, creates and assigns', async () => {
    const pccClient = client();
    expect(await pccClient.listProjects()).toEqual([expect.objectContaining({id: 'project-control-center'})]);
    const {workOrders, problems} = await pccClient.listWorkOrders();
    expect(workOrders).toHaveLength(116);
    expect(problems.map((problem) => problem.message)).toEqual(['WO-2026-096 has status "archived", which PCC does not list; it is kept as is']);
    const track = await pccClient.createTrack({name: 'Economy', color: '#14B8A6', goal: null, sortOrder: 7});
    expect(track).toMatchObject({name: 'Economy', color: '#14B8A6', sortOrder: 7});
    await pccClient.assignTrack('WO-2026-037', track.id);
    expect((await pccClient.listTracks()).find((candidate) => candidate.id === track.id)?.workOrderCount).toBe(1);
    const {markdown} = await pccClient.getWorkOrder('WO-2026-115');
    expect(markdown).toContain('## Track Definitions to Create');
  });

  it('retries idempotent calls on 5xx, honouring Retry-After, and reports each retry', async () => {
    const retries: RetryInfo[] = [];
    pcc.server.faults.failNext('GET', /\/tracks$/, 2, 500);
    pcc.server.faults.failNext('GET', /\/tracks$/, 1, 503, 1);
    const started = Date.now();
    await client({retries: 4, onRetry: (info) => retries.push(info)}).listTracks();
    expect(retries.map((retry) => retry.reason)).toEqual(['HTTP 500', 'HTTP 500', 'HTTP 503']);
    expect(retries[0]).toMatchObject({method: 'GET', route: '/repos/project-control-center/tracks', attempt: 1});
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('never retries a POST', async () => {
    pcc.server.faults.failNext('POST', /\/tracks$/, 1, 503);
    const error = await failure(client({retries: 4}).createTrack({name: 'Once'}));
    expect(error.kind).toBe('server');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toBe('POST /repos/project-control-center/tracks failed with 503 (injected failure) after retries; check the PCC server\'s log.');
  });

  it('says what to do for each failure', async () => {
    const stopped = await startTestServer();
    const closedUrl = stopped.url;
    await stopped.stop();
    expect((await failure(createPccClient({baseUrl: closedUrl, project: 'x', retries: 0}).listTracks())).message).toBe(`Cannot reach the PCC server at ${closedUrl} (connection refused); start it or pass --api with its address.`);

    pcc.server.faults.delay('GET', /\/tracks$/, 1500);
    const timeout = await failure(client({timeoutMs: 300}).listTracks());
    expect(timeout.kind).toBe('timeout');
    expect(timeout.message).toBe(`The PCC server at ${pcc.url} did not answer GET /repos/project-control-center/tracks within 0.3 s; check that it is healthy or raise --timeout.`);

    pcc.server.faults.failNext('GET', /\/tracks$/, 1, 401);
    expect((await failure(client().listTracks())).message).toBe(`The PCC server at ${pcc.url} asks for credentials (401 on GET /repos/project-control-center/tracks); set PCC_BASIC_AUTH=user:pass or PCC_TOKEN.`);
    pcc.server.faults.failNext('GET', /\/tracks$/, 1, 403);
    expect((await failure(client().listTracks())).kind).toBe('forbidden');

    const dns = await failure(createPccClient({baseUrl: 'http://pcc.invalid:4010', project: 'x', retries: 0}).listTracks());
    expect(dns.message).toBe('Cannot resolve the host of http://pcc.invalid:4010; check --api or PCC_API_URL.');

    const unknown = await failure(client({project: 'nope'}).listWorkOrders());
    expect(unknown.message).toBe(`Project "nope" was not found on ${pcc.url}; pass --project with an id from GET /repos.`);

    const wrongBase = await failure(createPccClient({baseUrl: `${pcc.url}/api`, project: 'project-control-center', retries: 0}).listTracks());
    expect(wrongBase.message).toBe(`The server at ${pcc.url}/api has no route GET /repos/project-control-center/tracks; check that --api points at a PCC server.`);
  });

  it('validates bodies: HTML and wrong shapes name the route', async () => {
    const html = await fixedServer(200, 'text/html', '<html>proxy login</html>');
    const htmlError = await failure(createPccClient({baseUrl: html.url, project: 'p', retries: 0}).listTracks());
    expect(htmlError.message).toBe('GET /repos/p/tracks answered something that is not PCC\'s JSON: the body is not JSON (it starts with "<html>proxy login</html>"); check that --api points at a PCC server.');
    await html.close();
    const shape = await fixedServer(200, 'application/json', '{"items": []}');
    const shapeError = await failure(createPccClient({baseUrl: shape.url, project: 'p', retries: 0}).listWorkOrders());
    expect(shapeError.message).toBe('GET /repos/p/work-orders answered something that is not PCC\'s JSON: the body has no `work_orders` list; check that --api points at a PCC server.');
    await shape.close();
  });

  it('sends credentials from PCC_TOKEN or PCC_BASIC_AUTH', async () => {
    const echo = await fixedServer(200, 'application/json', '[]');
    await createPccClient({baseUrl: echo.url, project: 'p', token: 'sekret'}).listProjects();
    await createPccClient({baseUrl: echo.url, project: 'p', basicAuth: 'ann:pw'}).listProjects();
    expect(echo.requests.map((headers) => headers.authorization)).toEqual(['Bearer sekret', `Basic ${Buffer.from('ann:pw').toString('base64')}`]);
    await echo.close();
  });

  it('recognises a server without the assignment route', async () => {
    const old = await startTestServer({assignRoute: false});
    const error = await failure(createPccClient({baseUrl: old.url, project: 'project-control-center', retries: 0}).assignTrack('WO-2026-001', null));
    expect(error.kind).toBe('no-assign-route');
    expect(error.message).toBe(`The PCC server at ${old.url} has no track assignment route (PUT /repos/project-control-center/work-orders/WO-2026-001/track is not a route there, as in every PCC release); apply to its database instead with --pcc-db PATH. Nothing was changed.`);
    await old.stop();
  });
});

describe('the assignment PUT, sent without ky, keeps the retry policy and messages of every other call', () => {
  const route = '/repos/project-control-center/work-orders/WO-2026-037/track';

  it('retries 5xx honouring Retry-After, reports each retry, and lands', async () => {
    const retries: RetryInfo[] = [];
    const track = await client().createTrack({name: 'Direct'});
    pcc.server.faults.failNext('PUT', /WO-2026-037\/track$/, 2, 500);
    pcc.server.faults.failNext('PUT', /WO-2026-037\/track$/, 1, 503, 2);
    const started = Date.now();
    await client({retries: 4, onRetry: (info) => retries.push(info)}).assignTrack('WO-2026-037', track.id);
    expect(retries).toEqual([1, 2, 3].map((attempt, index) => ({method: 'PUT', route, attempt, reason: index < 2 ? 'HTTP 500' : 'HTTP 503'})));
    // Backoff alone waits at most 0.3 + 0.6 + 1.2 s; the 2 s the server asked for makes it at least 2.45 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2300);
    const {workOrders} = await client().listWorkOrders();
    expect(workOrders.find((wo) => wo.id === 'WO-2026-037')?.trackId).toBe(track.id);
  });

  it('gives up after the retry limit, times out per attempt, and is stopped by the signal', async () => {
    pcc.server.faults.failNext('PUT', /WO-2026-037\/track$/, 3, 500);
    const failed = await failure(client({retries: 2}).assignTrack('WO-2026-037', null));
    expect(failed.message).toBe(`PUT ${route} failed with 500 (injected failure) after retries; check the PCC server's log.`);

    pcc.server.faults.delay('PUT', /WO-2026-037\/track$/, 1500);
    const timeout = await failure(client({timeoutMs: 300}).assignTrack('WO-2026-037', null));
    expect(timeout).toMatchObject({kind: 'timeout', message: `The PCC server at ${pcc.url} did not answer PUT ${route} within 0.3 s; check that it is healthy or raise --timeout.`});

    const controller = new AbortController();
    pcc.server.faults.failNext('PUT', /WO-2026-037\/track$/, 5, 503, 5);
    const stopping = client({retries: 4, signal: controller.signal}).assignTrack('WO-2026-037', null);
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    expect((await failure(stopping)).kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(2000);
    pcc.server.faults.clear();
  });

  it('reads how long a server asks to wait as ky does', () => {
    const wait = (entries: Record<string, string>) => serverWait(new Headers(entries), 30_000);
    expect(wait({})).toBeNull();
    expect(wait({'retry-after': '2'})).toBe(2000);
    expect(wait({'retry-after': 'soon'})).toBe(30_000);
    expect(wait({'retry-after': '-5'})).toBe(0);
    expect(wait({'retry-after': '99999'})).toBe(30_000);
    expect(wait({'ratelimit-reset': '1'})).toBe(1000);
    const inTwoSeconds = wait({'retry-after': String(Math.floor(Date.now() / 1000) + 3)})!;
    expect(inTwoSeconds).toBeGreaterThan(1000);
    expect(inTwoSeconds).toBeLessThanOrEqual(3000);
    const dated = wait({'retry-after': new Date(Date.now() + 5000).toUTCString()})!;
    expect(dated).toBeGreaterThan(3000);
    expect(dated).toBeLessThanOrEqual(5000);
  });

  it('many assignments in flight on one signal raise no listener warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const pccClient = client({signal: new AbortController().signal});
    await Promise.all(Array.from({length: 16}, () => pccClient.assignTrack('WO-2026-037', null)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('warning', onWarning);
    expect(warnings).toEqual([]);
  });

  it('a refused connection, a redirect, an HTML page and a wrong body each say what they are', async () => {
    const stopped = await startTestServer();
    await stopped.stop();
    expect((await failure(createPccClient({baseUrl: stopped.url, project: 'p', retries: 0}).assignTrack('WO-1', null))).message).toBe(`Cannot reach the PCC server at ${stopped.url} (connection refused); start it or pass --api with its address.`);
    const moved = await fixedServer(302, 'text/plain', '');
    expect((await failure(createPccClient({baseUrl: moved.url, project: 'p'}).assignTrack('WO-1', null))).kind).toBe('redirect');
    expect(moved.requests).toHaveLength(1);
    await moved.close();
    const html = await fixedServer(200, 'text/html', '<html>proxy login</html>');
    expect((await failure(createPccClient({baseUrl: html.url, project: 'p', retries: 0}).assignTrack('WO-1', null))).message).toBe('PUT /repos/p/work-orders/WO-1/track answered something that is not PCC\'s JSON: the body is not JSON (it starts with "<html>proxy login</html>"); check that --api points at a PCC server.');
    await html.close();
    const notOk = await fixedServer(200, 'application/json', '{"ok": false}');
    expect((await failure(createPccClient({baseUrl: notOk.url, project: 'p', retries: 0, token: 'sekret'}).assignTrack('WO-1', null))).message).toBe('PUT /repos/p/work-orders/WO-1/track answered something that is not PCC\'s JSON: the body is not {"ok": true}; check that --api points at a PCC server.');
    expect(notOk.requests[0]).toMatchObject({authorization: 'Bearer sekret', 'content-type': 'application/json', accept: 'application/json'});
    await notOk.close();
  });
});

describe('answers a client must not take at face value', () => {
  it('a redirect is reported as a redirect, not followed and not retried', async () => {
    const moved = await fixedServer(302, 'text/plain', '');
    const error = await failure(createPccClient({baseUrl: moved.url, project: 'p'}).listTracks());
    expect(error.kind).toBe('redirect');
    expect(error.message).toBe('GET /repos/p/tracks was answered with a redirect (302), which is not followed; pass --api with the address the server really answers on.');
    expect(moved.requests).toHaveLength(1);
    await moved.close();
  });

  it('an answer over 64 MB is refused', async () => {
    const huge = http.createServer((_request, response) => {
      response.writeHead(200, {'content-type': 'application/json'});
      const chunk = Buffer.alloc(1024 * 1024, 32);
      let sent = 0;
      const pump = () => {
        while (sent < 70 && response.write(chunk)) sent++;
        if (sent < 70) response.once('drain', pump);
        else response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => huge.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(huge.address() as AddressInfo).port}`;
    const error = await failure(createPccClient({baseUrl: url, project: 'p', retries: 0}).listTracks());
    expect(error).toMatchObject({kind: 'too-large', message: 'GET /repos/p/tracks answered more than 64 MB, which is refused; check that --api points at a PCC server.'});
    huge.closeAllConnections();
    await new Promise((resolve) => huge.close(resolve));
  });

  it('finds out whether the assignment route exists without changing anything', async () => {
    const old = await startTestServer({assignRoute: false});
    const earlier = pcc.server.requests.length;
    expect(await createPccClient({baseUrl: old.url, project: 'project-control-center'}).assignCapability()).toBe('none');
    expect(await createPccClient({baseUrl: pcc.url, project: 'project-control-center'}).assignCapability()).toBe('api');
    const puts = [...old.server.requests, ...pcc.server.requests.slice(earlier)].filter((request) => request.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts.every((request) => /\/work-orders\/pcc-track-wizard-probe-[0-9a-f-]{36}\/track$/.test(request.path))).toBe(true);
    await old.stop();
  });
});
