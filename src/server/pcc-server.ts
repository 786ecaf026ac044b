import {randomUUID} from 'node:crypto';
import {readFileSync} from 'node:fs';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import type {WorkOrder} from '../workorders/work-order.js';
import {openDatabase, type PccDatabase, type TrackRow} from './database.js';
import {timingSafeEqual} from 'node:crypto';
import {FaultPlan, type FaultRule} from './faults.js';
import {WorkOrderCatalog} from './work-order-catalog.js';

export type PccServerOptions = {
  workOrdersDir: string;
  dbFile: string;
  projectId?: string;
  projectName?: string;
  host?: string;
  port?: number;
  /** Answer the track assignment route; false mimics PCC servers that predate it. */
  assignRoute?: boolean;
  /** Accept requests from other hosts than loopback (PCC answers them 403 otherwise). */
  allowLan?: boolean;
  /** Bearer token every request must carry; required when the server listens beyond loopback. */
  token?: string;
};

/** Request bodies larger than this get 413: no PCC request comes near it. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class ServerConfigError extends Error {
  override name = 'ServerConfigError';
}

type Json = Record<string, unknown> | unknown[];

class HttpProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function sendJson(response: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text)});
  response.end(text);
}

// Express's default answers: an HTML page, not JSON.
function sendHtml(response: ServerResponse, status: number, message: string): void {
  const text = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${message.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)}</pre>\n</body>\n</html>\n`;
  response.writeHead(status, {'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(text)});
  response.end(text);
}

function isLoopback(address: string | undefined): boolean {
  return !address || address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export function isLoopbackHost(host: string): boolean {
  return /^(127\.|::1$|\[::1\]$|localhost$)/.test(host);
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, 'request entity too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  // As express.json(): only an application/json body is read, so a page in a browser cannot
  // post to it (a cross-site form can only send text/plain, urlencoded or multipart).
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpProblem(400, `SyntaxError: ${(error as Error).message}`);
  }
}

const TRACK_TEXT_FIELDS = ['description', 'goal', 'color', 'icon'] as const;

/** A server with PCC's routes, statuses and error bodies, over a PCC-shaped SQLite file. */
export class PccServer {
  readonly faults = new FaultPlan();
  /** Every request received (method and path), for tests that prove what a client sent. */
  readonly requests: {method: string; path: string}[] = [];
  readonly projectId: string;
  private server: http.Server | null = null;
  private db: PccDatabase | null = null;
  private sockets = new Set<Socket>();
  private catalog: WorkOrderCatalog;
  private port: number;

  constructor(private readonly options: PccServerOptions) {
    this.projectId = options.projectId ?? 'project-control-center';
    this.catalog = new WorkOrderCatalog(options.workOrdersDir);
    this.port = options.port ?? 0;
  }

  get url(): string {
    const host = this.options.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  get running(): boolean {
    return this.server !== null;
  }

  /** The node:http server, for tests that feed it connections from other addresses. */
  get httpServer(): http.Server | null {
    return this.server;
  }

  async start(): Promise<string> {
    const beyondLoopback = this.options.allowLan || !isLoopbackHost(this.options.host ?? '127.0.0.1');
    if (beyondLoopback && !this.options.token) {
      throw new ServerConfigError(`Listening on ${this.options.host ?? '127.0.0.1'} lets other machines change tracks; pass --token TOKEN (or set PCC_TOKEN) so every request must carry it, or listen on 127.0.0.1.`);
    }
    this.db = openDatabase(this.options.dbFile);
    const summary = this.projectSummary();
    this.db.saveProject(summary.id, summary.path, summary.name);
    const server = http.createServer((request, response) => {
      void this.handle(request, response);
    });
    server.keepAliveTimeout = 5_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this.url;
  }

  /** Stops at once, cutting open connections, as a crash would. The database file stays. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.sockets) socket.destroy();
      await closed;
    }
    this.db?.close();
    this.db = null;
  }

  /** Current assignments straight from the database, for tests. */
  assignments(): Map<string, string | null> {
    return this.requireDb().assignments(this.projectId);
  }

  private requireDb(): PccDatabase {
    if (!this.db) throw new HttpProblem(503, 'server is stopping');
    return this.db;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    this.requests.push({method, path});
    const fault = this.faults.take(method, path);
    try {
      if (!this.options.allowLan && !isLoopback(request.socket.remoteAddress)) {
        sendJson(response, 403, {error: 'forbidden'});
        return;
      }
      if (this.options.token && !bearerMatches(request.headers.authorization, this.options.token)) {
        sendJson(response, 401, {error: 'unauthorized'});
        return;
      }
      if (fault?.kind === 'drop-before') {
        request.socket.destroy();
        return;
      }
      const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(request) : {};
      // The body is in hand: a delayed request is still processed after its client gave up.
      if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault?.kind === 'status') {
        if (fault.retryAfterSeconds !== undefined) response.setHeader('retry-after', String(fault.retryAfterSeconds));
        sendJson(response, fault.status ?? 503, {error: 'injected failure'});
        return;
      }
      const result = this.route(method, path, body, fault);
      if (fault?.kind === 'drop-after') {
        request.socket.destroy();
        return;
      }
      if (!result) {
        sendHtml(response, 404, `Cannot ${method} ${path}`);
        return;
      }
      sendJson(response, result.status, result.body);
    } catch (error) {
      if (error instanceof HttpProblem) {
        if (error.status === 400 && error.message.startsWith('SyntaxError')) sendHtml(response, 400, error.message);
        else if (error.status === 413) {
          response.setHeader('connection', 'close');
          sendJson(response, 413, {error: error.message});
        } else sendJson(response, error.status, {error: error.message});
        return;
      }
      sendJson(response, 500, {error: (error as Error).message});
    }
  }

