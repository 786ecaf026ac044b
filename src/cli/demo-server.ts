import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PccServer} from '../server/pcc-server.js';
import {assetPath} from './assets.js';

/** The built-in PCC-compatible server on a free loopback port, with the sample work orders. */
export async function startDemoServer(): Promise<{url: string; workOrdersDir: string; stop: () => Promise<void>}> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pcc-track-wizard-demo-'));
  const workOrdersDir = assetPath('work_orders');
  const server = new PccServer({workOrdersDir, dbFile: path.join(dir, 'pcc.sqlite'), projectName: 'Project Control Center (demo)'});
  const url = await server.start();
  return {
    url,
    workOrdersDir,
    stop: async () => {
      await server.stop();
      rmSync(dir, {recursive: true, force: true});
    },
  };
}
