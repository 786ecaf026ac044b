import {EventEmitter} from 'node:events';
import {stripVTControlCharacters} from 'node:util';
import {render as inkRender} from 'ink';
import {render as testingRender} from 'ink-testing-library';
import React from 'react';
import {buildPlan} from '../../src/plan/build-plan.js';
import type {Plan} from '../../src/plan/plan-types.js';
import {loadWorkOrdersFromFolder} from '../../src/workorders/local-loader.js';
import {SAMPLE_WORK_ORDERS, seedSpec} from './fixtures.js';

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  ctrlR: '\u0012',
  ctrlC: '\u0003',
};

export function samplePlan(): Plan {
  return buildPlan({spec: seedSpec(), workOrders: loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS).workOrders, serverTracks: [], project: 'demo', api: 'http://127.0.0.1:1'});
}

/** Polls until the assertion passes: frames arrive asynchronously, never wait a fixed time. */
export async function waitFor(assertion: () => void, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** A terminal-sized stdout for ink's render, so narrow layouts and resizes can be tested. */
export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(public columns: number, public rows: number) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** An element (the App) rendered by ink in a terminal of a given size: ink-testing-library's has 100 columns and no rows. `input.write` types. */
export function renderInTerminal(element: React.ReactElement, columns: number, rows: number) {
  const stdout = new FakeStdout(columns, rows);
  const input = testingRender(React.createElement(React.Fragment)).stdin;
  const instance = inkRender(element, {stdout: stdout as unknown as NodeJS.WriteStream, stdin: input as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false});
  const last = () => stripVTControlCharacters(stdout.frames.at(-1) ?? '');
  return {stdout, input, instance, last};
}
