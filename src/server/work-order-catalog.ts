import {lstatSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {parseWorkOrderFile} from '../workorders/local-loader.js';
import type {WorkOrder} from '../workorders/work-order.js';

type Entry = {mtimeMs: number; size: number; workOrder: WorkOrder | null; data: Record<string, unknown>};

/**
 * The project's work_orders/ folder as PCC serves it: re-read on every listing (unchanged files
 * come from a cache keyed by mtime and size), and files whose front matter is not valid YAML
 * are left out, as PCC does.
 */
export class WorkOrderCatalog {
  private cache = new Map<string, Entry>();
  private byId = new Map<string, {file: string; entry: Entry}>();
  private lastMissScan = 0;

  constructor(readonly dir: string) {}

  /** How many times the folder was read, for tests. */
  scans = 0;
  private lastScan: {at: number; workOrders: WorkOrder[]} | null = null;

  /**
   * The last listing if it is at most `maxAgeMs` old, else a fresh one: track counts are asked
   * for before every POST, and need not stat every file each time.
   */
  recent(maxAgeMs: number): WorkOrder[] {
    if (this.lastScan && Date.now() - this.lastScan.at <= maxAgeMs) return this.lastScan.workOrders;
    return this.scan();
  }

  scan(): WorkOrder[] {
    this.scans++;
    const names = readdirSync(this.dir).filter((name) => name.toLowerCase().endsWith('.md')).sort();
    const next = new Map<string, Entry>();
    const byId = new Map<string, {file: string; entry: Entry}>();
    for (const name of names) {
      const file = path.join(this.dir, name);
      let stat;
      try {
        stat = lstatSync(file);
      } catch {
        continue;
      }
      // A link or a device named *.md (say, to /dev/zero) would hang or escape the folder.
      if (!stat.isFile()) continue;
      let entry = this.cache.get(file);
      if (!entry || entry.mtimeMs !== stat.mtimeMs || entry.size !== stat.size) {
        const text = readFileSync(file, 'utf8');
        const parsed = parseWorkOrderFile(text, file);
        const workOrder = parsed.workOrders[0] ?? null;
        entry = {mtimeMs: stat.mtimeMs, size: stat.size, workOrder: workOrder?.recovered ? null : workOrder, data: parsed.data};
      }
      next.set(file, entry);
      if (entry.workOrder && !byId.has(entry.workOrder.id)) byId.set(entry.workOrder.id, {file, entry});
    }
    this.cache = next;
    this.byId = byId;
    const workOrders = [...byId.values()].map((value) => value.entry.workOrder!);
    this.lastScan = {at: Date.now(), workOrders};
    return workOrders;
  }

  /** Looks a WO up, scanning again when it is not known yet, at most once a second for misses. */
  find(id: string): {workOrder: WorkOrder; data: Record<string, unknown>; file: string} | null {
    let found = this.byId.get(id);
    if (!found && Date.now() - this.lastMissScan >= 1000) {
      this.lastMissScan = Date.now();
      this.scan();
      found = this.byId.get(id);
    }
    return found ? {workOrder: found.entry.workOrder!, data: found.entry.data, file: found.file} : null;
  }

  rawData(id: string): Record<string, unknown> {
    return this.byId.get(id)?.entry.data ?? {};
  }
}
