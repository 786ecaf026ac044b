import {render} from 'ink-testing-library';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {BarChart} from '../../src/ui/components/bar-chart.js';
import {themeFrom, trackColor} from '../../src/ui/theme.js';

describe('colors', () => {
  it('follow NO_COLOR, TERM=dumb and FORCE_COLOR', () => {
    expect(themeFrom({}).color).toBe(true);
    expect(themeFrom({NO_COLOR: '1'}).color).toBe(false);
    expect(themeFrom({NO_COLOR: ''}).color).toBe(true);
    expect(themeFrom({TERM: 'dumb'}).color).toBe(false);
    expect(themeFrom({FORCE_COLOR: '0'}).color).toBe(false);
    expect(themeFrom({NO_COLOR: '1', FORCE_COLOR: '1'}).color).toBe(true);
  });

  it('use the track hex when enabled and valid, nothing otherwise', () => {
    expect(trackColor({color: true}, '#10B981')).toBe('#10B981');
    expect(trackColor({color: true}, 'teal')).toBeUndefined();
    expect(trackColor({color: false}, '#10B981')).toBeUndefined();
  });

  it('a bar is drawn in its track color, and reads the same without color', () => {
    const rows = [{key: 'economy', label: 'Economy', count: 8, color: '#14B8A6'}, {key: 'none', label: 'No track', count: 3, color: null}];
    const colored = render(<BarChart rows={rows} width={60} theme={{color: true}} />);
    // FORCE_COLOR=1 (set for the tests) is a 16-color terminal: the hex is lowered to an ANSI color.
    expect(colored.lastFrame()).toMatch(/\u001B\[(3[0-7]|9[0-7])mEconomy/);
    const plain = render(<BarChart rows={rows} width={60} theme={{color: false}} />);
    expect(plain.lastFrame()).not.toMatch(/\u001B\[(3[0-7]|9[0-7])m/);
    expect(plain.lastFrame()).toMatch(/ Economy\s+8 █+\n No track\s+3 █+/);
    colored.unmount();
    plain.unmount();
  });

  it('a fixed scale marks a bar that runs past it', () => {
    const rows = [{key: 'a', label: 'A', count: 50, color: null}, {key: 'b', label: 'B', count: 5, color: null}];
    const view = render(<BarChart rows={rows} width={40} theme={{color: false}} scaleMax={10} />);
    const [a, b] = view.lastFrame()!.split('\n');
    expect(a).toMatch(/A\s+50 █+»$/);
    expect(b.match(/█/g)).toHaveLength(Math.round(a.match(/[█»]/g)!.length / 2));
    view.unmount();
  });
});
