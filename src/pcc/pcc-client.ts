import type {HTTPError, KyInstance, TimeoutError} from 'ky';
import {normalizeWorkOrder, type LoadProblem, type WorkOrder} from '../workorders/work-order.js';
import {randomUUID} from 'node:crypto';
import {setMaxListeners} from 'node:events';
import {asResponse, keepAliveFetch, rawRequest, RequestTimedOut, ResponseTooLarge} from './http-transport.js';
import {PccError} from './pcc-error.js';
import {sleep} from '../apply/sleep.js';
import {field, isArray, isRecord, isString, ShapeError, toTrack, type TrackRecord} from './validate.js';

// ky loads on the first request it sends: importing it loads fetch's whole implementation (tens
// of ms), which runs that read only files (a local dry run, a database apply) never need.
type Ky = typeof import('ky');
let kyLoading: Promise<Ky> | null = null;
let kyLoaded: Ky | null = null;
function loadKy(): Promise<Ky> {
  kyLoading ??= import('ky').then((module) => (kyLoaded = module));
  return kyLoading;
}
// Errors of ky's kinds exist only once ky is loaded: before that, nothing is one.
const isHttpError = (error: unknown): error is HTTPError => kyLoaded !== null && error instanceof kyLoaded.HTTPError;
const isTimeoutError = (error: unknown): error is TimeoutError => kyLoaded !== null && error instanceof kyLoaded.TimeoutError;

export const DEFAULT_API = 'http://127.0.0.1:4010';
export const DEFAULT_PROJECT = 'project-control-center';

export type RetryInfo = {method: string; route: string; attempt: number; reason: string};

export type ClientOptions = {
  baseUrl: string;
  project: string;
  /** PCC_TOKEN: sent as a bearer token. */
  token?: string;
  /** PCC_BASIC_AUTH: `user:pass`. */
  basicAuth?: string;
  timeoutMs?: number;
  /** Retries for idempotent calls (GET, PUT). POST is never retried blindly. */
  retries?: number;
  onRetry?: (info: RetryInfo) => void;
  signal?: AbortSignal;
};

export type ProjectSummary = {id: string; name: string; path: string | null};
export type NewTrack = {name: string; description?: string | null; goal?: string | null; color?: string | null; icon?: string | null; sortOrder?: number};

export type PccClient = ReturnType<typeof createPccClient>;

/** What the server can do with a WO's track, found without changing anything. */
export type AssignCapability = 'api' | 'none';

/**
 * A WO id travels as one path segment. "." and ".." are dot segments that URL handling removes
 * (even percent-encoded), and control characters have no place in an id: such an id would reach
 * another route than its own, so it is never sent.
 */
export function unsendableIdReason(id: string): string | null {
  if (!id.trim()) return 'is empty';
  if (/^\.{1,2}$/.test(id.trim())) return `is "${id.trim()}", which URL handling turns into another route`;
  if (/[\u0000-\u001F\u007F-\u009F]/.test(id)) return 'contains control characters';
  return null;
}

function authHeader(options: ClientOptions): Record<string, string> {
  if (options.token) return {authorization: `Bearer ${options.token}`};
  if (options.basicAuth) return {authorization: `Basic ${Buffer.from(options.basicAuth).toString('base64')}`};
  return {};
}

/**
 * How long a 429 or 503 asks the client to wait, read as ky reads it: Retry-After or one of the
 * rate-limit headers, in seconds, as an HTTP date, or as a Unix time when the number is that
 * large; anything unreadable or longer than `max` waits `max`. Null when no header asks.
 */
export function serverWait(headers: Headers, max: number): number | null {
  const value = ['retry-after', 'ratelimit-reset', 'x-ratelimit-retry-after', 'x-ratelimit-reset', 'x-rate-limit-reset'].map((name) => headers.get(name)).find((found) => found);
  if (!value) return null;
  let after = Number(value) * 1000;
  if (Number.isNaN(after)) after = Date.parse(value) - Date.now();
  else if (after >= Date.parse('2024-01-01')) after -= Date.now();
  return after < max ? Math.max(0, after) : max;
}

/** A 2xx body read as JSON; anything else is a ShapeError that says how it starts. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ShapeError(`is not JSON (it starts with "${text.slice(0, 40).replace(/\s+/g, ' ')}")`);
  }
}

function networkCode(error: unknown): string | undefined {
  const cause = (error as {cause?: {code?: string; cause?: {code?: string}}}).cause;
  return cause?.code ?? cause?.cause?.code ?? (error as {code?: string}).code;
}

/** Express's default 404 for a route it does not have: an HTML page, not JSON. */
function isMissingRoute(status: number, contentType: string, body: string): boolean {
  return status === 404 && !contentType.includes('json') && /Cannot (GET|PUT|POST|PATCH|DELETE) /.test(body);
}

