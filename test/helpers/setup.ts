import {afterEach, expect} from 'vitest';

// A React act() warning means a test looked at a frame before the UI settled: fail it.
const originalError = console.error;
let actWarnings: string[] = [];
console.error = (...args: unknown[]) => {
  const text = args.map(String).join(' ');
  if (text.includes('not wrapped in act(')) actWarnings.push(text);
  originalError(...args);
};
afterEach(() => {
  const warnings = actWarnings;
  actWarnings = [];
  expect(warnings, 'React act() warnings').toEqual([]);
});
