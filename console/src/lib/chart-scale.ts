/** Axis scaling for the line charts: how many gridlines, and a round maximum. */

/** Gridlines above the zero line. */
export const GRID_LINES = 4;

/**
 * A "nice" axis maximum: GRID_LINES steps of 1, 2 or 5 times a power of ten (at least 1,
 * the charts show counts and rates), so every gridline label is a round number.
 */
export function niceMax(max: number): number {
  const raw = Math.max(1, max / GRID_LINES);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  return step * GRID_LINES;
}