  private route(method: string, path: string, body: unknown, fault: FaultRule | null): {status: number; body: Json} | null {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'repos') return null;
    if (parts.length === 1) {
      return method === 'GET' ? {status: 200, body: [this.projectSummary()]} : null;
    }
    const [, projectId, collection, itemId, sub] = parts;
    const known = projectId === this.projectId;
    if (collection === 'work-orders') {
      if (parts.length === 3 && method === 'GET') return known ? this.listWorkOrders() : notFoundProject();
      if (parts.length === 4 && method === 'GET') return known ? this.getWorkOrder(itemId) : notFoundProject();
      if (parts.length === 5 && sub === 'track' && method === 'PUT' && this.options.assignRoute !== false) {
        return known ? this.assign(itemId, body) : notFoundProject();
      }
      return null;
    }
    if (collection === 'tracks') {
      if (parts.length === 3 && method === 'GET') return known ? {status: 200, body: {tracks: this.tracksWithCounts()}} : notFoundProject();
      if (parts.length === 3 && method === 'POST') return known ? this.createTrack(body, fault) : notFoundProject();
      if (parts.length === 4 && method === 'GET') return known ? this.getTrack(itemId) : notFoundProject();
      if (parts.length === 4 && method === 'PUT') return known ? this.updateTrack(itemId, body) : notFoundProject();
      if (parts.length === 4 && method === 'DELETE') return known ? this.deleteTrack(itemId) : notFoundProject();
    }
    return null;
  }

  private projectSummary() {
    return {id: this.projectId, name: this.options.projectName ?? this.projectId, path: this.options.workOrdersDir.replace(/\/work_orders\/?$/, '')};
  }

  private serializeWorkOrder(workOrder: WorkOrder, trackId: string | null, tracks: Map<string, TrackRow>) {
    const data = this.catalog.rawData(workOrder.id);
    const track = trackId ? tracks.get(trackId) : undefined;
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
    return {
      id: workOrder.id,
      title: workOrder.title,
      goal: workOrder.goal,
      context: list(data.context),
      acceptance_criteria: list(data.acceptance_criteria),
      non_goals: list(data.non_goals),
      stop_conditions: list(data.stop_conditions),
      priority: workOrder.priority ?? 3,
      tags: workOrder.tags,
      estimate_hours: typeof data.estimate_hours === 'number' ? data.estimate_hours : null,
      status: workOrder.status,
      created_at: workOrder.createdAt ?? '',
      updated_at: workOrder.updatedAt ?? '',
      depends_on: workOrder.dependsOn,
      era: workOrder.era,
      base_branch: typeof data.base_branch === 'string' ? data.base_branch : null,
      ready_check: {ok: true, errors: []},
      trackId: track ? track.id : null,
      track: track ? {id: track.id, name: track.name, color: track.color} : null,
    };
  }

  private trackMap(): Map<string, TrackRow> {
    return new Map(this.requireDb().listTracks(this.projectId).map((row) => [row.id, row]));
  }

  private listWorkOrders() {
    const workOrders = this.catalog.scan();
    this.requireDb().touchWorkOrders(this.projectId, workOrders.map((wo) => wo.id));
    const assignments = this.requireDb().assignments(this.projectId);
    const tracks = this.trackMap();
    return {
      status: 200,
      body: {project: this.projectSummary(), work_orders: workOrders.map((wo) => this.serializeWorkOrder(wo, assignments.get(wo.id) ?? null, tracks))},
    };
  }

  private getWorkOrder(id: string) {
    const found = this.catalog.find(id);
    if (!found) throw new HttpProblem(404, 'work order not found');
    const assignments = this.requireDb().assignments(this.projectId);
    return {
      status: 200,
      body: {
        project: this.projectSummary(),
        work_order: this.serializeWorkOrder(found.workOrder, assignments.get(id) ?? null, this.trackMap()),
        markdown: readFileSync(found.file, 'utf8'),
      },
    };
  }

  private serializeTrack(row: TrackRow, counts?: {total: number; done: number; ready: number}) {
    return {
      id: row.id,
      projectId: row.project_id,
      name: row.name,
      description: row.description,
      goal: row.goal,
      color: row.color,
      icon: row.icon,
      sortOrder: row.sort_order,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(counts && counts.total > 0 ? {workOrderCount: counts.total, doneCount: counts.done, readyCount: counts.ready} : {}),
    };
  }

  private countsByTrack(workOrders: readonly WorkOrder[] = this.catalog.recent(1000)): Map<string, {total: number; done: number; ready: number}> {
    const statusById = new Map(workOrders.map((wo) => [wo.id, wo.status]));
    const counts = new Map<string, {total: number; done: number; ready: number}>();
    for (const [id, trackId] of this.requireDb().assignments(this.projectId)) {
      const status = statusById.get(id);
      if (!trackId || status === undefined) continue;
      const count = counts.get(trackId) ?? {total: 0, done: 0, ready: 0};
      count.total++;
      if (status === 'done') count.done++;
      if (status === 'ready') count.ready++;
      counts.set(trackId, count);
    }
    return counts;
  }

  private tracksWithCounts() {
    const counts = this.countsByTrack();
    return this.requireDb().listTracks(this.projectId).map((row) => this.serializeTrack(row, counts.get(row.id)));
  }

  private readTrackFields(body: unknown, requireName: boolean): Partial<TrackRow> {
    const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const fields: Partial<TrackRow> = {};
    if (requireName || input.name !== undefined) {
      if (typeof input.name !== 'string' || !input.name.trim()) throw new HttpProblem(400, '`name` is required');
      fields.name = input.name.trim();
    }
    for (const key of TRACK_TEXT_FIELDS) {
      if (input[key] === undefined) continue;
      if (input[key] !== null && typeof input[key] !== 'string') throw new HttpProblem(400, `\`${key}\` must be a string`);
      fields[key] = input[key] as string | null;
    }
    if (input.sortOrder !== undefined) {
      if (typeof input.sortOrder !== 'number' || !Number.isFinite(input.sortOrder)) throw new HttpProblem(400, '`sortOrder` must be a finite number');
      fields.sort_order = input.sortOrder;
    }
    return fields;
  }

  // Not idempotent, as in PCC: the same name posted twice makes two tracks.
  private createTrack(body: unknown, fault: FaultRule | null) {
    const db = this.requireDb();
    const fields = this.readTrackFields(body, true);
    const now = new Date().toISOString();
    const row: TrackRow = {
      id: randomUUID(),
      project_id: this.projectId,
      name: fields.name!,
      description: fields.description ?? null,
      goal: fields.goal ?? null,
      color: fields.color ?? null,
      icon: fields.icon ?? null,
      sort_order: fields.sort_order ?? db.nextSortOrder(this.projectId),
      created_at: now,
      updated_at: now,
    };
    db.insertTrack(row);
    // A broken server (or proxy) that answers with another track's id: clients must not trust it.
    if (fault?.kind === 'wrong-id') {
      const other = db.listTracks(this.projectId).find((track) => track.id !== row.id);
      if (other) return {status: 201, body: {track: this.serializeTrack({...row, id: other.id})}};
    }
    return {status: 201, body: {track: this.serializeTrack(row)}};
  }

  private getTrack(id: string) {
    const row = this.requireDb().getTrack(this.projectId, id);
    if (!row) throw new HttpProblem(404, 'track not found');
    const assignments = this.requireDb().assignments(this.projectId);
    const tracks = this.trackMap();
    const all = this.catalog.scan();
    const workOrders = all.filter((wo) => assignments.get(wo.id) === id);
    return {
      status: 200,
      body: {track: this.serializeTrack(row, this.countsByTrack(all).get(id)), workOrders: workOrders.map((wo) => this.serializeWorkOrder(wo, id, tracks))},
    };
  }

  private updateTrack(id: string, body: unknown) {
    const db = this.requireDb();
    if (!db.getTrack(this.projectId, id)) throw new HttpProblem(404, 'track not found');
    const fields = this.readTrackFields(body, false);
    if (!Object.keys(fields).length) throw new HttpProblem(400, 'No valid fields to update');
    db.updateTrack(this.projectId, id, {...fields, updated_at: new Date().toISOString()});
    return {status: 200, body: {track: this.serializeTrack(db.getTrack(this.projectId, id)!)}};
  }

  private deleteTrack(id: string) {
    if (!this.requireDb().deleteTrack(this.projectId, id)) throw new HttpProblem(404, 'track not found');
    return {status: 200, body: {ok: true}};
  }

  private assign(workOrderId: string, body: unknown) {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const trackId = input.trackId;
    if (trackId !== null && typeof trackId !== 'string') throw new HttpProblem(400, '`trackId` must be a string or null');
    if (!this.catalog.find(workOrderId)) throw new HttpProblem(404, 'work order not found');
    const db = this.requireDb();
    if (trackId !== null && !db.getTrack(this.projectId, trackId)) throw new HttpProblem(404, 'track not found');
    db.assign(this.projectId, workOrderId, trackId);
    return {status: 200, body: {ok: true}};
  }
}

function notFoundProject(): never {
  throw new HttpProblem(404, 'project not found');
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
