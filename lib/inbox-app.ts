import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The built inbox as web/inbox/build.ts returns it: relative path → content, index.html included. */
export type { InboxAppFiles } from '../web/inbox/build.ts';

import type { InboxAppFiles } from '../web/inbox/build.ts';

/**
 * Writes the built inbox to a fresh directory for the stack to deploy, at synth time: the build is
 * fast and offline, so nothing built is committed or has to exist beforehand. A path that would
 * leave the directory, or a build without index.html, is refused: the deployment would be broken.
 */
export function writeInboxApp(files: InboxAppFiles, directory?: string): string {
  if (!files.has('index.html')) throw new Error('the built inbox has no index.html');
  const root = resolve(directory ?? mkdtempSync(join(tmpdir(), 'switchboard-inbox-')));
  for (const [path, content] of files) {
    const target = resolve(root, path);
    const inside = relative(root, target);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new Error(`the built inbox names a file outside its directory: ${path}`);
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}
