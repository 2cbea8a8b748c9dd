import { describe, expect, it } from 'vitest';
import { measureFunctions } from './bundles.ts';

describe('measureFunctions', () => {
  it('measures only the named handlers, bytes alone when no init runs are asked for', async () => {
    // Act
    const figures = await measureFunctions(0, ['meta-webhook']);

    // Assess
    expect(Object.keys(figures)).toEqual(['meta-webhook']);
    expect(figures['meta-webhook']?.bundleBytes).toBeGreaterThan(0);
    expect(figures['meta-webhook']?.topContributors).toHaveLength(5);
    expect(figures['meta-webhook']?.initMs).toBe(0);
  }, 60_000);

  it('refuses a handler that does not exist', async () => {
    // Act
    const attempt = measureFunctions(0, ['no-such-handler']);

    // Assess
    await expect(attempt).rejects.toThrow('no handler named no-such-handler');
  });
});
