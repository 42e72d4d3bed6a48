import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';

/*
 * The user documents stay true to the code: docs/api.md lists every error code of shared/errors.ts
 * with its status, every code it lists is expected by some test, every route of the route table
 * has its section, links stay inside the repository and resolve, and the README stays a short
 * user's document.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function files(dir: string, suffix: string): string[] {
  const absolute = join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'node_modules' ? [] : files(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

const API = read('docs/api.md');

/** Documents that are linked before they exist: written with the work they describe. */
const PLANNED_DOCUMENTS = new Set(['docs/architecture.md']);
const USER_DOCUMENTS = ['README.md', ...files('docs', '.md')];

/** The `ErrorCode` union of shared/errors.ts, read from its source. */
function errorCodes(): string[] {
  const source = read('shared/errors.ts');
  const union = /export type ErrorCode =([^;]+);/.exec(source)?.[1] ?? '';
  return [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] ?? '');
}

/** Rows of the "Error codes" table of docs/api.md: code → status. */
function documentedCodes(): Map<string, number> {
  const section = API.split('### Error codes')[1]?.split('\n### ')[0] ?? '';
  const rows = new Map<string, number>();
  for (const match of section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm))
    rows.set(match[1] ?? '', Number(match[2]));
  return rows;
}

/**
 * Codes the document lists although no test expects them yet. Each entry says why; an entry
 * stays only as long as its reason holds.
 */
const NOT_YET_PRODUCED: Readonly<Record<string, string>> = {};

describe('docs/api.md', () => {
  it('lists every error code of shared/errors.ts with its status, and nothing else', () => {
    const codes = errorCodes();
    expect(codes.length).toBeGreaterThan(10);
    const documented = documentedCodes();
    for (const code of codes) {
      expect(documented.get(code), `${code} in docs/api.md`).toBe(new AppError(code as never, '').statusCode);
    }
    expect([...documented.keys()].sort()).toEqual([...codes].sort());
  });

  it('lists only codes that some test expects', () => {
    const tests = files('test', '.ts')
      .filter((path) => !path.startsWith(join('test', 'docs')))
      .map((path) => read(path))
      .join('\n');
    const unproduced = [...documentedCodes().keys()].filter(
      (code) => !new RegExp(`['"\`]${code}['"\`]`).test(tests) && !(code in NOT_YET_PRODUCED),
    );
    expect(unproduced).toEqual([]);
  });

  it('has a section for every route of the route table', () => {
    // The route table's entries, wherever it lives: `method: 'X', path: '/v1/...'` objects.
    const sources = [...files('infra', '.ts'), ...files('shared', '.ts')].map(read).join('\n');
    const routes = [...sources.matchAll(/method:\s*'(GET|POST|PUT|DELETE)',\s*path:\s*'(\/v1[^']*)'/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(routes.length).toBeGreaterThan(25);
    const headings = new Set(
      [...API.matchAll(/^### `(GET|POST|PUT|DELETE) ([^`?]+)(?:\?[^`]*)?`$/gm)].map((m) => `${m[1]} ${m[2]}`),
    );
    const missing = [...new Set(routes)].filter((route) => !headings.has(route));
    expect(missing).toEqual([]);
  });

  it('states the formats the error messages quote', () => {
    for (const phrase of ['no `+86`', 'the birth date as `YYYYMMDD`', 'except I, O, S, V, Z', '`reasons`'])
      expect(API).toContain(phrase);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (match[1] ?? '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    anchors.add(slug);
  }
  return anchors;
}

describe('user documents', () => {
  it('link only inside the repository, to files and headings that exist', () => {
    const broken: string[] = [];
    for (const document of USER_DOCUMENTS) {
      const text = read(document);
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1] ?? '';
        if (/^[a-z]+:/i.test(target)) {
          broken.push(`${document}: ${target} leaves the repository`);
          continue;
        }
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? join(ROOT, document) : resolve(ROOT, dirname(document), path);
        if (PLANNED_DOCUMENTS.has(relative(ROOT, file))) continue;
        if (relative(ROOT, file).startsWith('..') || !existsSync(file)) {
          broken.push(`${document}: ${target} is not a file of the repository`);
          continue;
        }
        if (anchor && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor))
          broken.push(`${document}: #${anchor} is not a heading of ${relative(ROOT, file)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('describe the product, not the history of its making', () => {
    for (const document of USER_DOCUMENTS) {
      expect(read(document), document).not.toMatch(/\bissues?\s*#?\d+|\(#\d+\)|\bsessions?\s+\d+/i);
    }
  });

  it('keep the README a short user document', () => {
    expect(Buffer.byteLength(read('README.md'))).toBeLessThan(12 * 1024);
    for (const doc of ['api', 'local', 'deploy', 'operations', 'performance', 'security'])
      expect(existsSync(join(ROOT, 'docs', `${doc}.md`)), `docs/${doc}.md`).toBe(true);
  });
});
