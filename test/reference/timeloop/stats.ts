// Reads the counters of a Timeloop v3 `timeloop-model.stats.txt`: per storage level and data space
// the per-instance scalar reads/fills/updates, utilised capacity and instances and total energy;
// per level cycles and bandwidth throttling; the MAC's computes and energy; the summary.

export interface TimeloopTensorStats {
  reads: number;
  fills: number;
  updates: number;
  capacity: number;
  instances: number;
  energyPJ: number;
}

export interface TimeloopLevelStats {
  cycles: number;
  throttling: number;
  tensors: Record<string, TimeloopTensorStats>;
}

export interface TimeloopStats {
  levels: Record<string, TimeloopLevelStats>;
  compute: { name: string; computes: number; energyPJ: number };
  cycles: number;
  utilization: number;
}

export function parseTimeloopStats(text: string): TimeloopStats {
  const levels: Record<string, TimeloopLevelStats> = {};
  let compute = { name: '', computes: 0, energyPJ: 0 };
  let current: string | undefined;
  let isCompute = false;
  let tensor: TimeloopTensorStats | undefined;
  let inNetworks = false;
  let summary = false;
  let cycles = 0;
  let utilization = 0;
  const value = (line: string) => Number(line.split(':')[1].trim().split(/\s+/)[0]);
  for (const line of text.split('\n')) {
    if (/^Networks/.test(line)) inNetworks = true;
    if (/^Summary Stats/.test(line)) summary = true;
    if (summary) {
      if (/^Cycles:/.test(line)) cycles = value(line);
      if (/^Utilization:/.test(line)) utilization = value(line);
      continue;
    }
    if (inNetworks) continue;
    const header = /^=== (.+) ===$/.exec(line);
    if (header) {
      current = header[1];
      isCompute = false;
      tensor = undefined;
      continue;
    }
    if (!current) continue;
    if (/^\s+Computes \(total\)/.test(line)) {
      isCompute = true;
      compute = { name: current, computes: value(line), energyPJ: 0 };
    }
    if (isCompute) {
      if (/^\s+Energy \(total\)/.test(line)) compute.energyPJ = value(line);
      continue;
    }
    const level = (levels[current] ??= { cycles: 0, throttling: 1, tensors: {} });
    const tensorHeader = /^ {4}(\w+):\s*$/.exec(line);
    if (tensorHeader) {
      tensor = level.tensors[tensorHeader[1]] = { reads: 0, fills: 0, updates: 0, capacity: 0, instances: 0, energyPJ: 0 };
      continue;
    }
    if (/^ {4}Cycles\s+:/.test(line)) level.cycles = value(line);
    if (/^ {4}Bandwidth throttling/.test(line)) level.throttling = value(line);
    if (!tensor) continue;
    const key = line.trim().split(/\s+:/)[0].trim();
    if (key === 'Scalar reads (per-instance)') tensor.reads = value(line);
    if (key === 'Scalar fills (per-instance)') tensor.fills = value(line);
    if (key === 'Scalar updates (per-instance)') tensor.updates = value(line);
    if (key === 'Utilized capacity') tensor.capacity = value(line);
    if (key === 'Utilized instances (max)') tensor.instances = value(line);
    if (key === 'Energy (total)') tensor.energyPJ = value(line);
  }
  delete levels[compute.name]; // its first lines come before the line that shows it is the compute level
  return { levels, compute, cycles, utilization };
}
