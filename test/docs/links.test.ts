import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every reference in the repository resolves: each relative link and each path named in a *.md file
// or in a code comment must exist, so nothing points at a file that was never committed (or at
// a folder beside the repo).
//
// What counts as a path, so that code, URLs and globs are never flagged:
// - Markdown: the target of every link `[text](target)` that has no scheme and is not `#anchor`
//   (relative to the file, as a renderer resolves it); and every inline code span that is a path-like
//   word (below). Fenced code blocks are code and are not read.
// - Code (.ts/.tsx/.js/.mjs/.cjs via TypeScript's own comment ranges; .py/.sh/.yml/.ci/run via
//   whole-line `#` comments; .css and .html block comments): each path-like word in a comment.
// A path-like word is made of letters, digits and `_ . - /` only (so `node:fs`, `@scope/pkg`, URLs,
// globs, placeholders like `<id>`, absolute paths like `/api/v1` and `~/.config` are not paths), and
// is either `./…` or `../…`; or names a file by a known extension with a folder (docs/vault-format.md);
// or a bare `.md` file; or, in Markdown, a bare file with a known extension; or starts with a folder
// that exists at the root or beside the file (main/core/index.ts, or docs/hoody-api/ from docs/). A first
// folder in capitals (DIR/…) is a placeholder, and a lone folder name (`api/`) is not taken for a
// reference: the docs name sub-folders in context. It resolves if it exists beside the file or from
// the repository's root.

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const EXTENSIONS = new Set(['.md', '.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.txt', '.py', '.sh', '.yml', '.yaml', '.html', '.css']);
const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', 'release', 'test-results', 'playwright-report', 'coverage']);
const CODE = new Set(['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs']);
const HASH_COMMENTED = new Set(['.py', '.sh', '.yml', '.yaml']);
const BLOCK_COMMENTS: Record<string, RegExp> = { '.css': /\/\*([\s\S]*?)\*\//g, '.html': /<!--([\s\S]*?)-->/g };

/** Named in the docs but never in the repository, each for a stated reason. */
const NOT_IN_REPO: Record<string, string> = {
  'lib/vault-crypto.ts': "a file of Hoody's SDK (HoodyNetwork/hoody-sdk), not of this repository",
  'generated/types.ts': "a file of Hoody's SDK (HoodyNetwork/hoody-sdk): its generated API types",
  'settings.json': "in the user's data folder",
  'accounts.json': "in the user's data folder",
  'keyring.json': "in an account's folder in the user's data folder",
  'demo.json': "written by the sandbox into its data folder",
  'out/': 'made by npm run build',
  'test-results/screenshots/': 'made by the tests',
};

type Context = 'markdown' | 'comment';
const PATH_WORD = /^(\.{1,2}\/)?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/?$/;

/** Whether a word is a path reference (see the rules above). */
export function isPathReference(word: string, context: Context, fileDir: string): boolean {
  if (!PATH_WORD.test(word) || /^\.+$/.test(word) || word.includes('//') || word.includes('...') || /^[A-Z]+\//.test(word)) return false;
  if (word.startsWith('./') || word.startsWith('../')) return true;
  const ext = extname(word.replace(/\/$/, ''));
  const hasFolder = word.replace(/\/$/, '').includes('/');
  if (EXTENSIONS.has(ext) && !/^\.[a-z]+$/.test(word)) {
    if (hasFolder || ext === '.md' || context === 'markdown') return true;
  }
  if (hasFolder) {
    const first = word.split('/')[0]!;
    return existsSync(join(ROOT, first)) || existsSync(join(fileDir, first));
  }
  return false;
}

/** Whether it exists inside the repository (a path that climbs out of it never resolves). */
const resolves = (ref: string, fileDir: string, linkOnly = false): boolean => {
  const clean = ref.replace(/#.*$/, '').replace(/\/$/, '');
  if (clean === '') return true;
  const inRepo = (path: string) => (path === ROOT || path.startsWith(`${ROOT}/`)) && existsSync(path);
  return inRepo(resolve(fileDir, clean)) || (!linkOnly && inRepo(resolve(ROOT, clean)));
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name) || (name.startsWith('.') && name !== '.ci')) continue;
    const path = join(dir, name);
    // Symbolic links are not followed (node_modules may be one); a file that vanished meanwhile is skipped.
    const stat = (() => {
      try {
        return lstatSync(path);
      } catch {
        return undefined;
      }
    })();
    if (stat?.isDirectory()) walk(path, out);
    else if (stat?.isFile()) out.push(path);
  }
  return out;
}