export function createPccClient(options: ClientOptions) {
  // Every request in flight listens to the one signal (an apply keeps --concurrency of them).
  if (options.signal) setMaxListeners(0, options.signal);
  const base = options.baseUrl.replace(/\/+$/, '');
  const project = encodeURIComponent(options.project);
  const timeoutMs = options.timeoutMs ?? 10_000;
  // One retry policy for both ways of sending (ky, and the direct PUT below).
  const retry = {
    limit: options.retries ?? 4,
    statusCodes: [408, 429, 500, 502, 503, 504],
    afterStatusCodes: [429, 503],
    maxRetryAfter: 30_000,
    backoffLimit: 5_000,
    /** ky's own schedule: 0.3 s, doubling each attempt. */
    delay: (attempt: number) => 0.3 * 2 ** (attempt - 1) * 1000,
    jitter: (delay: number) => delay * (0.5 + Math.random() * 0.5),
  };
  /** Stopped by the caller: never retried, always explained as stopped. */
  const stoppedBy = (error: unknown) => Boolean(options.signal?.aborted) || (error as Error)?.name === 'AbortError';
  const retryReason = (error: unknown) => (isHttpError(error) ? `HTTP ${error.response.status}` : isTimeoutError(error) ? 'timeout' : networkCode(error) ?? (error as Error).message);
  const headers = {accept: 'application/json', ...authHeader(options)};
  let kyInstance: KyInstance | null = null;
  const kyClient = async () => (kyInstance ??= (await loadKy()).default.create({
    prefixUrl: base,
    timeout: timeoutMs,
    headers,
    signal: options.signal,
    fetch: keepAliveFetch,
    retry: {
      limit: retry.limit,
      methods: ['get', 'put'],
      statusCodes: retry.statusCodes,
      afterStatusCodes: retry.afterStatusCodes,
      maxRetryAfter: retry.maxRetryAfter,
      backoffLimit: retry.backoffLimit,
      delay: retry.delay,
      jitter: retry.jitter,
      retryOnTimeout: true,
      shouldRetry: ({error}) => (stoppedBy(error) ? false : undefined),
    },
    hooks: {
      beforeRetry: [
        ({request, error, retryCount}) => {
          options.onRetry?.({method: request.method, route: new URL(request.url).pathname, attempt: retryCount, reason: retryReason(error)});
        },
      ],
    },
  }));

  /**
   * A PUT sent straight over the keep-alive transport, with the same retry policy, timeout and
   * errors as ky: the apply's thousands of assignments, where ky's per-request objects would cost
   * more than the server takes to answer.
   */
  async function directPut(path: string, body: unknown): Promise<unknown> {
    const url = new URL(`${base}/${path}`);
    // Named as every other call names its route (without a base path of --api).
    const route = `/${path}`;
    const payload = Buffer.from(JSON.stringify(body));
    const sendHeaders = {...headers, 'content-type': 'application/json'};
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        const answer = await rawRequest(url, {method: 'PUT', headers: sendHeaders, body: payload, timeoutMs, signal: options.signal});
        if (answer.status >= 200 && answer.status < 300) return parseJson(answer.body.toString('utf8'));
        // Only a failure builds fetch's objects, so that ky's errors and their explanations apply.
        const {HTTPError} = await loadKy();
        failure = new HTTPError(asResponse(answer, 'PUT'), new Request(url, {method: 'PUT'}), {} as never);
      } catch (error) {
        if (error instanceof ShapeError) throw await explain(error, 'PUT', route);
        const {TimeoutError} = await loadKy();
        failure = error instanceof RequestTimedOut ? new TimeoutError(new Request(url, {method: 'PUT'})) : error;
      }
      const status = isHttpError(failure) ? failure.response.status : null;
      if (stoppedBy(failure) || attempt > retry.limit || (status !== null && !retry.statusCodes.includes(status))) throw await explain(failure, 'PUT', route);
      const asked = isHttpError(failure) && retry.afterStatusCodes.includes(failure.response.status) ? serverWait(failure.response.headers, retry.maxRetryAfter) : null;
      await sleep(asked ?? Math.min(retry.backoffLimit, retry.jitter(retry.delay(attempt))), options.signal);
      if (options.signal?.aborted) throw await explain(failure, 'PUT', route);
      // Counted after the wait, as ky counts it: a retry stopped during the wait never happened.
      options.onRetry?.({method: 'PUT', route, attempt, reason: retryReason(failure)});
    }
  }

  /** Turns any failure into a PccError that names the route and says what to do. */
  async function explain(error: unknown, method: string, route: string): Promise<PccError> {
    const label = `${method} ${route}`;
    if (error instanceof PccError) return error;
    if (stoppedBy(error)) return new PccError('aborted', `${label} was stopped.`, route);
    if (isTimeoutError(error)) {
      return new PccError('timeout', `The PCC server at ${base} did not answer ${label} within ${timeoutMs / 1000} s; check that it is healthy or raise --timeout.`, route);
    }
    if (isHttpError(error)) {
      const status = error.response.status;
      const contentType = error.response.headers.get('content-type') ?? '';
      const body = await error.response.text().catch(() => '');
      let serverMessage = '';
      try {
        const parsed = JSON.parse(body) as unknown;
        if (isRecord(parsed) && typeof parsed.error === 'string') serverMessage = parsed.error;
      } catch {
        // Not JSON: Express's HTML pages and proxies' error pages land here.
      }
      if (status >= 300 && status < 400) {
        const location = error.response.headers.get('location');
        return new PccError('redirect', `${label} was answered with a redirect (${status}${location ? ` to ${location}` : ''}), which is not followed; pass --api with the address the server really answers on.`, route, status);
      }
      if (isMissingRoute(status, contentType, body)) {
        if (method === 'PUT' && route.endsWith('/track')) {
          return new PccError('no-assign-route', `The PCC server at ${base} has no track assignment route (${label} is not a route there, as in every PCC release); apply to its database instead with --pcc-db PATH. Nothing was changed.`, route, status);
        }
        return new PccError('bad-response', `The server at ${base} has no route ${label}; check that --api points at a PCC server.`, route, status);
      }
      if (status === 401) return new PccError('auth', `The PCC server at ${base} asks for credentials (401 on ${label}); set PCC_BASIC_AUTH=user:pass or PCC_TOKEN.`, route, status);
      if (status === 403) return new PccError('forbidden', `The PCC server at ${base} refused ${label} (403); it accepts only loopback requests unless LAN access is allowed, or the credentials lack access.`, route, status);
      if (status === 404 && serverMessage === 'project not found') {
        return new PccError('project-not-found', `Project "${options.project}" was not found on ${base}; pass --project with an id from GET /repos.`, route, status);
      }
      if (status === 404) return new PccError('not-found', `${label} answered 404${serverMessage ? ` (${serverMessage})` : ''}.`, route, status);
      if (status >= 400 && status < 500) return new PccError('bad-request', `${label} was refused with ${status}${serverMessage ? `: ${serverMessage}` : ''}.`, route, status);
      return new PccError('server', `${label} failed with ${status}${serverMessage ? ` (${serverMessage})` : ''} after retries; check the PCC server's log.`, route, status);
    }
    if (error instanceof ResponseTooLarge) {
      return new PccError('too-large', `${label} answered more than 64 MB, which is refused; check that --api points at a PCC server.`, route);
    }
    const code = networkCode(error);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new PccError('unreachable', `Cannot resolve the host of ${base}; check --api or PCC_API_URL.`, route);
    }
    if (code === 'ECONNREFUSED') {
      return new PccError('unreachable', `Cannot reach the PCC server at ${base} (connection refused); start it or pass --api with its address.`, route);
    }
    if (error instanceof ShapeError) {
      return new PccError('bad-response', `${label} answered something that is not PCC's JSON: the body ${error.message}; check that --api points at a PCC server.`, route);
    }
    const cause = (error as {cause?: {message?: string}})?.cause?.message;
    return new PccError('unreachable', `${label} to ${base} failed (${code ?? cause ?? (error as Error)?.message ?? String(error)}); check --api and that the server is running.`, route);
  }

  async function json(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const route = `/${path}`;
    try {
      const http = await kyClient();
      const response = await http(path, {method, ...(body === undefined ? {} : {json: body})});
      return parseJson(await response.text());
    } catch (error) {
      throw await explain(error, method, route);
    }
  }

  /** A body read into its shape; a wrong shape is explained like any other failure of the route. */
  async function shaped<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, result: unknown, read: (body: unknown) => T): Promise<T> {
    try {
      return read(result);
    } catch (error) {
      throw await explain(error, method, `/${path}`);
    }
  }

  async function checked<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, read: (body: unknown) => T, body?: unknown): Promise<T> {
    return shaped(method, path, await json(method, path, body), read);
  }

  return {
    baseUrl: base,
    project: options.project,

    listProjects(): Promise<ProjectSummary[]> {
      return checked('GET', 'repos', (body) => {
        if (!isArray(body)) throw new ShapeError('is not an array of projects');
        return body.filter(isRecord).filter((p) => isString(p.id)).map((p) => ({
          id: p.id as string,
          name: isString(p.name) ? p.name : (p.id as string),
          path: isString(p.path) ? p.path : null,
        }));
      });
    },

    listWorkOrders(): Promise<{workOrders: WorkOrder[]; problems: LoadProblem[]}> {
      const route = `GET /repos/${project}/work-orders`;
      return checked('GET', `repos/${project}/work-orders`, (body) => {
        const list = field(body, 'work_orders', isArray, 'list');
        const workOrders: WorkOrder[] = [];
        const problems: LoadProblem[] = [];
        const seen = new Set<string>();
        for (const raw of list) {
          if (!isRecord(raw)) continue;
          const result = normalizeWorkOrder(raw, route);
          problems.push(...result.problems);
          if (!result.workOrder) continue;
          if (seen.has(result.workOrder.id)) {
            problems.push({file: route, level: 'error', message: `lists ${result.workOrder.id} twice; the second is ignored`});
            continue;
          }
          seen.add(result.workOrder.id);
          workOrders.push(result.workOrder);
        }
        return {workOrders, problems};
      });
    },

    getWorkOrder(id: string): Promise<{markdown: string; workOrder: Record<string, unknown>}> {
      return checked('GET', `repos/${project}/work-orders/${encodeURIComponent(id)}`, (body) => ({
        markdown: field(body, 'markdown', isString, 'text'),
        workOrder: field(body, 'work_order', isRecord, 'object'),
      }));
    },

    listTracks(): Promise<TrackRecord[]> {
      return checked('GET', `repos/${project}/tracks`, (body) => field(body, 'tracks', isArray, 'list').map(toTrack));
    },

    /** Not idempotent: callers must list tracks before trying again after an unknown outcome. */
    createTrack(track: NewTrack): Promise<TrackRecord> {
      const body: Record<string, unknown> = {name: track.name};
      for (const key of ['description', 'goal', 'color', 'icon', 'sortOrder'] as const) {
        if (track[key] !== undefined && track[key] !== null) body[key] = track[key];
      }
      return checked('POST', `repos/${project}/tracks`, (response) => toTrack(field(response, 'track', isRecord, 'object')), body);
    },

    async deleteTrack(trackId: string): Promise<void> {
      await checked('DELETE', `repos/${project}/tracks/${encodeURIComponent(trackId)}`, (body) => {
        if (!isRecord(body) || body.ok !== true) throw new ShapeError('is not {"ok": true}');
      });
    },

    /**
     * Whether the assignment route exists, without changing anything: a PUT for a WO id no
     * project has. A server with the route answers it with JSON (404 "not found"); one without
     * answers Express's HTML "Cannot PUT" page.
     */
    async assignCapability(): Promise<AssignCapability> {
      const probeId = `pcc-track-wizard-probe-${randomUUID()}`;
      try {
        await json('PUT', `repos/${project}/work-orders/${probeId}/track`, {trackId: null});
        return 'api';
      } catch (error) {
        if (!(error instanceof PccError)) throw error;
        if (error.kind === 'no-assign-route') return 'none';
        if (error.kind === 'not-found' || error.kind === 'bad-request') return 'api';
        throw error;
      }
    },

    /** Idempotent: safe to send again. */
    async assignTrack(workOrderId: string, trackId: string | null): Promise<void> {
      const unsafe = unsendableIdReason(workOrderId);
      if (unsafe) throw new PccError('unsafe-id', `The WO id ${JSON.stringify(workOrderId)} ${unsafe}; it is not sent.`, 'PUT /repos/:id/work-orders/:woId/track');
      const path = `repos/${project}/work-orders/${encodeURIComponent(workOrderId)}/track`;
      await shaped('PUT', path, await directPut(path, {trackId}), (body) => {
        if (!isRecord(body) || body.ok !== true) throw new ShapeError('is not {"ok": true}');
      });
    },
  };
}
