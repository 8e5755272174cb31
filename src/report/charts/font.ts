// The one font charts are drawn with. @napi-rs/canvas draws text with FreeType ("portable" text
// renderer) from fonts it is given; if a chart named a system family ('sans-serif', 'Arial'), the
// PNG bytes would depend on which fonts fontconfig finds on the machine. So charts name only
// CHART_FONT_FAMILY, registered from a font file committed with this code:
// src/report/charts/fonts/DejaVuSans.ttf (DejaVu Sans 2.37, Bitstream Vera licence, see
// LICENSE-DejaVu.txt next to it; copied from Debian's fonts-dejavu-core). It covers every character
// the charts use (Latin-1, µ, ×, ·, –, ≥). Bold text is synthesised from this regular face, so no
// other file is consulted either.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GlobalFonts } from '@napi-rs/canvas';

export const CHART_FONT_FAMILY = 'AccsimSans';
export const CHART_FONT_FILE = 'DejaVuSans.ttf';
/** Debian's copy, used only if the committed file is missing (e.g. a trimmed install). */
const SYSTEM_FALLBACK = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

export interface ChartFont {
  /** The family name to put in ctx.font. */
  family: string;
  /** The registered file, or null if none was found and the canvas default is used. */
  file: string | null;
  /** True when text rendering depends only on files shipped with accsim. */
  vendored: boolean;
}

let registered: ChartFont | undefined;

function candidates(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  return [
    join(here, 'fonts', CHART_FONT_FILE), // running from src/ (vitest, tsx)
    join(here, '..', '..', '..', '..', 'src', 'report', 'charts', 'fonts', CHART_FONT_FILE), // from dist/src/report/charts
  ];
}

/** Registers the chart font once per process and says where it came from. */
export function ensureChartFont(): ChartFont {
  if (registered) return registered;
  for (const file of candidates()) {
    if (existsSync(file) && GlobalFonts.registerFromPath(file, CHART_FONT_FAMILY)) {
      registered = { family: CHART_FONT_FAMILY, file, vendored: true };
      return registered;
    }
  }
  if (existsSync(SYSTEM_FALLBACK) && GlobalFonts.registerFromPath(SYSTEM_FALLBACK, CHART_FONT_FAMILY)) {
    registered = { family: CHART_FONT_FAMILY, file: SYSTEM_FALLBACK, vendored: false };
    return registered;
  }
  registered = { family: 'sans-serif', file: null, vendored: false };
  return registered;
}
