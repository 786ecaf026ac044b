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

function responseHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}

/** A `fetch` for ky: same contract for what ky uses (Request in, Response out, abort via signal). */
export async function keepAliveFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request && !init ? input : new Request(input, init);
  const url = new URL(request.url);
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!transport) throw new TypeError(`Unsupported protocol ${url.protocol}`);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers['content-length'] = String(body.length);
  const signal = request.signal;
  return new Promise<Response>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const outgoing = transport.request(url, {method: request.method, headers, agent: agents[url.protocol as 'http:' | 'https:']}, (incoming) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const tooLarge = () => {
        signal.removeEventListener('abort', onAbort);
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
        signal.removeEventListener('abort', onAbort);
        const status = incoming.statusCode ?? 502;
        const empty = status === 204 || status === 304 || request.method === 'HEAD';
        resolve(new Response(empty ? null : Buffer.concat(chunks), {status, statusText: incoming.statusMessage, headers: responseHeaders(incoming.headers)}));
      });
    });
    function fail(error: Error) {
      signal.removeEventListener('abort', onAbort);
      // Shaped like fetch's failures, so callers read error.cause.code the same way.
      reject(Object.assign(new TypeError('fetch failed'), {cause: error}));
    }
    function onAbort() {
      outgoing.destroy();
      reject(abortError(signal));
    }
    signal.addEventListener('abort', onAbort, {once: true});
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}
