// Response bodies are checked before use: a proxy's HTML page or another API's JSON must give a
// clear error that names the route, not a crash deep inside the wizard.

export class ShapeError extends Error {}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field<T>(body: unknown, key: string, check: (value: unknown) => value is T, what: string): T {
  if (!isRecord(body) || !check(body[key])) throw new ShapeError(`has no \`${key}\` ${what}`);
  return body[key] as T;
}

export const isArray = (value: unknown): value is unknown[] => Array.isArray(value);
export const isString = (value: unknown): value is string => typeof value === 'string';

export type TrackRecord = {
  id: string;
  name: string;
  description: string | null;
  goal: string | null;
  color: string | null;
  icon: string | null;
  sortOrder: number;
  workOrderCount: number;
};

const optionalString = (value: unknown) => (typeof value === 'string' ? value : null);

export function toTrack(value: unknown): TrackRecord {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.name !== 'string') {
    throw new ShapeError('has a track without a string id and name');
  }
  return {
    id: value.id,
    name: value.name,
    description: optionalString(value.description),
    goal: optionalString(value.goal),
    color: optionalString(value.color),
    icon: optionalString(value.icon),
    sortOrder: typeof value.sortOrder === 'number' ? value.sortOrder : 0,
    workOrderCount: typeof value.workOrderCount === 'number' ? value.workOrderCount : 0,
  };
}
