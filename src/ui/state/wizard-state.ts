import type {ApplyEvent} from '../../apply/apply-events.js';
import stringWidth from 'string-width';
import {whatMatches} from '../../report/report.js';
import {computeChanges, sendsNothing} from '../../plan/changes.js';
import {mappingDecisions} from '../../plan/mapping-decisions.js';
import {confirmBodyHeight, confirmLastStart, confirmLayout, confirmLines, confirmTableFits} from './confirm-lines.js';
import {moveItems, redo, startReview, undo, hasUnsavedEdits, type ReviewState} from '../../plan/plan-edits.js';
import type {Plan} from '../../plan/plan-types.js';
import type {ApplyOutcome} from '../../report/report.js';
import {sanitizeText} from '../../workorders/sanitize.js';
import {wrapLine} from './wrap.js';
import {commandFor, type Command, type KeyPress, type Screen} from '../keys.js';
import {helpPages} from './help-pages.js';
import {detailsLines, lastDetailsScroll} from './details-lines.js';
import {warningRoom, warningRows} from './warning-rows.js';
import {ALL_GROUP, carryMembers, groupKeys, groupOf, groupName, NONE_GROUP, visibleItems, type GroupKey} from './groups.js';
import {pickerChoices, type PickerChoice} from './picker.js';

export type Overlay = 'help' | 'details' | 'quit' | 'warnings' | null;

export type ApplyView = {
  /** Live WO count per group, starting from the server's current state. */
  counts: Record<GroupKey, number>;
  done: number;
  total: number;
  alreadyDone: number;
  retries: number;
  failures: {id: string; error: string}[];
  log: string[];
  startedAt: number;
  /** (time, done) over the last seconds: the rate and ETA follow recent throughput. */
  samples: {at: number; done: number}[];
  /** Sends wait for an unreachable server. */
  paused: boolean;
  stopping: boolean;
  outcome: ApplyOutcome | null;
};

/** How far back the rate looks. */
export const RATE_WINDOW_MS = 10_000;

/** What the app must do outside the reducer (start the apply, save, exit). */
export type Request = {type: 'exit'} | {type: 'apply'} | {type: 'save'} | {type: 'stop-apply'} | null;

/** Where an apply would go, known before review: PCC's API, PCC's database, or nowhere (and why). */
export type ApplyPathView = {kind: 'api' | 'database' | 'none'; text: string};

export type WizardState = {
  applyPath: ApplyPathView;
  screen: Screen;
  review: ReviewState;
  overviewCursor: number;
  group: number;
  cursor: number;
  scroll: number;
  selected: ReadonlySet<string>;
  filter: string;
  filterEditing: boolean;
  picker: {query: string; cursor: number} | null;
  overlay: Overlay;
  /** The help's page, when it takes more than one. */
  helpPage: number;
  /** The first body line the details box shows. */
  detailsScroll: number;
  /** What `w` lists (files PCC cannot see, load problems, the plan's own), and its first row shown. */
  warnings: readonly string[];
  warningsScroll: number;
  /** Guided walk: Tab past the last track goes to the confirm screen. */
  walking: boolean;
  /** The track screen shows every WO (a search across all tracks) instead of one group. */
  searchAll: boolean;
  /** Where the confirm screen was opened from, so `b` goes back there. */
  confirmFrom: 'overview' | 'track';
  /** First line of the confirm screen's scrolling body. */
  confirmScroll: number;
  /** Typed so far in answer to "type yes" (large applies); null when not asked. */
  typedYes: string | null;
  notice: string | null;
  viewport: {rows: number; columns: number};
  apply: ApplyView | null;
  request: Request;
};

export type Action =
  | {type: 'key'; key: KeyPress}
  | {type: 'resize'; rows: number; columns: number}
  | {type: 'apply-started'; counts: Record<GroupKey, number>; now: number}
  | {type: 'apply-events'; events: ApplyEvent[]; now?: number}
  | {type: 'request-done'}
  | {type: 'saved'; file: string};

/** Log lines the apply screen keeps: as many as a tall terminal shows under the chart. */
const APPLY_LOG_LINES = 40;

/** The smallest terminal every screen fits. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

export function tooSmall(viewport: {rows: number; columns: number}): boolean {
  return viewport.rows < MIN_ROWS || viewport.columns < MIN_COLUMNS;
}

/** Rows the track list may use: the terminal less the title, the track's three heading lines, the line under the list, the notice and the footer. */
export function listHeight(state: Pick<WizardState, 'viewport'>): number {
  return Math.max(3, state.viewport.rows - 7);
}

