// What the to-do and case pages share: the clock badge and state labels.
import { t } from '../i18n.js';
import { h } from '../ui.js';

const CLOCK_TONE = { on_track: 'green', due_soon: 'amber', overdue: 'red', paused: 'blue', stopped: 'plain', none: 'plain' };

export function clockBadge(state, testid) {
  return h('span', { class: `badge ${CLOCK_TONE[state] || 'plain'}`, 'data-testid': testid, 'data-clock': state }, t(`clock_${state}`));
}

export function stateLabel(s) {
  const k = `cstate_${s}`;
  const v = t(k);
  return v === k ? s : v;
}
