import http from 'node:http';
import https from 'node:https';

// ky sends every request through this `fetch`: node:http with keep-alive sockets. On loopback,
// undici's fetch costs more per request than the PCC server takes to answer, so the transport
// below is what keeps ky within reach of a bare fetch loop at thousands of requests.

const agents = {
  'http:': new http.Agent({keepAlive: true, maxSockets: 64}),
  'https:': new https.Agent({keepAlive: true, maxSockets: 64}),
};

/** Answers larger than this are refused: no PCC answer comes near it, and memory stays bounded. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class ResponseTooLarge extends Error {
  constructor(readonly url: string) {
    super(`the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB`);
    this.name = 'ResponseTooLarge';
  }
}

/** An answer as node:http gives it: status, raw headers and the whole body. */
export type RawAnswer = {status: number; statusText: string; headers: http.IncomingHttpHeaders; body: Buffer};

/** No answer within the time allowed for one attempt. */
export class RequestTimedOut extends Error {
  constructor(readonly url: string) {
    super(`no answer from ${url} in time`);
    this.name = 'RequestTimedOut';
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}

/**
 * One request over a keep-alive socket, without fetch's Request, Response and stream objects: an
 * apply sends thousands of PUTs, and on loopback those objects cost more than the server takes
 * to answer. Failures are shaped like fetch's (a TypeError whose cause is the socket's error),
 * abort rejects with the signal's reason, and `timeoutMs` bounds the whole exchange.
 */
export function rawRequest(url: URL, init: {method: string; headers: Record<string, string>; body?: Buffer; timeoutMs?: number; signal?: AbortSignal}): Promise<RawAnswer> {
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!transport) return Promise.reject(new TypeError(`Unsupported protocol ${url.protocol}`));
  const {signal, body} = init;
  const headers = body ? {...init.headers, 'content-length': String(body.length)} : init.headers;
  return new Promise<RawAnswer>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const settle = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const outgoing = transport.request(url, {method: init.method, headers, agent: agents[url.protocol as 'http:' | 'https:']}, (incoming) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const tooLarge = () => {
        settle();
        incoming.destroy();
        reject(new ResponseTooLarge(url.href));
      };
      if (Number(incoming.headers['content-length'] ?? 0) > MAX_RESPONSE_BYTES) {
        tooLarge();
        return;
      }
      incoming.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) tooLarge();
        else chunks.push(chunk);
      });
      incoming.on('error', fail);
      incoming.on('end', () => {
        if (received > MAX_RESPONSE_BYTES) return;
        settle();
        resolve({status: incoming.statusCode ?? 502, statusText: incoming.statusMessage ?? '', headers: incoming.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)});
      });
    });
    function fail(error: Error) {
      settle();
      // Shaped like fetch's failures, so callers read error.cause.code the same way.
      reject(Object.assign(new TypeError('fetch failed'), {cause: error}));
    }
    function onAbort() {
      settle();
      outgoing.destroy();
      reject(abortError(signal!));
    }
    signal?.addEventListener('abort', onAbort, {once: true});
    if (init.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        settle();
        outgoing.destroy();
        reject(new RequestTimedOut(url.href));
      }, init.timeoutMs);
    }
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

function responseHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

/** An answer as fetch's Response. */
export function asResponse(answer: RawAnswer, method: string): Response {
  const empty = answer.status === 204 || answer.status === 304 || method === 'HEAD';
  return new Response(empty ? null : answer.body, {status: answer.status, statusText: answer.statusText, headers: responseHeaders(answer.headers)});
}

/** A `fetch` for ky: same contract for what ky uses (Request in, Response out, abort via signal). */
export async function keepAliveFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request && !init ? input : new Request(input, init);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const answer = await rawRequest(new URL(request.url), {method: request.method, headers, body, signal: request.signal});
  return asResponse(answer, request.method);
}
