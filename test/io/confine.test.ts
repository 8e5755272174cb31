// A spec can read only regular files inside its own directory tree (or an --allow-path root),
// with a size cap; every refusal is an InputError at the `mtx:` key that named the file.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkloadFile } from '../../src/io/files.js';
import { allowPathRoots, readBoundedText } from '../../src/io/confine.js';
import { InputError } from '../../src/spec/errors.js';

const MTX = '%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1\n';
let root: string;
let tree: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'accsim-confine-'));
  tree = join(root, 'specs');
  mkdirSync(join(tree, 'matrices'), { recursive: true });
  writeFileSync(join(root, 'outside.mtx'), MTX);
  writeFileSync(join(tree, 'matrices', 'inside.mtx'), MTX);
  symlinkSync(join(root, 'outside.mtx'), join(tree, 'link-out.mtx'));
  symlinkSync(join(tree, 'matrices', 'inside.mtx'), join(tree, 'link-in.mtx'));
  execFileSync('mkfifo', [join(tree, 'pipe.mtx')]);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function refusal(path: string): { line: number; column: number; keyPath: string; message: string } {
  const spec = join(tree, 'w.yaml');
  writeFileSync(spec, `name: t\noperators:\n  - name: s\n    kind: spmv\n    a: { mtx: ${JSON.stringify(path)} }\n`);
  try {
    loadWorkloadFile(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0];
    return { line: issue.position!.line, column: issue.position!.column, keyPath: issue.keyPath, message: issue.message };
  }
  throw new Error(`expected '${path}' to be refused`);
}

describe('mtx: paths in a spec are confined to its tree', () => {
  it.each([
    ['/etc/passwd', /outside the spec's directory/],
    ['../outside.mtx', /outside the spec's directory/],
    ['/dev/zero', /outside the spec's directory/],
    ['link-out.mtx', /a link to .*outside\.mtx\) is outside/],
    ['pipe.mtx', /is a FIFO/],
    ['matrices', /is a directory/],
    ['missing.mtx', /not found/],
  ])('%s is refused at the mtx key', (path, message) => {
    const error = refusal(path);
    expect(error).toMatchObject({ line: 5, column: 15, keyPath: 'operators[0].a.mtx' });
    expect(error.message).toMatch(message);
  });

  it('reads regular files inside the tree, also through a link that stays inside', () => {
    for (const path of ['matrices/inside.mtx', 'link-in.mtx']) {
      writeFileSync(join(tree, 'w.yaml'), `name: t\noperators:\n  - { name: s, kind: spmv, a: { mtx: ${path} } }\n`);
      const op = loadWorkloadFile(join(tree, 'w.yaml')).operators[0] as { a: { kind: string; matrix: { rows: number } } };
      expect(op.a.kind).toBe('mtx');
      expect(op.a.matrix.rows).toBe(2);
    }
  });

  it('--allow-path opens another root', () => {
    expect(refusal('../outside.mtx').message).toMatch(/outside/);
    allowPathRoots([root]);
    writeFileSync(join(tree, 'w.yaml'), 'name: t\noperators:\n  - { name: s, kind: spmv, a: { mtx: ../outside.mtx } }\n');
    expect(loadWorkloadFile(join(tree, 'w.yaml')).operators).toHaveLength(1);
  });
});

describe('readBoundedText', () => {
  const origin = { file: 'w.yaml', position: { line: 3, column: 7 }, keyPath: 'a.mtx' };
  it('refuses a file over the cap before reading it', () => {
    writeFileSync(join(root, 'big.txt'), 'x'.repeat(4096));
    expect(() => readBoundedText(join(root, 'big.txt'), 1024, origin, 'matrix file')).toThrow(/has 4096 bytes \(expected at most 1024 bytes\)/);
  });
  it('bounds a file whose stat size lies (a device reads forever)', () => {
    expect(() => readBoundedText('/dev/zero', 1024, origin, 'matrix file')).toThrow(/is a device/);
    // /proc files report size 0 but have content: the read itself stops at the cap.
    expect(() => readBoundedText('/proc/self/maps', 16, origin, 'matrix file')).toThrow(/more than 16 bytes/);
  });
});
