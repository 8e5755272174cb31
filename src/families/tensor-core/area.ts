// Area of a tensor-core GPU: the published die area of the chip the preset models. Per-component
// figures (SM, L2, HBM PHY) are not published, so the breakdown is the whole die in one piece;
// a preset without a figure (area.die = 0) has no area and drops out of area-aware sweeps.

import type { AreaBreakdown } from '../../core/area-tables.js';
import type { ParamDecl, ParamValues } from '../../spec/params.js';

export const TENSOR_CORE_AREA_PARAMS: readonly ParamDecl[] = [
  {
    key: 'area.die',
    type: 'quantity',
    dimension: 'dimensionless',
    min: 0,
    default: '0',
    description: 'Published die area in mm² (whole die: SMs, L2, memory PHYs, I/O); 0 = unknown, no area reported',
    source: '[T] vendor whitepaper per preset',
  },
];

export function tensorCoreArea(values: ParamValues): AreaBreakdown | undefined {
  const die = values['area.die'] as number;
  if (!(die > 0)) return undefined;
  return {
    totalMm2: die,
    components: { die },
    note: 'published die area of the whole chip (SMs, L2, memory controllers and PHYs, I/O), not of the SMs alone; includes units disabled on this product',
  };
}
