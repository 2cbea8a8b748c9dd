import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function pages(): string[] {
  const docs = readdirSync(join(PROJECT_ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => `docs/${path}`);
  return ['README.md', ...docs];
}

/** Relative link targets of a Markdown page (`[text](path#anchor)`, `![alt](path)`), resolved from the project root. */
function relativeLinks(page: string): string[] {
  const text = readFileSync(join(PROJECT_ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .map((target) => normalize(join(dirname(page), target.replace(/#.*$/, ''))).replace(/\/$/, ''));
}

describe('the README and docs/', () => {
  it('keep the README short: the pitch, the picture, the quick start, the first deploy, the map', () => {
    // Act
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start')).match(/```sh\n([\s\S]*?)```/)?.[1];

    // Assess
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    expect(quickStart).toBe('npm ci && npm start\nnpm test\n');
    for (const heading of ['## Quick start', '## First deploy', '## Map of docs/'])
      expect(readme).toContain(heading);
  });

  it('link only to files that exist', () => {
    // Act
    const broken = pages().flatMap((page) =>
      relativeLinks(page)
        .filter((target) => !existsSync(join(PROJECT_ROOT, target)))
        .map((target) => `${page} → ${target}`),
    );

    // Assess
    expect(pages().length).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });

  it('has a recipe for every channel, each saying what to set up, the config and how to test it', () => {
    // Prepare
    const recipes = ['email', 'sms', 'whatsapp', 'messenger-instagram', 'voice', 'chat', 'shop'];

    // Act
    const missing = recipes.flatMap((channel) => {
      const path = join(PROJECT_ROOT, `docs/channels/${channel}.md`);
      if (!existsSync(path)) return [`${channel}: no page`];
      const text = readFileSync(path, 'utf8');
      return [
        /^## What to (buy and )?set up outside the stack$/m,
        /^## The config block$/m,
        /^## How to test it$/m,
      ]
        .filter((heading) => !heading.test(text))
        .map((heading) => `${channel}: ${heading.source}`);
    });

    // Assess
    expect(missing).toEqual([]);
  });
});
