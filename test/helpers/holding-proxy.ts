import http from 'node:http';
import type {AddressInfo} from 'node:net';

/**
 * A proxy in front of a server that holds every request of one method for a while before
 * passing it on, and passes it on even when the client has given up: a slow server as a user
 * meets it.
 */
export async function holdingProxy(target: string, method: string, holdMs: number): Promise<{url: string; close: () => Promise<void>}> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const forward = () => {
        const upstream = http.request(new URL(request.url ?? '/', target), {method: request.method, headers: {...request.headers, host: new URL(target).host}}, (answer) => {
          response.on('error', () => {});
          if (response.destroyed) {
            answer.resume();
            return;
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        });
        upstream.on('error', () => response.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      if (request.method === method) setTimeout(forward, holdMs);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
