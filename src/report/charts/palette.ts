// Colours, fill patterns, dash styles and markers for charts. Every series gets a colour AND a
// second, colour-free cue (hatch pattern for areas; dash style plus marker shape for lines and
// points) so a chart still reads when printed in greyscale or seen with a colour-vision deficiency.

/**
 * Okabe & Ito's colour-blind-safe palette (Okabe, Ito: "Color Universal Design", 2008), reordered so
 * neighbouring series also differ in lightness (their greyscale values run 87, 162, 106, 119, 158,
 * 150, 214, 0 out of 255).
 */
export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'] as const;

/** Fill patterns drawn over a series' colour (see the chart runtime's pattern tiles). */
export const PATTERNS = ['solid', 'diagonal', 'dots', 'cross', 'horizontal', 'diagonal-back', 'vertical', 'grid', 'zigzag', 'checker'] as const;
export type PatternName = (typeof PATTERNS)[number];

/** Line dash styles in CSS pixels, cycled after the colours' order. */
export const DASHES: ReadonlyArray<readonly number[]> = [[], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [14, 4], [2, 6], [6, 2, 2, 2, 2, 2]];

/** chart.js point styles with distinct silhouettes. */
export const MARKERS = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded'] as const;
export type MarkerName = (typeof MARKERS)[number];

export interface SeriesStyle {
  color: string;
  pattern: PatternName;
  dash: number[];
  marker: MarkerName;
}

/** The style of the i-th series; colour, pattern, dash and marker all change with i. */
export function seriesStyle(index: number): SeriesStyle {
  const i = Math.max(0, Math.floor(index));
  return {
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    pattern: PATTERNS[i % PATTERNS.length],
    dash: [...DASHES[i % DASHES.length]],
    marker: MARKERS[i % MARKERS.length],
  };
}

/** Neutral colours for reference lines, dominated points and grid. */
export const NEUTRAL = { text: '#111111', muted: '#555555', grid: '#dddddd', reference: '#333333', dominated: '#9a9a9a' } as const;
