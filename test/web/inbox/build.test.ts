import { describe, expect, it } from 'vitest';
import { buildInboxApp, inboxAppSizes } from '../../../web/inbox/build.ts';

describe('the inbox build', () => {
  it('is index.html and its hashed assets, with no config.json, within 120 KB of gzipped JavaScript', async () => {
    // Act
    const files = await buildInboxApp();
    const sizes = await inboxAppSizes(files);

    // Assess
    const html = String(files.get('index.html'));
    const assets = [...files.keys()].filter((path) => path !== 'index.html');
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^assets\/inbox-[0-9a-f]{10}\.(js|css)$/);
      expect(html).toContain(`"${asset}"`);
    }
    expect(files.has('config.json')).toBe(false);
    expect(sizes.jsBytesGzip).toBeGreaterThan(5_000);
    expect(sizes.jsBytesGzip).toBeLessThan(120 * 1024);
  });

  it('builds the same files from the same source', async () => {
    // Act
    const [first, second] = await Promise.all([buildInboxApp(), buildInboxApp()]);

    // Assess
    expect([...first.keys()]).toEqual([...second.keys()]);
  });
});
