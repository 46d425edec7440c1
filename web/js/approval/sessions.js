// Classified collective review sessions (分类集中评审): the sessions with their experts, the
// applications reviewed and the opinion; an approver holds one for applications of one class
// under review (their clocks pause) and closes it with the experts' opinion (the clocks run).
import { get, post, qs } from '../api.js';
import { t, fl, label, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, simpleTable, form, modal, toast, btn, todayISO } from '../ui.js';
import { classLabel } from './common.js';

function sessionDialog(apps, reload) {
  let m;
  const f = form({
    cols: 2, testid: 'session-form', submitLabel: t('ap_session_new'), submitTestid: 'session-submit', values: { kind: 'report', held_on: todayISO() },
    fields: [
      { name: 'title', label: fl('title', 'eia_session'), required: true, maxlength: 200, testid: 'session-title', span: 2 },
      { name: 'kind', label: fl('kind', 'eia_session'), type: 'select', required: true, options: enumOptions('eia_class').filter(([v]) => v === 'report' || v === 'form'), testid: 'session-kind' },
      { name: 'held_on', label: fl('held_on', 'eia_session'), type: 'date', required: true, testid: 'session-date' },
      { name: 'experts', label: t('ap_experts'), type: 'textarea', required: true, rows: 4, maxlength: 3000, testid: 'session-experts', span: 2 },
      { name: 'application_ids', label: t('ap_session_apps'), type: 'checks', required: true, span: 2, testid: 'session-apps',
        options: apps.map((a) => [String(a.id), `#${a.id} ${a.project_name}（${classLabel(a.class)}）`]) },
    ],
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const experts = v.experts.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p[0]).map(([name, title, ...org]) => ({ name, title: title || '', org: org.join(' ') }));
      await post('/api/v1/approval/sessions', { title: v.title, kind: v.kind, held_on: v.held_on, experts, application_ids: (v.application_ids || []).map(Number) });
      m.close();
      toast(t('ap_saved'));
      reload();
    },
  });
  m = modal({ title: t('ap_session_new'), dismissable: false, wide: true, testid: 'session-dialog', body: f.el });
  m.el.querySelector('.modal-foot').hidden = true;
}

function closeDialog(s, reload) {
  let m;
  const f = form({ cols: 1, testid: 'session-close-form', submitLabel: t('ap_session_close'), submitTestid: 'session-close-submit',
    fields: [{ name: 'opinion', label: t('ap_opinion'), type: 'textarea', required: true, rows: 4, maxlength: 4000, testid: 'session-opinion' }],
    onCancel: () => m.close(),
    onSubmit: async (v) => { await post(`/api/v1/approval/sessions/${s.id}/close`, v); m.close(); toast(t('ap_saved')); reload(); } });
  m = modal({ title: `${t('ap_session_close')}：${s.title}`, dismissable: false, testid: 'session-close-dialog', body: f.el });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('ap_sessions_title'));
  const reload = () => render(ctx);
  const [r, open] = await Promise.all([get('/api/v1/approval/sessions'), get(`/api/v1/approval/applications${qs({ state: 'accepted', limit: 100 })}`)]);
  const actions = can('approval.session') ? [btn(t('ap_session_new'), () => sessionDialog(open.items || [], reload), { primary: true, testid: 'session-new' })] : [];
  main.replaceChildren(pageHead(t('ap_sessions_title'), ...actions), simpleTable({
    testid: 'sessions-table', rows: r.items, empty: t('ap_empty'),
    columns: [
      { key: 'held_on', label: fl('held_on', 'eia_session'), cls: 'nowrap' },
      { key: 'title', label: fl('title', 'eia_session'), primary: true },
      { key: 'kind', label: fl('kind', 'eia_session'), render: (s) => classLabel(s.kind) },
      { key: 'experts', label: fl('experts', 'eia_session'), render: (s) => (s.experts || []).map((e) => `${e.name}${e.title ? `（${e.title}）` : ''}`).join('、') },
      { key: 'applications', label: fl('application_ids', 'eia_session'), render: (s) => h('span', {}, (s.applications || []).map((a) => h('a', { href: `#/approval/applications/${a.id}`, style: { marginRight: '6px' } }, a.project_name))) },
      { key: 'opinion', label: fl('opinion', 'eia_session') },
      { key: 'state', label: fl('state', 'eia_session'), render: (s) => h('span', { class: `badge ${s.state === 'open' ? 'amber' : 'gray'}`, 'data-testid': `session-state-${s.id}` }, label('eia_session_state', s.state)) },
      { key: 'id', label: '', render: (s) => (s.state === 'open' && can('approval.session') ? btn(t('ap_session_close'), () => closeDialog(s, reload), { small: true, testid: `session-close-${s.id}` }) : '') },
    ] }));
}
