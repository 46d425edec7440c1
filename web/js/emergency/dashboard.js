// The 工作台 card of an enterprise user: today's heavy-pollution alert covering it (none: no card).
import { t, label } from '../i18n.js';
import { card } from '../platform/dashboard_kit.js';

export function items(d) {
  const e = d.emergency;
  if (!e || !e.level) return [];
  return [{ kind: 'card', rank: { enterprise: 0.9, default: null },
    el: card({ num: label('emergency_level', e.level), lbl: t('em_card', { l: label('emergency_level', e.level) }), href: '#/emergency/mine', testid: 'card-emergency', tone: e.level === 'red' || e.level === 'orange' ? 'red' : 'amber' }) }];
}