export function initialState(plan: Plan, viewport = {rows: 24, columns: 80}, applyPath: ApplyPathView = {kind: 'api', text: 'the server'}, warnings: readonly string[] = []): WizardState {
  return {
    applyPath,
    warnings,
    warningsScroll: 0,
    screen: 'overview',
    confirmFrom: 'overview',
    searchAll: false,
    confirmScroll: 0,
    typedYes: null,
    review: startReview(plan),
    overviewCursor: 0,
    group: 0,
    cursor: 0,
    scroll: 0,
    selected: new Set(),
    filter: '',
    filterEditing: false,
    picker: null,
    overlay: null,
    helpPage: 0,
    detailsScroll: 0,
    walking: false,
    notice: null,
    viewport,
    apply: null,
    request: null,
  };
}

export function currentGroupKey(state: WizardState): GroupKey {
  return state.searchAll ? ALL_GROUP : groupKeys(state.review.plan)[state.group];
}

export function currentItems(state: WizardState) {
  return visibleItems(state.review.plan, currentGroupKey(state), state.filter);
}

/** Keeps the cursor inside the list and the window around the cursor. */
function clampView(state: WizardState): WizardState {
  const count = currentItems(state).length;
  const cursor = Math.max(0, Math.min(state.cursor, count - 1));
  const height = listHeight(state);
  let scroll = Math.max(0, Math.min(state.scroll, count - height));
  if (cursor < scroll) scroll = cursor;
  if (cursor >= scroll + height) scroll = cursor - height + 1;
  scroll = Math.max(0, scroll);
  return cursor === state.cursor && scroll === state.scroll ? state : {...state, cursor, scroll};
}

function openGroup(state: WizardState, group: number, walking = state.walking): WizardState {
  return clampView({...state, screen: 'track', group, searchAll: false, cursor: 0, scroll: 0, selected: new Set(), filter: '', filterEditing: false, walking, notice: null});
}

/** Ids the next move applies to: the selection, or the row under the cursor. */
function targetIds(state: WizardState): string[] {
  if (state.selected.size) return [...state.selected];
  const item = currentItems(state)[state.cursor];
  return item ? [item.id] : [];
}

function moveTo(state: WizardState, toKey: string | null): WizardState {
  const ids = targetIds(state);
  if (!ids.length) return {...state, notice: 'Nothing to move here.'};
  const review = moveItems(state.review, ids, toKey);
  carryMembers(state.review.plan, review.plan, ids, review.indexById);
  const name = toKey === null ? 'No track' : sanitizeText(groupName(review.plan, toKey));
  const notice = review === state.review ? `Already on ${name}.` : `Moved ${ids.length} to ${name}. u undoes.`;
  // The cursor stays on its WO when that WO is still in the list (it was not among those moved).
  const under = currentItems(state)[state.cursor]?.id;
  const moved = {...state, review, selected: new Set<string>(), picker: null, notice};
  const index = under === undefined ? -1 : currentItems(moved).findIndex((item) => item.id === under);
  return clampView(index >= 0 ? {...moved, cursor: index} : moved);
}

