import { dateTime } from './format.ts';
import { channelName, type Strings, type UiLanguage } from './i18n.ts';
import type { Reachability } from './types.ts';

/** The warnings an agent reads before sending on `entry`'s channel. */
export function reachWarnings(t: Strings, lang: UiLanguage, entry: Reachability | undefined): string[] {
  if (!entry) return [];
  const warnings: string[] = [];
  if (entry.reason === 'window-closed') {
    const then =
      entry.fallback === 'template'
        ? t.willSendTemplate
        : entry.fallback
          ? `${t.willFallBack} ${channelName(lang, entry.fallback)}.`
          : '';
    warnings.push(`${t.windowClosed}: ${then}`.trim());
  } else if (entry.windowClosesAt) {
    warnings.push(`${t.windowClosesAt} ${dateTime(lang, entry.windowClosesAt)}.`);
  }
  if (entry.reason === 'opted-out') warnings.push(t.optedOut);
  if (entry.reason === 'no-address') warnings.push(t.noAddress);
  if (entry.reason === 'not-configured') warnings.push(t.notConfigured);
  if (entry.quietHoursUntil) warnings.push(`${t.quietHours} ${dateTime(lang, entry.quietHoursUntil)}.`);
  return warnings;
}
