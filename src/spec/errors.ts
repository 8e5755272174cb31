// Errors that reach the user. They are data (code, file, position, key path, expectation, hint)
// so the CLI can print them uniformly and tests can assert on them without parsing text.

export interface SourcePosition {
  line: number; // 1-based
  column: number; // 1-based
}

export interface SpecIssue {
  file: string;
  position?: SourcePosition;
  /** Dotted key path inside the document, e.g. `memory.dram.bandwidth`. Empty for the whole file. */
  keyPath: string;
  message: string;
  expected?: string;
  hint?: string;
}

/** A problem with user input (spec files, CLI options, data files). The CLI exits with code 2. */
export class InputError extends Error {
  readonly issues: SpecIssue[];
  constructor(issues: SpecIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
    this.issues = issues;
  }
}

export function inputError(issue: SpecIssue): InputError {
  return new InputError([issue]);
}

export function formatIssue(issue: SpecIssue): string {
  const where = issue.position ? `${issue.file}:${issue.position.line}:${issue.position.column}` : issue.file;
  const key = issue.keyPath ? ` ${issue.keyPath}:` : '';
  let text = `${where}: error:${key} ${issue.message}`;
  if (issue.expected) text += ` (expected ${issue.expected})`;
  if (issue.hint) text += `; ${issue.hint}`;
  return oneLine(text);
}

/**
 * Every message is one line: a value pasted from a multi-line YAML scalar (or any control
 * character) would otherwise start a continuation line with no file:line:col in front of it.
 */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, '\\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/\t/g, ' ');
}

/** A user value shown inside a message: quoted, on one line, and cut to `max` characters. */
export function quoteValue(value: string, max = 40): string {
  const flat = oneLine(value);
  return `'${flat.length > max ? `${flat.slice(0, max)}…` : flat}'`;
}

/** Damerau-free Levenshtein distance, for "did you mean" hints on misspelled keys. */
export function editDistance(a: string, b: string): number {
  const previous = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest candidate within a distance proportional to the word's length, as a hint. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= limit ? `did you mean '${best}'?` : undefined;
}