function history(state: WizardState, direction: 'undo' | 'redo'): WizardState {
  const review = direction === 'undo' ? undo(state.review) : redo(state.review);
  if (review === state.review) return {...state, notice: direction === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.'};
  const edit = direction === 'undo' ? state.review.past.at(-1)! : state.review.future.at(-1)!;
  carryMembers(state.review.plan, review.plan, edit.ids, review.indexById);
  // Say what changed back, and keep the cursor on that WO when it is in this list again.
  const first = review.plan.items[review.indexById.get(edit.ids[0])!];
  // Its group, not just its track: a WO with no track may be back in Needs review.
  const where = first ? sanitizeText(groupName(review.plan, groupOf(first))) : 'its place';
  const what = edit.ids.length === 1 ? sanitizeText(edit.ids[0]) : `${edit.ids.length} work orders`;
  const moved = {...state, review, selected: new Set<string>(), notice: `${direction === 'undo' ? 'Undone' : 'Redone'}: moved ${what} ${direction === 'undo' ? 'back ' : ''}to ${where}.`};
  const index = currentItems(moved).findIndex((item) => item.id === edit.ids[0]);
  return clampView(index >= 0 ? {...moved, cursor: index} : moved);
}

function isPrintable(key: KeyPress): boolean {
  return Boolean(key.input) && !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && /^[^\u0000-\u001F\u007F]+$/.test(key.input);
}

function isBackspace(key: KeyPress & {backspace?: boolean; delete?: boolean}): boolean {
  return Boolean(key.backspace || key.delete) || key.input === '\u007F' || key.input === '\b';
}

function pickerKey(state: WizardState, key: KeyPress): WizardState {
  const picker = state.picker!;
  const choices = pickerChoices(state);
  if (key.escape) return {...state, picker: null, notice: null};
  if (key.upArrow) return {...state, picker: {...picker, cursor: Math.max(0, picker.cursor - 1)}};
  if (key.downArrow) return {...state, picker: {...picker, cursor: Math.min(choices.length - 1, picker.cursor + 1)}};
  if (key.return) {
    const choice = choices[picker.cursor];
    return choice ? moveTo(state, choice.key) : state;
  }
  if (isBackspace(key)) return {...state, picker: {query: picker.query.slice(0, -1), cursor: 0}};
  const numbered = choices.find((choice: PickerChoice) => choice.hotkey === key.input);
  if (numbered && !picker.query) return moveTo(state, numbered.key);
  if (isPrintable(key)) return {...state, picker: {query: picker.query + key.input, cursor: 0}};
  return state;
}

function filterKey(state: WizardState, key: KeyPress): WizardState {
  if (key.return) return clampView({...state, filterEditing: false});
  if (key.escape) return clampView({...state, filter: '', filterEditing: false, cursor: 0, scroll: 0});
  if (isBackspace(key)) return clampView({...state, filter: state.filter.slice(0, -1), cursor: 0, scroll: 0});
  if (isPrintable(key)) return clampView({...state, filter: state.filter + key.input, cursor: 0, scroll: 0, selected: new Set()});
  return state;
}

function overlayKey(state: WizardState, key: KeyPress): WizardState {
  if (state.overlay === 'quit') {
    if (key.input === 'y') return {...state, overlay: null, request: {type: 'exit'}};
    if (key.input === 'n' || key.escape || key.input === 'q') return {...state, overlay: null};
    return state;
  }
  if (state.overlay === 'help') {
    // A help that takes more than one page turns them; any other key closes it.
    const last = helpPages(state.screen, state.viewport.rows, state.viewport.columns).pages.length - 1;
    // Past the last page, the next-page keys close it like any other key.
    if (state.helpPage < last && (key.pageDown || key.downArrow || key.input === ' ')) return {...state, helpPage: state.helpPage + 1};
    if (last > 0 && (key.pageUp || key.upArrow)) return {...state, helpPage: Math.max(0, state.helpPage - 1)};
  }
  // A list longer than the panel scrolls; any other key closes it.
  if (state.overlay === 'warnings') {
    const room = warningRoom(state.viewport.rows);
    const last = Math.max(0, warningRows(state.warnings, state.viewport.columns).length - room);
    const step = scrollStep(key, room);
    if (last > 0 && step) return {...state, warningsScroll: Math.max(0, Math.min(last, state.warningsScroll + step))};
  }
  if (state.overlay === 'details') {
    const last = lastDetailsScroll(state);
    const step = scrollStep(key, detailsLines(state)?.room ?? 1);
    if (last > 0 && step) return {...state, detailsScroll: Math.max(0, Math.min(last, state.detailsScroll + step))};
  }
  return {...state, overlay: null};
}

/** Lines a key scrolls a panel by (0: not a scrolling key); a page is what the panel shows, so paging never skips a line. */
function scrollStep(key: KeyPress, page: number): number {
  if (key.pageDown || key.input === ' ') return page;
  if (key.pageUp) return -page;
  return key.downArrow ? 1 : key.upArrow ? -1 : 0;
}

/**
 * Extra lines the apply-path sentence takes past its first: "cannot apply" says what to pass and
 * is never cut, so the lists above it give up those lines instead.
 */
export function applyPathExtraLines(state: Pick<WizardState, 'applyPath' | 'viewport'>): number {
  if (state.applyPath.kind !== 'none') return 0;
  return Math.max(0, Math.ceil(stringWidth(`Cannot apply from here: ${state.applyPath.text}`) / Math.max(20, state.viewport.columns)) - 1);
}

/**
 * Whether the confirm screen adds the line "y records the review's decisions in the spec": nothing
 * to send, something to record, and an apply path (without one, y applies nothing and records
 * nothing). Both the screen and its scrolling give that line its row.
 */
export function confirmRecordsDecisions(state: Pick<WizardState, 'applyPath' | 'review'>): boolean {
  if (state.applyPath.kind === 'none') return false;
  return sendsNothing(computeChanges(state.review.plan)) && mappingDecisions(state.review.plan).length > 0;
}

/** The confirm screen's last line when there is something to send: where y applies, never cut. */
export function confirmTargetLines(state: Pick<WizardState, 'applyPath' | 'viewport' | 'review'>): string[] {
  if (state.applyPath.kind === 'none' || sendsNothing(computeChanges(state.review.plan))) return [];
  return wrapLine(`Nothing has been sent yet; y applies to ${sanitizeText(state.applyPath.text)}.`, state.viewport.columns);
}

/** The confirm screen's scrolling body: its window less what the apply path and the decisions line take. */
export function confirmWindow(state: Pick<WizardState, 'applyPath' | 'viewport' | 'review'>): number {
  return Math.max(2, confirmBodyHeight(state.viewport.rows) - applyPathExtraLines(state) - Math.max(0, confirmTargetLines(state).length - 1) - (confirmRecordsDecisions(state) ? 1 : 0));
}

/** More changes than this are confirmed by typing "yes". */
export const TYPE_YES_ABOVE = 1000;

const SCROLLS: Partial<Record<Command, number | 'home' | 'end'>> = {CURSOR_UP: -1, CURSOR_DOWN: 1, PAGE_UP: -10, PAGE_DOWN: 10, HOME: 'home', END: 'end'};

function scrollConfirm(state: WizardState, by: number | 'home' | 'end'): WizardState {
  const lines = confirmLines(state.review.plan);
  const height = confirmWindow(state);
  const tableFits = confirmTableFits(state.viewport.columns);
  const last = confirmLastStart(lines, height, tableFits);
  const start = Math.min(state.confirmScroll, last);
  let next: number;
  if (by === 'home') next = 0;
  else if (by === 'end') next = last;
  else if (by === 10) {
    // A page on is the first line not shown, less one kept for context; the table's frame makes pages uneven.
    const {end} = confirmLayout(lines, start, height, tableFits);
    next = Math.max(start + 1, end - 1);
  } else if (by === -10) {
    // A page back is the earliest start whose window still reaches the line at the top now.
    next = start;
    while (next > 0 && confirmLayout(lines, next - 1, height, tableFits).end > start) next--;
  } else next = start + by;
  return {...state, confirmScroll: Math.max(0, Math.min(last, next))};
}

function typeYesKey(state: WizardState, key: KeyPress): WizardState {
  const typed = state.typedYes ?? '';
  if (key.escape) return {...state, typedYes: null, notice: 'Not applied.'};
  if (key.return) return typed.trim().toLowerCase() === 'yes' ? {...state, typedYes: null, request: {type: 'apply'}} : {...state, typedYes: '', notice: 'Type yes and Enter to apply, or Esc.'};
  if (isBackspace(key)) return {...state, typedYes: typed.slice(0, -1)};
  if (isPrintable(key)) return {...state, typedYes: (typed + key.input).slice(0, 10)};
  return state;
}

function quit(state: WizardState): WizardState {
  if (hasUnsavedEdits(state.review)) return {...state, overlay: 'quit'};
  return {...state, request: {type: 'exit'}};
}

function command(state: WizardState, name: Command): WizardState {
  const groups = groupKeys(state.review.plan);
  const onTrack = state.screen === 'track';
  const items = onTrack ? currentItems(state) : [];
  const page = listHeight(state);
  if (state.screen === 'confirm' && SCROLLS[name] !== undefined) return scrollConfirm(state, SCROLLS[name]!);
  switch (name) {
    case 'CURSOR_UP':
      return onTrack ? clampView({...state, cursor: state.cursor - 1}) : {...state, overviewCursor: Math.max(0, state.overviewCursor - 1)};
    case 'CURSOR_DOWN':
      return onTrack ? clampView({...state, cursor: state.cursor + 1}) : {...state, overviewCursor: Math.min(groups.length - 1, state.overviewCursor + 1)};
    case 'PAGE_UP':
      return clampView({...state, cursor: state.cursor - page, scroll: state.scroll - page});
    case 'PAGE_DOWN':
      return clampView({...state, cursor: state.cursor + page, scroll: state.scroll + page});
    case 'HOME':
      return onTrack ? clampView({...state, cursor: 0}) : {...state, overviewCursor: 0};
    case 'END':
      return onTrack ? clampView({...state, cursor: items.length - 1}) : {...state, overviewCursor: groups.length - 1};
    case 'NEXT_TRACK':
      if (state.searchAll) return openGroup(state, 0);
      if (state.group + 1 >= groups.length) return state.walking ? {...state, screen: 'confirm', confirmFrom: 'track', walking: false} : openGroup(state, 0);
      return openGroup(state, state.group + 1);
    case 'PREV_TRACK':
      if (state.searchAll) return openGroup(state, groups.length - 1);
      return openGroup(state, (state.group - 1 + groups.length) % groups.length);
    case 'TOGGLE_SELECT': {
      const item = items[state.cursor];
      if (!item) return state;
      const selected = new Set(state.selected);
      if (selected.has(item.id)) selected.delete(item.id);
      else selected.add(item.id);
      return clampView({...state, selected, cursor: state.cursor + 1});
    }
    case 'SELECT_ALL': {
      const all = items.length > 0 && items.every((item) => state.selected.has(item.id));
      return {...state, selected: all ? new Set() : new Set(items.map((item) => item.id)), notice: all ? 'Selection cleared.' : `${items.length} selected.`};
    }
    case 'MOVE': {
      if (!targetIds(state).length) return {...state, notice: 'Nothing to move here.'};
      // The cursor starts on the likeliest candidate, wherever the list puts it, so Enter takes it.
      const opened = {...state, picker: {query: '', cursor: 0}, notice: null};
      const choices = pickerChoices(opened);
      let best = -1;
      choices.forEach((choice, index) => {
        if (choice.confidence !== null && (best < 0 || choice.confidence > choices[best].confidence!)) best = index;
      });
      return best > 0 ? {...opened, picker: {query: '', cursor: best}} : opened;
    }
    case 'WARNINGS':
      return {...state, overlay: 'warnings', warningsScroll: 0};
    case 'MOVE_NONE':
      return moveTo(state, null);
    case 'UNDO':
      return history(state, 'undo');
    case 'REDO':
      return history(state, 'redo');
    case 'FILTER':
      // On the overview, `/` searches every WO across all tracks.
      if (state.screen === 'overview') return clampView({...state, screen: 'track', searchAll: true, walking: false, cursor: 0, scroll: 0, selected: new Set(), filter: '', filterEditing: true, notice: null});
      return {...state, filterEditing: true, notice: null};
    case 'OPEN':
      if (onTrack) return items[state.cursor] ? {...state, overlay: 'details', detailsScroll: 0} : state;
      return openGroup(state, state.overviewCursor, false);
    case 'WALK':
      return openGroup(state, 0, true);
    case 'HELP':
      return {...state, overlay: 'help', helpPage: 0};
    case 'CONFIRM':
      return {...state, screen: 'confirm', confirmFrom: state.screen === 'track' ? 'track' : 'overview', confirmScroll: 0, notice: null, picker: null};
    case 'APPLY':
      if (state.applyPath.kind === 'none') return {...state, notice: `Nothing can be applied from here: ${state.applyPath.text} Press s to save the plan.`};
      // A large change is confirmed by typing, not by one key.
      if (computeChanges(state.review.plan).changes.length > TYPE_YES_ABOVE) return {...state, typedYes: '', notice: null};
      return {...state, request: {type: 'apply'}};
    case 'SAVE':
      return {...state, request: {type: 'save'}};
    case 'BACK':
      if (state.screen === 'confirm') return {...state, screen: state.confirmFrom};
      // A kept filter goes first; the next Esc leaves the track.
      if (state.filter) return clampView({...state, filter: '', cursor: 0, scroll: 0, notice: 'Filter cleared.'});
      return {...state, screen: 'overview', overviewCursor: state.searchAll ? state.overviewCursor : state.group, searchAll: false, walking: false, selected: new Set(), filter: '', notice: null};
    case 'QUIT':
      return state.screen === 'done' ? {...state, request: {type: 'exit'}} : quit(state);
    case 'INTERRUPT':
      if (state.screen === 'apply') return state.apply?.outcome ? state : {...state, request: {type: 'stop-apply'}, apply: state.apply && {...state.apply, stopping: true}};
      if (state.screen === 'done') return {...state, request: {type: 'exit'}};
      return quit(state);
  }
}

function applyEvents(view: ApplyView, events: ApplyEvent[], now: number): ApplyView {
  const counts = {...view.counts};
  let {done, total, retries, alreadyDone, outcome, stopping, paused} = view;
  const failures = [...view.failures];
  const log = [...view.log];
  for (const event of events) {
    switch (event.type) {
      case 'start':
        total = event.pending;
        alreadyDone = event.alreadyDone;
        break;
      case 'assigned': {
        const from = event.fromKey ?? NONE_GROUP;
        const to = event.toKey ?? NONE_GROUP;
        counts[from] = (counts[from] ?? 0) - 1;
        counts[to] = (counts[to] ?? 0) + 1;
        done = event.done;
        paused = false;
        break;
      }
      case 'track':
        log.push(`Track "${event.name}" ${event.action === 'recovered' ? 'found after a lost answer' : event.action}.`);
        break;
      case 'retry':
        retries++;
        log.push(`Retry ${event.method} ${event.route} (${event.reason}).`);
        break;
      case 'failed':
        failures.push({id: event.id, error: event.error});
        log.push(`Failed ${event.id}: ${event.error}`);
        break;
      case 'stopping':
        stopping = true;
        log.push(`Stopping: ${event.reason}.`);
        break;
      case 'verify':
        log.push(event.ok ? `Verified: ${whatMatches(event.targetKind)} matches the plan.` : `Verification found ${event.mismatches.length} differences.`);
        break;
      case 'finished':
        outcome = event.outcome;
        break;
      case 'replanned':
        log.push(`The server changed since planning (${event.differences.length} difference${event.differences.length === 1 ? '' : 's'}): placements rebased.`);
        break;
      case 'track-deleted':
        log.push(`Deleted track "${event.name}": ${event.reason}.`);
        break;
      case 'paused':
        paused = true;
        log.push(`Server unreachable, retrying in ${Math.round(event.retryInMs / 1000)} s (Ctrl-C stops).`);
        break;
      case 'resumed':
        paused = false;
        log.push('The server answers again.');
        break;
      case 'grace':
        log.push('Some requests went unanswered: reading the server again shortly.');
        break;
      case 'target':
        log.push(`Applying to ${event.label}.`);
        break;
    }
  }
  const samples = [...view.samples.filter((sample) => now - sample.at <= RATE_WINDOW_MS), {at: now, done}];
  return {...view, counts, done, total, retries, alreadyDone, failures, log: log.slice(-APPLY_LOG_LINES), outcome, stopping, paused, samples};
}

export function reduce(state: WizardState, action: Action): WizardState {
  switch (action.type) {
    case 'resize':
      // The help's pages are laid out anew for the new size: start again at the first.
      // The help's pages are laid out anew for the new size: the page stays, as far as there are pages.
      return clampView({...state, viewport: {rows: action.rows, columns: action.columns}, helpPage: Math.min(state.helpPage, helpPages(state.screen, action.rows, action.columns).pages.length - 1)});
    case 'request-done':
      return {...state, request: null};
    case 'saved':
      return {...state, notice: `Plan saved to ${action.file}.`};
    case 'apply-started':
      return {
        ...state,
        screen: 'apply',
        apply: {counts: action.counts, done: 0, total: 0, alreadyDone: 0, retries: 0, failures: [], log: [], startedAt: action.now, samples: [{at: action.now, done: 0}], paused: false, stopping: false, outcome: null},
      };
    case 'apply-events': {
      if (!state.apply) return state;
      const apply = applyEvents(state.apply, action.events, action.now ?? state.apply.startedAt);
      return {...state, apply, screen: apply.outcome ? 'done' : state.screen};
    }
    case 'key': {
      const {key} = action;
      // Too small to show anything but the size it needs (and the quit question): only Ctrl-C and
      // the question's answers act, nothing unseen happens.
      if (tooSmall(state.viewport) && !(key.ctrl && key.input === 'c') && state.overlay !== 'quit') return state;
      // Ctrl-C always works: in the picker, while typing a filter, and on the quit prompt (where
      // it quits), not only on the screens.
      if (key.ctrl && key.input === 'c' && (state.overlay || state.picker || state.filterEditing || state.typedYes !== null)) {
        if (state.overlay === 'quit') return {...state, overlay: null, request: {type: 'exit'}};
        return command({...state, overlay: null, picker: null, filterEditing: false, typedYes: null}, 'INTERRUPT');
      }
      if (state.overlay) return overlayKey(state, key);
      if (state.typedYes !== null) return typeYesKey(state, key);
      if (state.picker) return pickerKey(state, key);
      if (state.filterEditing) return filterKey(state, key);
      const name = commandFor(state.screen, key);
      return name ? command(state, name) : state;
    }
  }
}

/** Counts per group of the plan as it stands now (planned) and on the server (current). */
export {currentCounts, plannedCounts} from './groups.js';
