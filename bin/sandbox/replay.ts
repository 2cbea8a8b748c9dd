import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxEngine, SIDECAR_SUFFIXES } from './engine.ts';
import type { Report } from './report.ts';

/**
 * Processes every file of `dir` in name order on a fresh sandbox, draining every queue after
 * each, and returns the report. Sidecar files travel with the event file they belong to.
 */
export async function replay(dir: string, options: { now?: Date } = {}): Promise<Report> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const present = new Set(names);
  const engine = await SandboxEngine.start({ now: options.now });
  try {
    for (const name of names) {
      if (SIDECAR_SUFFIXES.some((suffix) => name.endsWith(suffix))) continue;
      // `12-virus.eml` → `12-virus.verdicts.json`; `04-forged.meta.json` → `04-forged.headers.json`
      // (or `04-forged.meta.headers.json`).
      const stems = [name.replace(/\.[a-z-]+\.json$/, ''), name.replace(/\.[^.]+$/, '')];
      const sidecar = async (suffix: string) => {
        const stem = stems.find((s) => present.has(`${s}${suffix}`));
        return stem === undefined ? undefined : readFile(join(dir, `${stem}${suffix}`));
      };
      await engine.processEvent(name, await readFile(join(dir, name)), {
        verdicts: await sidecar('.verdicts.json'),
        headers: await sidecar('.headers.json'),
        identity: await sidecar('.identity.json'),
      });
    }
    return await engine.report();
  } finally {
    await engine.stop();
  }
}
