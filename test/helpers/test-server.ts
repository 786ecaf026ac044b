import path from 'node:path';
import {PccServer, type PccServerOptions} from '../../src/server/pcc-server.js';
import {copySampleWorkOrders, tempDir} from './fixtures.js';

export type TestServer = {server: PccServer; url: string; workOrdersDir: string; dbFile: string; stop: () => Promise<void>};

/** The project's own server on a free loopback port, over a fresh SQLite file. */
export async function startTestServer(options: Partial<PccServerOptions> = {}): Promise<TestServer> {
  const workOrdersDir = options.workOrdersDir ?? copySampleWorkOrders();
  const dbFile = options.dbFile ?? path.join(tempDir(), 'pcc.sqlite');
  const server = new PccServer({...options, workOrdersDir, dbFile});
  const url = await server.start();
  return {server, url, workOrdersDir, dbFile, stop: () => server.stop()};
}

/** Servers started by one test file, all stopped after each test. */
export function serverPool() {
  const started: TestServer[] = [];
  return {
    async start(options: Partial<PccServerOptions> = {}): Promise<TestServer> {
      const server = await startTestServer(options);
      started.push(server);
      return server;
    },
    async stopAll(): Promise<void> {
      for (const server of started.splice(0)) await server.stop();
    },
  };
}
