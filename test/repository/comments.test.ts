import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Comments say why, in words that stay true: a ticket number means nothing to the next reader
 * and goes stale when the ticket closes. Every comment of the TypeScript sources is read with the
 * compiler's parser, so strings (a Graph API error such as "(#131026) …") are not comments.
 */

const ROOTS = ['functions', 'lib', 'bin', 'local', 'web', 'test'];
const SKIPPED = /(^|\/)(node_modules|dist|fixtures)(\/|$)/;
const TICKET = /\b(issue|ticket|bug)s?\s*#?\d+[a-z]?\b|(^|[\s(])#\d{1,5}\b/i;

function sourceFiles(): string[] {
  return ROOTS.flatMap((root) =>
    readdirSync(join(PROJECT_ROOT, root), { recursive: true, encoding: 'utf8' })
      .filter((path) => /\.(ts|tsx|mts)$/.test(path) && !SKIPPED.test(path))
      .map((path) => `${root}/${path}`),
  );
}

/** Every comment of a file, with its line: the comment ranges around every node the parser sees. */
function commentsOf(text: string): Array<{ line: number; text: string }> {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true);
  const found = new Map<number, { line: number; text: string }>();
  const take = (ranges: readonly ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (found.has(range.pos)) continue;
      const line = source.getLineAndCharacterOfPosition(range.pos).line + 1;
      found.set(range.pos, { line, text: text.slice(range.pos, range.end) });
    }
  };
  const visit = (node: ts.Node): void => {
    take(ts.getLeadingCommentRanges(text, node.getFullStart()));
    take(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.forEachChild(visit);
  };
  visit(source);
  take(ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()));
  return [...found.values()].sort((a, b) => a.line - b.line);
}

describe('comments', () => {
  it('finds a ticket number in a comment and not in a string', () => {
    // Prepare
    const text = "// see issue 8\nconst e = '(#131026) undeliverable';\n/** keys like CUSTOMER#42 */\n";

    // Act
    const flagged = commentsOf(text).filter((c) => TICKET.test(c.text));

    // Assess
    expect(flagged).toEqual([{ line: 1, text: '// see issue 8' }]);
  });

  it('name no issue or ticket numbers anywhere in the sources', () => {
    // Act
    const files = sourceFiles();
    const flagged = files.flatMap((path) =>
      commentsOf(readFileSync(join(PROJECT_ROOT, path), 'utf8'))
        .filter((comment) => TICKET.test(comment.text))
        .map(
          (comment) =>
            `${path}:${comment.line}: ${comment.text
              .split('\n')
              .find((l) => TICKET.test(l))
              ?.trim()}`,
        ),
    );

    // Assess
    expect(files.length).toBeGreaterThan(200);
    expect(flagged, 'say why in words instead of naming the ticket').toEqual([]);
  });
});
