// Area of a systolic design: PEs × PE area (MAC datatype, node) + on-chip buffer bytes × SRAM
// density, from src/core/area-tables.ts. Enables area-aware sweeps (sweep-reduce --pareto
// seconds,energyJ,areaMm2), where peak MACs and buffer bytes alone are only proxies.

import { AREA_DATATYPES, peAreaMm2, sramMm2PerByte, type AreaBreakdown, type AreaDatatype } from '../../core/area-tables.js';
import type { ParamDecl, ParamValues } from '../../spec/params.js';

export const SYSTOLIC_AREA_PARAMS: readonly ParamDecl[] = [
  {
    key: 'area.node_nm',
    type: 'integer',
    min: 3,
    max: 180,
    default: 28,
    description: 'Process node (nm) for the area model; areas scale with its square',
    source: "[A] 28 nm, TPU v1's node (Jouppi et al., ISCA 2017)",
  },
  {
    key: 'area.mac_dtype',
    type: 'enum',
    choices: AREA_DATATYPES,
    default: 'int8',
    description: 'Datatype the PEs are built for, which sets the multiplier and accumulator area',
    source: '[A] int8, as TPU v1',
  },
];

export function systolicArea(values: ParamValues): AreaBreakdown {
  const node = values['area.node_nm'] as number;
  const pes = (values['compute.rows'] as number) * (values['compute.cols'] as number);
  const buffers = ['memory.ifmap_sram.capacity', 'memory.filter_sram.capacity', 'memory.ofmap_sram.capacity'].reduce((sum, key) => sum + (values[key] as number), 0);
  const components = { pe_array: pes * peAreaMm2(values['area.mac_dtype'] as AreaDatatype, node), sram: buffers * sramMm2PerByte(node) };
  return {
    totalMm2: components.pe_array + components.sram,
    components,
    note: 'first approximation: PE array and SRAM buffers only (control, vector unit, I/O and DRAM PHY not counted), scaled from TPU v1 (28 nm) and Horowitz (45 nm) by node²',
  };
}
