import {readFileSync} from 'node:fs';
import {unsendableIdReason} from '../pcc/pcc-client.js';
import {isTrackName, MAX_TRACK_NAME, normalizeTrackName} from '../spec/spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';
import type {Plan, PlanItem, PlanTrack} from './plan-types.js';

export class PlanFileError extends Error {
  /** 2 when the user named a file that is not there (a usage problem), else 1. */
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Plans keep WO titles and track names as the server gave them (raw); every display sanitises them. */
export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string';
const isTextOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';
const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every((id) => typeof id === 'string' && id !== '');
const quote = (value: unknown) => JSON.stringify(sanitizeText(String(value)).slice(0, 80));



/**
 * Checks every part the apply engine relies on, so a hand-edited or truncated plan is refused with
 * one sentence before anything is sent, never halfway through. Display fields get defaults.
 */
export function validatePlan(data: unknown, file: string): Plan {
  const refuse = (what: string): never => {
    throw new PlanFileError(`${file}: ${what}; nothing was applied. Make a new plan with --plan-out, or fix the file.`);
  };
  if (!isObject(data) || data.format !== 'pcc-track-wizard/plan') {
    throw new PlanFileError(`${file} is not a pcc-track-wizard plan; pass a plan saved with --plan-out or the confirm screen's "s".`);
  }
  if (data.version !== 1) throw new PlanFileError(`${file} is a plan of format version ${String(data.version)}, which this version cannot apply; make a new plan.`);
  if (!isText(data.project) || !data.project.trim()) refuse('the plan names no project');
  if (!isTextOrNull(data.api ?? null)) refuse('"api" is not a URL or null');
  if (!isTextOrNull(data.pccDb ?? null)) refuse('"pccDb" is not a path or null');
  if (data.kind !== undefined && data.kind !== 'forward' && data.kind !== 'undo') refuse(`"kind" is ${quote(data.kind)}, not "forward" or "undo"`);
  if (!isObject(data.spec) || !isText(data.spec.hash)) refuse('the plan has no spec with a hash');
  if (!isText(data.fingerprint) || !data.fingerprint) refuse('the plan has no fingerprint');
  if (!Array.isArray(data.tracks)) refuse('the plan has no list of tracks');
  if (!Array.isArray(data.items)) refuse('the plan has no list of items');

  const keys = new Set<string>();
  const ids = new Set<string>();
  const tracks = (data.tracks as unknown[]).map((track, index): PlanTrack => {
    const where = `track ${index + 1}`;
    if (!isObject(track)) return refuse(`${where} is ${quote(JSON.stringify(track))}, not a track`);
    if (!isText(track.key) || !track.key.trim()) refuse(`${where} has no key`);
    if (!isText(track.name) || !track.name.trim()) refuse(`${where} (${quote(track.key)}) has no name`);
    if (keys.has(track.key as string)) refuse(`two tracks have the key ${quote(track.key)}`);
    if (!isText(track.duplicateOf) && track.key !== normalizeTrackName(track.name as string)) refuse(`${where} is named ${quote(track.name)} but keyed ${quote(track.key)}; a track's key is its name in lower case`);
    if (isText(track.duplicateOf) && !(track.key as string).startsWith(`${track.duplicateOf}\n`)) refuse(`${where} (${quote(track.name)}) is marked as a copy under a key that is not the copy's`);
    if (!track.existingId && !isTrackName(track.name as string)) refuse(`${where} would create a track named ${quote(track.name)}, which has control characters or is over ${MAX_TRACK_NAME} characters`);
    keys.add(track.key as string);
    if (!isTextOrNull(track.existingId ?? null)) refuse(`${where} (${quote(track.name)}) has an id that is not text`);
    if (track.existingId) {
      if (ids.has(track.existingId as string)) refuse(`two tracks have the server id ${quote(track.existingId)}`);
      ids.add(track.existingId as string);
    }
    if (track.sortOrder !== undefined && !(typeof track.sortOrder === 'number' && Number.isFinite(track.sortOrder))) refuse(`${where} (${quote(track.name)}) has a sortOrder that is not a number`);
    return {
      key: track.key as string,
      name: track.name as string,
      goal: isText(track.goal) ? track.goal : null,
      description: isText(track.description) ? track.description : null,
      color: isText(track.color) ? track.color : null,
      icon: isText(track.icon) ? track.icon : null,
      sortOrder: (track.sortOrder as number | undefined) ?? index + 1,
      existingId: (track.existingId as string | null | undefined) ?? null,
      inSpec: track.inSpec !== false,
      ...(isText(track.duplicateOf) ? {duplicateOf: track.duplicateOf} : {}),
    };
  });
  for (const track of tracks) {
    if (track.duplicateOf !== undefined && (!keys.has(track.duplicateOf) || !track.existingId)) refuse(`track ${quote(track.name)} is marked as a copy of a track the plan does not have`);
  }
  if (data.kind === 'undo' && tracks.some((track) => !track.existingId)) refuse('an undo plan names a track without a server id, and undo never creates tracks');

  const workOrders = new Set<string>();
  const items = (data.items as unknown[]).map((item, index): PlanItem => {
    const where = `item ${index + 1}`;
    if (!isObject(item)) return refuse(`${where} is ${quote(JSON.stringify(item))}, not a work order`);
    if (!isText(item.id)) return refuse(`${where} has no id`);
    const unsafe = unsendableIdReason(item.id);
    if (unsafe) refuse(`${where} has the id ${quote(item.id)}, which ${unsafe}`);
    if (workOrders.has(item.id)) refuse(`${quote(item.id)} is listed twice`);
    workOrders.add(item.id);
    for (const field of ['currentKey', 'plannedKey'] as const) {
      const value = item[field] ?? null;
      if (value !== null && !(isText(value) && keys.has(value))) refuse(`${quote(item.id)} has ${field} ${quote(value)}, which is not a track of the plan`);
    }
    if (!isTextOrNull(item.currentTrackId ?? null)) refuse(`${quote(item.id)} has a currentTrackId that is not text`);
    for (const field of ['currentTrackIds', 'restoreTrackIds'] as const) {
      if (item[field] !== undefined && !isIdList(item[field])) refuse(`${quote(item.id)} has ${field} that is not a list of track ids`);
    }
    const title = isText(item.title) ? item.title : '';
    return {
      ...(item as unknown as PlanItem),
      title,
      safeTitle: sanitizeText(title),
      status: isText(item.status) ? item.status : 'backlog',
      goal: isText(item.goal) ? item.goal : null,
      tags: Array.isArray(item.tags) ? item.tags.filter(isText) : [],
      dependsOn: Array.isArray(item.dependsOn) ? item.dependsOn.filter(isText) : [],
      currentTrackId: (item.currentTrackId as string | null | undefined) ?? null,
      currentKey: (item.currentKey as string | null | undefined) ?? null,
      plannedKey: (item.plannedKey as string | null | undefined) ?? null,
      source: isText(item.source) ? (item.source as PlanItem['source']) : 'manual',
      reason: isText(item.reason) ? item.reason : '',
    };
  });
  const spec = data.spec as Record<string, unknown>;
  return {
    ...(data as unknown as Plan),
    spec: {id: isText(spec.id) ? spec.id : '', title: isText(spec.title) ? spec.title : '', source: isText(spec.source) ? spec.source : '', hash: spec.hash as string},
    tracks,
    items,
    notInProject: Array.isArray(data.notInProject) ? (data.notInProject as Plan['notInProject']).filter(isObject) : [],
    notInMapping: Array.isArray(data.notInMapping) ? (data.notInMapping as unknown[]).filter(isText) : [],
    warnings: Array.isArray(data.warnings) ? (data.warnings as unknown[]).filter(isText) : [],
  };
}

/** Reads a saved plan, refusing anything that is not one this version can apply. */
export function parsePlan(text: string, file: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(`${file} is not valid JSON (${(error as Error).message}); pass a plan saved with --plan-out or the confirm screen's "s".`);
  }
  return validatePlan(data, file);
}

export function readPlanFile(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(code === 'ENOENT' ? `The plan file ${file} does not exist; check the path passed to --apply.` : `The plan file ${file} cannot be read (${code}).`, code === 'ENOENT' || code === 'EISDIR' ? 2 : 1);
  }
  return parsePlan(text, file);
}
