// Every key the wizard knows, in one table. The help overlay is generated from it, and
// `commandFor` is the only place that turns a key press into a command.

export type Screen = 'overview' | 'track' | 'confirm' | 'apply' | 'done';

export type Command =
  | 'CURSOR_UP'
  | 'CURSOR_DOWN'
  | 'PAGE_UP'
  | 'PAGE_DOWN'
  | 'HOME'
  | 'END'
  | 'NEXT_TRACK'
  | 'PREV_TRACK'
  | 'TOGGLE_SELECT'
  | 'SELECT_ALL'
  | 'MOVE'
  | 'MOVE_NONE'
  | 'UNDO'
  | 'REDO'
  | 'FILTER'
  | 'OPEN'
  | 'WALK'
  | 'HELP'
  | 'WARNINGS'
  | 'CONFIRM'
  | 'APPLY'
  | 'SAVE'
  | 'BACK'
  | 'QUIT'
  | 'INTERRUPT';

/** The key facts a binding looks at (a subset of ink's Key, plus the typed text). */
export type KeyPress = {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  meta?: boolean;
};

type KeySpec =
  | {special: 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'tab' | 'shiftTab'}
  | {char: string}
  | {ctrl: string};

/** `helpOn`: what the keys do on a screen where they do something else than `help` says. */
export type Binding = {command: Command; keys: KeySpec[]; label: string; help: string; helpOn?: Partial<Record<Screen, string>>; screens: Screen[]};

const REVIEW: Screen[] = ['track'];
const LISTS: Screen[] = ['overview', 'track'];

export const KEY_BINDINGS: Binding[] = [
  {command: 'CURSOR_UP', keys: [{special: 'up'}, {char: 'k'}], label: '↑/k', help: 'move up', helpOn: {confirm: 'scroll up'}, screens: [...LISTS, 'confirm']},
  {command: 'CURSOR_DOWN', keys: [{special: 'down'}, {char: 'j'}], label: '↓/j', help: 'move down', helpOn: {confirm: 'scroll down'}, screens: [...LISTS, 'confirm']},
  {command: 'PAGE_UP', keys: [{special: 'pageUp'}], label: 'PgUp', help: 'page up', screens: [...REVIEW, 'confirm']},
  {command: 'PAGE_DOWN', keys: [{special: 'pageDown'}], label: 'PgDn', help: 'page down', screens: [...REVIEW, 'confirm']},
  {command: 'HOME', keys: [{special: 'home'}], label: 'Home', help: 'first item', helpOn: {confirm: 'top'}, screens: [...LISTS, 'confirm']},
  {command: 'END', keys: [{special: 'end'}], label: 'End', help: 'last item', helpOn: {confirm: 'bottom'}, screens: [...LISTS, 'confirm']},
  {command: 'NEXT_TRACK', keys: [{special: 'tab'}, {special: 'right'}], label: 'Tab/→', help: 'next track', screens: REVIEW},
  {command: 'PREV_TRACK', keys: [{special: 'shiftTab'}, {special: 'left'}], label: 'Shift-Tab/←', help: 'previous track', screens: REVIEW},
  {command: 'TOGGLE_SELECT', keys: [{char: ' '}], label: 'Space', help: 'select or unselect', screens: REVIEW},
  {command: 'SELECT_ALL', keys: [{char: 'a'}], label: 'a', help: 'select all shown/matched', screens: REVIEW},
  {command: 'MOVE', keys: [{char: 'm'}], label: 'm', help: 'move to a track', screens: REVIEW},
  {command: 'MOVE_NONE', keys: [{char: 'n'}], label: 'n', help: 'move to no track', screens: REVIEW},
  {command: 'UNDO', keys: [{char: 'u'}], label: 'u', help: 'undo', screens: LISTS},
  {command: 'REDO', keys: [{ctrl: 'r'}], label: 'Ctrl-R', help: 'redo', screens: LISTS},
  {command: 'FILTER', keys: [{char: '/'}], label: '/', help: 'filter this list', helpOn: {overview: 'search every WO, on any track'}, screens: LISTS},
  {command: 'OPEN', keys: [{special: 'return'}], label: 'Enter', help: 'show the WO\'s details', helpOn: {overview: 'open the track'}, screens: LISTS},
  {command: 'WALK', keys: [{char: 'r'}], label: 'r', help: 'review every track in order', screens: ['overview']},
  {command: 'HELP', keys: [{char: '?'}], label: '?', help: 'this help', screens: [...LISTS, 'confirm']},
  {command: 'WARNINGS', keys: [{char: 'w'}], label: 'w', help: 'warnings, files PCC skips', screens: [...LISTS, 'confirm']},
  {command: 'CONFIRM', keys: [{char: 'c'}], label: 'c', help: 'to the confirm screen', screens: LISTS},
  {command: 'APPLY', keys: [{char: 'y'}], label: 'y', help: 'apply the changes (only y: Enter never applies)', screens: ['confirm']},
  {command: 'SAVE', keys: [{char: 's'}], label: 's', help: 'save the plan to a file and exit', screens: ['confirm']},
  {command: 'BACK', keys: [{char: 'b'}, {char: 'q'}, {special: 'escape'}], label: 'b/q/Esc', help: 'back to review', screens: ['confirm']},
  {command: 'BACK', keys: [{char: 'q'}, {special: 'escape'}], label: 'q/Esc', help: 'back to the overview', screens: REVIEW},
  {command: 'QUIT', keys: [{char: 'q'}, {special: 'escape'}], label: 'q/Esc', help: 'quit', screens: ['overview', 'done']},
  {command: 'INTERRUPT', keys: [{ctrl: 'c'}], label: 'Ctrl-C', help: 'quit / stop applying', screens: ['overview', 'track', 'confirm', 'apply', 'done']},
];

