// User mappings (per level: temporal factors and permutation, spatial factors on X/Y, keep and
// bypass) → the loop list the model evaluates, and mappings back to text: a printed loop nest
// and a YAML mapping list that reproduces the run.

import { didYouMean, inputError } from '../../spec/errors.js';
import type { MappingEntrySpec } from './config.js';
import { fanouts, type Hardware, type Loop, type Mapping } from './model.js';
import type { MapperConstraints } from './mapper.js';
import type { Problem } from './problem.js';

/** Default keep sets: what each level allows, minus its forced bypasses; level 0 keeps all. */
export function defaultKeep(hardware: Hardware, problem: Problem): boolean[][] {
  return hardware.levels.map((level, i) => problem.tensors.map((t) => i === 0 || ((level.keep === undefined || level.keep.includes(t.name)) && !level.bypass.includes(t.name))));
}

export function mappingFromSpec(entries: readonly MappingEntrySpec[], hardware: Hardware, problem: Problem, file: string, keyPath: string): Mapping {
  const keep = defaultKeep(hardware, problem);
  const fan = fanouts(hardware);
  const loops: Loop[] = [];
  hardware.levels.forEach((level, i) => {
    const mine = entries.filter((e) => e.target === level.name);
    const temporal = new Map<number, number>();
    let permutation: number[] = [];
    const spatial: Loop[] = [];
    let x = 1;
    for (const entry of mine) {
      const fail = (message: string, expected?: string, hint?: string) => inputError({ file, position: entry.position, keyPath, message, expected, hint });
      const dimIndex = (name: string): number => {
        const d = problem.dims.indexOf(name);
        if (d < 0) throw fail(`the operator has no dimension '${name}' (mapping target ${entry.target})`, `one of ${problem.dims.join(', ')}`, didYouMean(name, problem.dims));
        return d;
      };
      for (const [name, f] of entry.temporal) temporal.set(dimIndex(name), (temporal.get(dimIndex(name)) ?? 1) * f);
      if (entry.permutation) permutation = entry.permutation.map(dimIndex);
      for (const [name, f] of entry.spatial) {
        const d = dimIndex(name);
        // Explicit X dims go on X; otherwise X until it is full, then Y.
        const onX = entry.spatialX ? entry.spatialX.includes(name) : x * f <= fan[i].x;
        if (onX) x *= f;
        spatial.push({ dim: d, factor: f, level: i, spatial: onX ? 'x' : 'y' });
      }
      for (const [name, f] of entry.spatialY) spatial.push({ dim: dimIndex(name), factor: f, level: i, spatial: 'y' });
      for (const [list, value] of [[entry.keep, true], [entry.bypass, false]] as const) {
        for (const name of list ?? []) {
          const t = problem.tensors.findIndex((tensor) => tensor.name === name);
          if (t < 0) throw fail(`unknown tensor '${name}'`, problem.tensors.map((tensor) => tensor.name).join(', '));
          if (i === 0 && !value) throw fail(`the outermost level ${level.name} cannot bypass ${name}`);
          keep[i][t] = value;
        }
      }
    }
    // Dimensions missing from the permutation are outermost, in problem order.
    const order = [...problem.dims.map((_, d) => d).filter((d) => !permutation.includes(d)), ...permutation];
    for (const d of order) {
      const f = temporal.get(d) ?? 1;
      if (f > 1) loops.push({ dim: d, factor: f, level: i, spatial: undefined });
    }
    loops.push(...spatial.filter((l) => l.factor > 1));
  });
  return { loops, keep };
}

