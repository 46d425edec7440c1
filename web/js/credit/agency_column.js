// The agency register's 信用等级 column (registry/agencies.js loads every module's agencyColumns):
// the grades of the agencies are read once per page of the register and filled into the cells.
import { get } from '../api.js';
import { t } from '../i18n.js';
import { h, modal } from '../ui.js';
import { gradeBadge } from './shared.js';

async function openCredit(agency, onChange) {
  const box = h('div', { class: 'credit-agency' });
  const m = modal({ title: `${t('cr_title')} · ${agency.name || ''}`, body: box, wide: true, testid: 'agency-credit-dialog' });
  const { renderCredit } = await import('./tab.js');
  await renderCredit('agency', agency, box, () => box.isConnected, onChange);
  return m;
}

export function agencyColumn() {
  const cells = new Map();
  let grades = null;
  const load = async () => {
    const r = await get('/api/v1/credit/subjects?kind=agency&limit=500');
    grades = new Map(r.items.map((x) => [x.id, x]));
  };
  // after a write in the dialog: the register's cells show the new grade
  const refresh = () => load().then(() => fill()).catch(() => {});
  const fill = () => {
    for (const [id, el] of cells) {
      const g = grades?.get(id);
      // the grade opens the agency's credit (history, events; the legal section files events there)
      const open = h('button', { type: 'button', class: 'linkish', 'data-testid': `agency-credit-${id}`, onclick: () => openCredit(g || { id }, refresh) },
        g?.grade ? gradeBadge(g.grade, null, `agency-grade-${id}`) : h('span', { class: 'muted' }, t('cr_none')),
        g && g.score !== null && g.score !== undefined ? h('span', { class: 'muted' }, ` ${g.score}`) : null);
      el.replaceChildren(open);
    }
  };
  return {
    column: { key: 'credit_grade', label: t('cr_grade'), cls: 'nowrap', render: (r) => { const el = h('span'); cells.set(r.id, el); return el; } },
    async onLoad(page) {
      const ids = new Set((page.items || []).map((r) => r.id));
      for (const id of [...cells.keys()]) if (!ids.has(id)) cells.delete(id);
      if (!grades) await load();
      fill();
    },
  };
}