function matches(spec: KeySpec, key: KeyPress): boolean {
  if ('ctrl' in spec) return Boolean(key.ctrl) && key.input === spec.ctrl;
  if ('char' in spec) return !key.ctrl && !key.meta && key.input === spec.char;
  switch (spec.special) {
    case 'up':
      return Boolean(key.upArrow);
    case 'down':
      return Boolean(key.downArrow);
    case 'left':
      return Boolean(key.leftArrow);
    case 'right':
      return Boolean(key.rightArrow);
    case 'pageUp':
      return Boolean(key.pageUp);
    case 'pageDown':
      return Boolean(key.pageDown);
    case 'home':
      return Boolean(key.home);
    case 'end':
      return Boolean(key.end);
    case 'return':
      return Boolean(key.return);
    case 'escape':
      return Boolean(key.escape);
    case 'tab':
      return Boolean(key.tab) && !key.shift;
    case 'shiftTab':
      return Boolean(key.tab) && Boolean(key.shift);
  }
}

export function commandFor(screen: Screen, key: KeyPress): Command | null {
  for (const binding of KEY_BINDINGS) {
    if (!binding.screens.includes(screen)) continue;
    if (binding.keys.some((spec) => matches(spec, key))) return binding.command;
  }
  return null;
}

export function bindingsFor(screen: Screen): Binding[] {
  return KEY_BINDINGS.filter((binding) => binding.screens.includes(screen));
}

/**
 * A terminal read can hold several keys (typing fast, key repeat, paste, a slow link): Ink then
 * hands over `"jjj"` as one input. Split such plain text into one key press per character, so
 * none is lost; Enter and Tab inside it count as those keys.
 */
export function splitKeys(key: KeyPress): KeyPress[] {
  const chars = [...key.input];
  const special = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end || key.escape || key.ctrl || key.meta;
  if (chars.length < 2 || special || /[\u001B\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(key.input)) return [key];
  return chars.map((char) => (char === '\r' || char === '\n' ? {input: '', return: true} : char === '\t' ? {input: '', tab: true} : {input: char}));
}
