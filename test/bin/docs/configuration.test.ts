import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, renderConfigurationPage, settingRows } from '../../../bin/docs/configuration.ts';

describe('docs/configuration.md', () => {
  const rows = settingRows();

  it('is what `npm run docs` generates from lib/config.ts', () => {
    // Prepare
    const committed = readFileSync(join(PROJECT_ROOT, 'docs/configuration.md'), 'utf8');

    // Act
    const generated = renderConfigurationPage(rows);

    // Assess
    expect(committed, 'docs/configuration.md is stale: run `npm run docs` and commit it').toBe(generated);
  }, 60_000);

  it('gives every setting a meaning, from the comment on its key', () => {
    // Act
    const undocumented = rows.filter((row) => row.meaning === '').map((row) => row.path);

    // Assess
    expect(undocumented, 'add a /** … */ comment on these keys of the schema').toEqual([]);
    expect(rows.length).toBeGreaterThan(80);
  });

  it('reads types, defaults and required settings off the schema', () => {
    // Act
    const byPath = new Map(rows.map((row) => [row.path, row]));

    // Assess
    expect(byPath.get('support.mailDomain')).toMatchObject({ type: 'string', required: true });
    expect(byPath.get('support.firstResponseTargetMinutes')).toMatchObject({
      type: 'integer 1–10080',
      required: false,
      defaultValue: 240,
    });
    expect(byPath.get('reservedConcurrency')?.type).toBe('integer 5–1000 or `false`');
    expect(byPath.get('logLevel')?.type).toBe('one of `DEBUG`, `INFO`, `WARN`, `ERROR`');
    expect(byPath.get('support.faq[].keywords')?.meaning).toMatch(/^Phrases that signal the question/);
    expect(byPath.get('chat.emailAfterMinutes')?.defaultValue).toBe(10);
  });
});