/** Mapper constraints from constraint entries, checked against the problem (positions in errors). */
export function constraintsFromSpec(entries: readonly MappingEntrySpec[], hardware: Hardware, problem: Problem, file: string): MapperConstraints {
  const fan = fanouts(hardware);
  const constraints: MapperConstraints = { fixed: [], innerOrder: hardware.levels.map(() => undefined), keep: hardware.levels.map(() => problem.tensors.map(() => undefined)) };
  const fixedProduct = problem.bounds.map(() => 1);
  for (const entry of entries) {
    const i = hardware.levels.findIndex((l) => l.name === entry.target);
    const fail = (message: string, expected?: string, hint?: string) => inputError({ file, position: entry.position, keyPath: 'constraints', message, expected, hint });
    const dimIndex = (name: string): number => {
      const d = problem.dims.indexOf(name);
      if (d < 0) throw fail(`the operator has no dimension '${name}' (constraint on ${entry.target})`, `one of ${problem.dims.join(', ')}`, didYouMean(name, problem.dims));
      return d;
    };
    const fix = (name: string, factor: number, kind: 't' | 'x' | 'y') => {
      const d = dimIndex(name);
      if (kind !== 't' && (kind === 'x' ? fan[i].x : fan[i].y) <= 1) throw fail(`${entry.target} has no ${kind.toUpperCase()} fan-out for a spatial factor of ${name}`);
      if (factor > 0) {
        fixedProduct[d] *= factor;
        if (problem.bounds[d] % fixedProduct[d] !== 0) throw fail(`fixed factors of ${name} multiply to ${fixedProduct[d]}, which does not divide the bound ${problem.bounds[d]}`);
      }
      constraints.fixed.push({ level: i, kind, dim: d, factor });
    };
    for (const [name, f] of entry.temporal) fix(name, f, 't');
    for (const [name, f] of entry.spatial) fix(name, f, entry.spatialX && !entry.spatialX.includes(name) ? 'y' : 'x');
    for (const [name, f] of entry.spatialY) fix(name, f, 'y');
    if (entry.permutation) constraints.innerOrder[i] = entry.permutation.map(dimIndex);
    for (const [list, value] of [[entry.keep, true], [entry.bypass, false]] as const) {
      for (const name of list ?? []) {
        const t = problem.tensors.findIndex((tensor) => tensor.name === name);
        if (i === 0 && !value) throw fail(`the outermost level ${entry.target} cannot bypass ${name}`);
        constraints.keep[i][t] = value;
      }
    }
  }
  return constraints;
}

/** The mapping as an indented loop nest, one block per storage level with the tiles it keeps. */
export function formatLoopNest(hardware: Hardware, problem: Problem, mapping: Mapping, tiles?: number[][]): string[] {
  const lines: string[] = [];
  let depth = 0;
  hardware.levels.forEach((level, i) => {
    const kept = problem.tensors.map((t, ti) => (mapping.keep[i][ti] ? `${t.name}${tiles ? `:${tiles[i][ti]}` : ''}` : '')).filter(Boolean);
    lines.push(`${'  '.repeat(depth)}${level.name} [${kept.join(' ')}]`);
    for (const loop of mapping.loops) {
      if (loop.level !== i) continue;
      lines.push(`${'  '.repeat(depth)}| for ${problem.dims[loop.dim]} in [0:${loop.factor})${loop.spatial ? ` (spatial-${loop.spatial.toUpperCase()})` : ''}`);
      depth++;
    }
  });
  lines.push(`${'  '.repeat(depth)}${hardware.compute.name}`);
  return lines;
}

/** The mapping as the YAML flow list `mapping:` accepts, so a run can be reproduced. */
export function formatMappingYaml(hardware: Hardware, problem: Problem, mapping: Mapping): string {
  const entries = hardware.levels.map((level, i) => {
    const mine = mapping.loops.filter((l) => l.level === i);
    const temporal = mine.filter((l) => !l.spatial);
    const spatial = mine.filter((l) => l.spatial);
    const parts = [`target: ${level.name}`];
    if (temporal.length) parts.push(`temporal: "${temporal.map((l) => `${problem.dims[l.dim]}${l.factor}`).join(' ')}"`, `permutation: [${temporal.map((l) => problem.dims[l.dim]).join(', ')}]`);
    const onX = spatial.filter((l) => l.spatial === 'x');
    const onY = spatial.filter((l) => l.spatial === 'y');
    if (onX.length) parts.push(`spatial: "${onX.map((l) => `${problem.dims[l.dim]}${l.factor}`).join(' ')}"`, `spatial_x: [${onX.map((l) => problem.dims[l.dim]).join(', ')}]`);
    if (onY.length) parts.push(`spatial_y: "${onY.map((l) => `${problem.dims[l.dim]}${l.factor}`).join(' ')}"`);
    parts.push(`keep: [${problem.tensors.filter((_, t) => mapping.keep[i][t]).map((t) => t.name).join(', ')}]`);
    parts.push(`bypass: [${problem.tensors.filter((_, t) => !mapping.keep[i][t]).map((t) => t.name).join(', ')}]`);
    return `{ ${parts.join(', ')} }`;
  });
  return `[ ${entries.join(', ')} ]`;
}
