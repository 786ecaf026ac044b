/** The slice [start, end) of a list of `length` rows to show in `height` rows, keeping `cursor` in view. */
export function windowAround(length: number, cursor: number, height: number): {start: number; end: number} {
  if (length <= height) return {start: 0, end: length};
  const start = Math.max(0, Math.min(cursor - Math.floor(height / 2), length - height));
  return {start, end: start + height};
}
