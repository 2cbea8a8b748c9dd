import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './docs/configuration.ts';
import { describeFunctions, renderFunctionsText } from './docs/functions.ts';
import { generatedPages } from './docs/pages.ts';

/**
 * `npm run -s functions [-- --json]`: each Lambda function's entry, environment (with meanings)
 * and ports, read from the code. `npm run docs`: writes the generated pages (docs/configuration.md,
 * docs/environment.md); `npm run docs -- --check` exits 1 when a committed page differs from what
 * the code generates (test/bin/docs.test.ts checks the same in `npm test`).
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const [command, ...flags] = process.argv.slice(2);
if (command === 'functions') {
  const { functions } = describeFunctions();
  console.log(flags.includes('--json') ? JSON.stringify(functions, null, 2) : renderFunctionsText(functions));
} else if (command === 'write') {
  const check = flags.includes('--check');
  let stale = 0;
  for (const [path, content] of Object.entries(generatedPages())) {
    const file = join(PROJECT_ROOT, path);
    let committed = '';
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      // Not written yet: stale.
    }
    if (committed === content) continue;
    stale += 1;
    if (check) console.error(`${path} differs from what the code generates: run npm run docs`);
    else {
      writeFileSync(file, content);
      console.error(`wrote ${path}`);
    }
  }
  process.exitCode = check && stale > 0 ? 1 : 0;
} else {
  console.error('usage: tsx bin/docs.ts functions [--json] | write [--check]');
  process.exitCode = 2;
}
