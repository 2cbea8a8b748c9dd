import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInboxApp } from '../../lib/inbox-app.ts';
import { buildInboxApp } from '../../web/inbox/build.ts';

describe('writeInboxApp', () => {
  it('writes every built file under a fresh directory, keeping subfolders and bytes', () => {
    // Prepare
    const files = new Map<string, string | Uint8Array>([
      ['index.html', '<!doctype html><title>Inbox</title>'],
      ['assets/app-1a2b.js', 'export {};'],
      ['assets/icon.png', new Uint8Array([137, 80, 78, 71])],
    ]);

    // Act
    const directory = writeInboxApp(files);

    // Assess
    try {
      expect(readFileSync(join(directory, 'index.html'), 'utf8')).toBe('<!doctype html><title>Inbox</title>');
      expect(readFileSync(join(directory, 'assets/app-1a2b.js'), 'utf8')).toBe('export {};');
      expect([...readFileSync(join(directory, 'assets/icon.png'))]).toEqual([137, 80, 78, 71]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it.each([['../escape.js'], ['/etc/escape.js'], ['assets/../../escape.js']])(
    'refuses a file that would land outside the directory (%s)',
    (path) => {
      // Prepare
      const files = new Map([
        ['index.html', '<!doctype html>'],
        [path, 'x'],
      ]);

      // Act / Assess
      expect(() => writeInboxApp(files)).toThrow(/outside its directory/);
    },
  );

  it('writes the real build: the page and the hashed assets it names', async () => {
    // Prepare
    const files = await buildInboxApp();

    // Act
    const directory = writeInboxApp(files);

    // Assess
    try {
      const page = readFileSync(join(directory, 'index.html'), 'utf8');
      const assets = readdirSync(join(directory, 'assets'));
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        expect(asset).toMatch(/-[0-9a-f]{6,}\.[a-z]+$/);
        expect(page).toContain(`assets/${asset}`);
      }
      expect(files.has('config.json')).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses a build without index.html', () => {
    // Act / Assess
    expect(() => writeInboxApp(new Map([['app.js', 'x']]))).toThrow(/no index.html/);
  });
});
