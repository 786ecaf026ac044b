// Colors come from each track's #RRGGBB. Ink's chalk lowers them to 256 or 16 colors when the
// terminal has fewer; NO_COLOR and TERM=dumb drop them entirely. Nothing is said by color alone:
// every colored fact is also written as text.

export type Theme = {color: boolean};

export function themeFrom(env: NodeJS.ProcessEnv): Theme {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const disabled = (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb' || env.FORCE_COLOR === '0';
  return {color: forced || !disabled};
}

const HEX = /^#[0-9A-Fa-f]{6}$/;

export function trackColor(theme: Theme, hex: string | null | undefined): string | undefined {
  return theme.color && hex && HEX.test(hex) ? hex : undefined;
}

export function accent(theme: Theme, name: 'cursor' | 'dim' | 'warn' | 'ok' | 'error'): string | undefined {
  if (!theme.color) return undefined;
  return {cursor: 'cyan', dim: 'gray', warn: 'yellow', ok: 'green', error: 'red'}[name];
}