/** Inline code spans, link targets and `.md` names in the prose of a Markdown text, outside fenced blocks. */
export function markdownReferences(text: string): { spans: string[]; links: string[] } {
  const outsideFences = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const spans = [...outsideFences.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.trim());
  const withoutSpans = outsideFences.replace(/`[^`\n]+`/g, ' ');
  const links = [...withoutSpans.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  const prose = withoutSpans.replace(/\]\([^)]*\)/g, '] ');
  const documents = words(prose).filter((w) => w.endsWith('.md'));
  return { spans: [...spans, ...documents], links: links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l) && !l.startsWith('#')) };
}

/** The words of every comment of a JS/TS source, found by TypeScript's scanner (so never inside a string). */
export function codeCommentWords(text: string, fileName: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const seen = new Map<number, string>();
  const collect = (ranges: ts.CommentRange[] | undefined) => ranges?.forEach((r) => seen.set(r.pos, text.slice(r.pos, r.end)));
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return [...seen.values()].flatMap(words);
}

const words = (comment: string): string[] =>
  comment
    .split(/\s+/)
    .map((w) => w.replace(/^[`'"([{<*]+/, '').replace(/[`'"),\]}>:;!?*.]+$/, ''))
    .filter(Boolean);

interface Finding {
  file: string;
  ref: string;
  kind: 'link' | 'path';
}

function scan(): { checked: Finding[]; missing: Finding[]; allowed: Finding[] } {
  const checked: Finding[] = [];
  const missing: Finding[] = [];
  const allowed: Finding[] = [];
  for (const path of walk(ROOT)) {
    const file = relative(ROOT, path);
    const ext = extname(path);
    const dir = dirname(path);
    const text = () => readFileSync(path, 'utf8');
    const check = (ref: string, kind: 'link' | 'path') => {
      const finding = { file, ref, kind };
      if (kind === 'path' && NOT_IN_REPO[ref]) return allowed.push(finding);
      checked.push(finding);
      if (!resolves(ref, dir, kind === 'link')) missing.push(finding);
    };
    if (ext === '.md') {
      const { spans, links } = markdownReferences(text());
      links.forEach((link) => check(link, 'link'));
      spans.filter((s) => isPathReference(s, 'markdown', dir)).forEach((s) => check(s, 'path'));
    } else if (CODE.has(ext) && !file.startsWith('docs/')) {
      codeCommentWords(text(), path)
        .filter((w) => isPathReference(w, 'comment', dir))
        .forEach((w) => check(w, 'path'));
    } else if (BLOCK_COMMENTS[ext]) {
      [...text().matchAll(BLOCK_COMMENTS[ext])]
        .flatMap((m) => words(m[1]!))
        .filter((w) => isPathReference(w, 'comment', dir))
        .forEach((w) => check(w, 'path'));
    } else if (HASH_COMMENTED.has(ext) || file === join('.ci', 'run')) {
      const comments = text()
        .split('\n')
        .filter((line) => /^\s*#(?!!)/.test(line));
      comments
        .flatMap(words)
        .filter((w) => isPathReference(w, 'comment', dir))
        .forEach((w) => check(w, 'path'));
    }
  }
  return { checked, missing, allowed };
}

describe('references in the repository', () => {
  it('tells paths from code, URLs, globs and placeholders', () => {
    const docs = join(ROOT, 'docs');
    const paths = ['../../outside/api.md', '../outside/api.md', 'DESIGN.md', 'seed/users-activity-vault-api.txt', 'hoody-enc1-vectors.json', 'docs/vault-format.md', 'main/cli', '.ci/run', 'hoody-api/hoody-api.md'];
    for (const word of paths) expect([word, isPathReference(word, 'markdown', docs)]).toEqual([word, true]);
    const notPaths = ['https://api.hoody.com/x.md', 'text/plain', 'docs/*.md', '/api/v1/vault', 'node:crypto', '@scure/base', 'and/or', '~/.config/hoody-vault', 'accounts/<hash>/', 'hdy_…', 'a.b.c', 'window.hoody', '...', '.md', 'DIR/demo.json', 'api/'];
    for (const word of notPaths) expect([word, isPathReference(word, 'markdown', docs)]).toEqual([word, false]);
    // In a comment, a bare source file name is a word, not a reference; a document still is one.
    expect(isPathReference('vault-service.ts', 'comment', ROOT)).toBe(false);
    expect(isPathReference('DESIGN.md', 'comment', ROOT)).toBe(true);
    expect(markdownReferences('see [a](x.md#y), [b](https://h/z.md), `c/d.ts`\n```\n`e/f.ts`\n```\n').spans).toEqual(['c/d.ts']);
    expect(words('(see ../outside/api.md). And `docs/a.md`,')).toEqual(['see', '../outside/api.md', 'And', 'docs/a.md']);
    expect(markdownReferences('## Format (see DESIGN.md for ours)').spans).toEqual(['DESIGN.md']);
    expect(markdownReferences('see [a](x.md#y), [b](https://h/z.md), [c](#top)').links).toEqual(['x.md#y']);
    const comments = codeCommentWords("const u = 'https://x/y.md'; // see docs/a.md\n/* and ../b.ts, text/plain */ const s = '// not/a.md';", 'x.ts');
    expect(comments.filter((w) => isPathReference(w, 'comment', ROOT))).toEqual(['docs/a.md', '../b.ts']);
  });

  it('a path that climbs out of the repository does not resolve, even if it exists on this machine', () => {
    expect(resolves('../README.md', join(ROOT, 'docs'))).toBe(true);
    expect(resolves('..', ROOT)).toBe(false);
    const outside = join(tmpdir(), `hv-links-${process.pid}.md`);
    writeFileSync(outside, 'outside the repository');
    try {
      expect(resolves(relative(ROOT, outside), ROOT)).toBe(false);
    } finally {
      rmSync(outside);
    }
  });

  it('every relative link and path in *.md files and code comments exists', () => {
    const { checked, missing, allowed } = scan();
    const byFile = new Map<string, string[]>();
    for (const f of checked) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.kind === 'link' ? `[${f.ref}]` : f.ref]);
    console.log(
      [
        `checked ${checked.length} references in ${byFile.size} files:`,
        ...[...byFile].map(([file, refs]) => `  ${file}: ${refs.join(', ')}`),
        `not in the repository by design: ${allowed.map((f) => `${f.ref} (${f.file}: ${NOT_IN_REPO[f.ref]})`).join('; ')}`,
      ].join('\n'),
    );
    expect(checked.length).toBeGreaterThan(50);
    expect(missing.map((f) => `${f.file}: ${f.ref}`)).toEqual([]);
  });
});
