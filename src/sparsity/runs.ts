// Zero-run accounting shared by the RLE format and patterns with exact run statistics.

import { forEachNonzero, transposeMask, type Mask } from './mask.js';

export type ScanOrder = 'rows' | 'cols';

/**
 * Explicit "overflow zeros" needed to run-length encode the mask with r-bit zero runs, scanning
 * row-major ('rows') or column-major ('cols') as one stream. Each nonzero is preceded by a run
 * field counting the zeros since the previous stored entry; a gap of g zeros longer than 2^r - 1
 * needs floor(g / 2^r) extra entries, each an explicit zero with the maximal run 2^r - 1 (covering
 * 2^r positions: the skipped zeros plus itself). Trailing zeros after the last nonzero need no
 * entries (the decoder knows the stream length).
 */
export function zeroRunOverflow(mask: Mask, runBits: number, order: ScanOrder): number {
  const m = order === 'cols' ? transposeMask(mask) : mask;
  const span = 2 ** runBits;
  const cols = m.cols;
  let prev = -1;
  let overflow = 0;
  forEachNonzero(m, (r, c) => {
    const at = r * cols + c;
    overflow += Math.floor((at - prev - 1) / span);
    prev = at;
  });
  return overflow;
}
