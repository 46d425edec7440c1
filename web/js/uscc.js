// The unified social credit code (GB 32100-2015) checked in the browser, so that a form shows
// a wrong code together with its other problems before it is sent. The same rules and the same
// detail as the server's check (src/registry/uscc.c), which stays the authority.
import { t } from './i18n.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

// The problem with code s in the interface language, or null when it is a valid code.
export function usccProblem(s) {
  if (s.length !== 18) return t('uscc_len', { n: s.length });
  for (let i = 0; i < 18; i++) {
    if (!ALPHABET.includes(s[i])) return t('uscc_char', { p: i + 1, c: s[i] });
  }
  if (!/^\d{6}$/.test(s.slice(2, 8))) return t('uscc_region');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(s[i]) * WEIGHTS[i];
  const want = ALPHABET[(31 - (sum % 31)) % 31];
  return s[17] === want ? null : t('uscc_check', { want, got: s[17] });
}
