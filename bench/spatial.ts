// Spatial family: mapper throughput on Timeloop reference case 02's hardware and problem (GEMM
// 64^3 on DRAM -> GLB -> 4x4 PEs), and the EDP it reaches against the hand-written
// output-stationary mapping. Evaluation counts are fixed, so the mapping found is the same on
// every machine; only the seconds vary.
import { performance } from 'node:perf_hooks';
import { loadArchText } from '../src/spec/load-arch.js';
import { loadWorkloadText } from '../src/spec/load-workload.js';
import { configureSpatial } from '../src/families/spatial/config.js';
import { defaultKeep } from '../src/families/spatial/mapping.js';
import { searchMappings } from '../src/families/spatial/mapper.js';
import { problemOf } from '../src/families/spatial/problem.js';
import { simulate } from '../src/core/simulate.js';
import type { GemmOperator } from '../src/core/types.js';
import type { BenchRow } from './harness.js';

const HARDWARE = `family: spatial
storage:
  - { name: DRAM, word_bits: 8, block_size: 8, energy: { read: 512 pJ, write: 512 pJ, update: 512 pJ } }
  - { name: GLB, capacity: 8192, word_bits: 8, block_size: 8, energy: { read: 20 pJ, write: 20 pJ, update: 20 pJ } }
  - { name: RegFile, capacity: 16, word_bits: 8, instances: 16, mesh_x: 4, energy: { read: 0.5 pJ, write: 0.5 pJ, update: 0.5 pJ } }
compute: { name: MAC, instances: 16, mesh_x: 4, energy: { mac: 0.25 pJ } }
`;
const HAND_MAPPING = `mapping:
  - { target: GLB, temporal: "M16 N16", permutation: MN, spatial: "M4 N4", spatial_x: [M], bypass: [output] }
  - { target: RegFile, temporal: K64, keep: [output], bypass: [input, weight] }
`;

export function benchSpatial(): BenchRow[] {
  const workload = loadWorkloadText('name: gemm64\ndtype: int8\noperators:\n  - { name: g, kind: gemm, m: 64, n: 64, k: 64 }\n', 'gemm64.yaml');
  const hand = simulate(loadArchText(HARDWARE + HAND_MAPPING, 'case02.yaml'), workload).operators[0];
  const config = configureSpatial(loadArchText(HARDWARE, 'case02.yaml'));
  const problem = problemOf(workload.operators[0] as GemmOperator);
  const search = (evaluations: number) => searchMappings(config.hardware, problem, { ...config.mapper, evaluations }, defaultKeep(config.hardware, problem))!;
  search(20000); // warm-up (JIT)
  const rows: BenchRow[] = [];
  for (const evaluations of [100000, 300000]) {
    const start = performance.now();
    const found = search(evaluations);
    const seconds = (performance.now() - start) / 1000;
    const edpRatio = (found.evaluation.energyJ * found.evaluation.cycles) / (hand.energy.totalJ * hand.cycles);
    const rate = evaluations / seconds;
    const detail = `${evaluations} mappings`;
    rows.push(
      { name: `mapper search, ${evaluations} mappings`, value: seconds, unit: 's', target: '< 2 s', pass: seconds < 2, detail },
      { name: `mapper rate, ${evaluations} mappings`, value: rate, unit: 'mappings/s', target: '≥ 200000 mappings/s', pass: rate >= 200000, detail },
      { name: `EDP found / hand-written output-stationary EDP, ${evaluations} mappings`, value: edpRatio, unit: '×', target: '≤ 1 ×', pass: edpRatio <= 1, detail },
    );
  }
  return rows;
}
