import { describe, expect, it } from 'vitest';
import { foldKeyword, matchSmsKeyword } from '../../../functions/channels/sms/keywords.ts';

describe('matchSmsKeyword', () => {
  it.each([
    'STOP',
    'stop',
    'Stop.',
    ' STOP! ',
    'STOPALL',
    'stop all',
    'UNSUBSCRIBE',
    'Cancel',
    'END',
    'quit',
    'OPTOUT',
    'OPT-OUT',
    'opt out',
    'REVOKE',
    'ARRET',
    'Arrêt',
    'IPTAL',
    'İPTAL',
    'iptal',
    'İptal',
    'ıptal',
    // Full-width and other compatibility forms fold to the keyword (NFKC).
    'ＳＴＯＰ',
    'ｓｔｏｐ',
    'ＩＰＴＡＬ',
    'ＳＴＯＰ！',
  ])('%j opts out', (text) => {
    // Act
    const keyword = matchSmsKeyword(text);

    // Assess
    expect(keyword?.action).toBe('opt-out');
  });

  it.each(['START', 'start', 'UNSTOP', 'Yes', 'YES!'])('%j opts in', (text) => {
    // Act / Assess
    expect(matchSmsKeyword(text)?.action).toBe('opt-in');
  });

  it.each(['HELP', 'help', 'Help?'])('%j asks for help', (text) => {
    // Act / Assess
    expect(matchSmsKeyword(text)?.action).toBe('help');
  });

  it.each([
    'Please stop sending me ads',
    'stop it',
    'Yes I want to order',
    'iptal etmek istiyorum',
    `START ${'x'.repeat(40)}`,
    '',
    'STOPP',
  ])('%j is a message for a person, not a keyword', (text) => {
    // Act / Assess
    expect(matchSmsKeyword(text)).toBeUndefined();
  });

  it('folds Turkish dotted and dotless I to the same keyword', () => {
    // Act
    const folded = ['İPTAL', 'iptal', 'ıptal', 'IPTAL'].map(foldKeyword);

    // Assess
    expect(new Set(folded)).toEqual(new Set(['IPTAL']));
  });
});
