import { renderConfigurationPage } from './configuration.ts';
import { describeFunctions, renderEnvironmentPage } from './functions.ts';

/** The pages `npm run docs` writes: path under the project → content. */
export function generatedPages(): Record<string, string> {
  return {
    'docs/configuration.md': renderConfigurationPage(),
    'docs/environment.md': renderEnvironmentPage(describeFunctions().functions),
  };
}
