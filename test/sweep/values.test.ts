// VALUES text (--set PATH=VALUES) and sweep-file value forms.
import { describe, expect, it } from 'vitest';
import { parseValuesText, parseRange } from '../../src/sweep/values.js';
import { parseSweepFile } from '../../src/sweep/sweep-file.js';
import { InputError } from '../../src/spec/errors.js';

const where = { file: '<command line>', keyPath: '--set x' };
const specs = (text: string) => parseValuesText(text, where).map((v) => v.spec);
const params = (text: string) => parseValuesText(text, where).map((v) => v.param);

describe('VALUES text', () => {
  it('reads lists of numbers, words, booleans and quantities', () => {
    expect(specs('32,64,128')).toEqual([32, 64, 128]);
    expect(specs('ws, os')).toEqual(['ws', 'os']);
    expect(specs('true,false')).toEqual([true, false]);
    // A unit on the last item applies to the bare numbers before it.
    expect(params('10,20,40GB/s')).toEqual([10e9, 20e9, 40e9]);
    expect(specs('10,20 MiB')).toEqual(['10MiB', '20 MiB']);
    // Quantities are written into the spec with their unit and recorded SI-resolved.
    expect(parseValuesText('1 MiB,25.6GB/s', where)).toEqual([
      { spec: '1 MiB', param: 1048576 },
      { spec: '25.6GB/s', param: 25.6e9 },
    ]);
  });

  it('expands ranges with an inclusive stop, a step, a unit, float tolerance and geometric steps', () => {
    expect(parseValuesText('17..68:17GB/s', where)).toEqual([
      { spec: '17 GB/s', param: 17e9 },
      { spec: '34 GB/s', param: 34e9 },
      { spec: '51 GB/s', param: 51e9 },
      { spec: '68 GB/s', param: 68e9 },
    ]);
    expect(specs('0.1..0.9:0.1')).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(specs('1..4')).toEqual([1, 2, 3, 4]);
    expect(specs('10..1:-3')).toEqual([10, 7, 4, 1]);
    expect(specs('32..512:*2')).toEqual([32, 64, 128, 256, 512]);
    expect(params('256..1024:x2 KiB')).toEqual([262144, 524288, 1048576]);
    expect(specs('1..3,8,16')).toEqual([1, 2, 3, 8, 16]);
    // A stop that the step does not hit exactly is not overshot.
    expect(specs('0..1:0.3')).toEqual([0, 0.3, 0.6, 0.9]);
    expect(parseRange('ws', where)).toBeUndefined();
  });

  it('rejects empty items, zero steps, unreachable stops, unknown units and duplicates', () => {
    expect(() => specs('32,,64')).toThrow(/empty value/);
    expect(() => specs('1..4:0')).toThrow(/step must not be zero/);
    expect(() => specs('4..1:1')).toThrow(/never reaches/);
    expect(() => specs('1..4:1 furlongs')).toThrow(/unknown unit 'furlongs'/);
    expect(() => specs('32,64,32')).toThrow(/appears twice/);
    expect(() => specs('1 GiB,1073741824B')).toThrow(/appears twice/);
    expect(() => specs('0..1:1e-9')).toThrow(InputError);
  });
});

describe('sweep files', () => {
  it('reads axes in all forms, sampling, count, seed and constraints', () => {
    const file = parseSweepFile(
      [
        'axes:',
        '  compute.rows: [32, 64]',
        '  compute.cols: "16..48:16"',
        '  memory.dram.bandwidth: { from: 17, to: 34, step: 17, unit: GB/s }',
        '  memory.ifmap_sram.capacity: { from: 256, to: 1024, factor: 2, unit: KiB }',
        '  compute.dataflow: { values: [ws, os] }',
        'sampling: latin-hypercube',
        'count: 20',
        'seed: 7',
        'constraints:',
        '  - compute.rows * compute.cols <= 4096',
      ].join('\n'),
      'sweep.yaml',
    );
    expect(file.axes.map((a) => a.path)).toEqual(['compute.rows', 'compute.cols', 'memory.dram.bandwidth', 'memory.ifmap_sram.capacity', 'compute.dataflow']);
    expect(file.axes.map((a) => a.values.map((v) => v.param))).toEqual([[32, 64], [16, 32, 48], [17e9, 34e9], [262144, 524288, 1048576], ['ws', 'os']]);
    expect(file.sampling).toMatchObject({ kind: 'latin-hypercube', count: 20 });
    expect(file.seed).toBe(7);
    expect(file.constraints.map((c) => c.text)).toEqual(['compute.rows * compute.cols <= 4096']);
  });

  it('reports mistakes with file, line and column', () => {
    expect(() => parseSweepFile('axes:\n  compute.rows: [1]\nsamplng: grid\n', 's.yaml')).toThrow(/s\.yaml:3:1: error: samplng: unknown key 'samplng'.*did you mean 'sampling'/);
    expect(() => parseSweepFile('axes:\n  x: { from: 1, too: 3 }\n', 's.yaml')).toThrow(/s\.yaml:2:17: error: axes\.x\.too: unknown key/);
    expect(() => parseSweepFile('sampling: random\n', 's.yaml')).toThrow(/random sampling needs a count/);
    expect(() => parseSweepFile('sampling: lhs\ncount: 3\n', 's.yaml')).toThrow(/'lhs' is not a sampling/);
  });
});
