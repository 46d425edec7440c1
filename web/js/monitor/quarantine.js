// Unregistered devices (未登记设备): frames the gateway kept in quarantine, grouped by MN — an
// unknown MN, a wrong password or a deactivated point. "Register and adopt" creates the
// monitoring point with the MN and password the device sends and then stores its backlog as
// readings; for an MN that is already registered, "adopt" alone takes the backlog.
import { get, post, qs } from '../api.js';
import { t, label, fl, enumOptions } from '../i18n.js';
import { h, pageHead, simpleTable, fmtTime, btn, modal, form, toast, searchSelect } from '../ui.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('quarantine'));
  const box = h('div');
  main.replaceChildren(pageHead(t('quarantine'), btn(t('refresh'), () => load(), { small: true })), box);
  async function adopt(mn) {
    const r = await post('/api/v1/monitor/quarantine/adopt', { mn });
    toast(t('adopted', { n: r.adopted, v: r.values }));
    load();
    return r;
  }
  function registerDialog(row) {
    let ent = null;
    const pick = searchSelect({ name: 'enterprise', testid: 'pick-enterprise', placeholder: t('pick_enterprise'), minChars: 2, labelMode: true,
      search: async (q) => (await get(`/api/v1/enterprises${qs({ q, limit: 20 })}`)).items
        .map((e) => ({ value: e.id, label: e.name, hint: `${e.uscc} · ${e.region_name || ''}` })),
      onPick: (it) => { ent = { id: it.value }; } });
    const f = form({
      cols: 2,
      fields: [
        { name: 'enterprise', label: t('enterprise'), type: 'custom', required: true, span: 2, component: pick },
        { name: 'name', label: fl('name'), required: true, span: 2, testid: 'point-name-input' },
        { name: 'mn', label: 'MN', readOnly: true },
        { name: 'password', label: fl('password'), required: true, maxlength: 6 },
        { name: 'protocol', label: fl('protocol'), type: 'select', options: enumOptions('protocol'), noPlaceholder: true, required: true },
      ],
      values: { mn: row.mn, password: row.pw, protocol: '2017' },
      submitLabel: t('register_adopt'),
      async onSubmit(v) {
        if (!ent) { f.setError('enterprise', t('required')); return; }
        await post(`/api/v1/enterprises/${ent.id}/points`, { mn: row.mn, name: v.name, password: v.password, protocol: v.protocol });
        await adopt(row.mn);
        m.close();
      },
      onCancel: () => m.close(),
    });
    const m = modal({ title: `${t('register_adopt')} · ${row.mn}`, body: f.el, wide: true, testid: 'register-dialog' });
  }
  async function load() {
    const q = await get('/api/v1/monitor/quarantine/summary');
    box.replaceChildren(simpleTable({
      testid: 'quarantine-table',
      columns: [
        { key: 'mn', label: 'MN', cls: 'mono' },
        { key: 'reason', label: t('reason'), render: (r) => label('quarantine_reason', r.reason) },
        { key: 'frames', label: t('frames'), cls: 'num' },
        { key: 'first_at', label: t('first_received'), cls: 'nowrap muted', render: (r) => fmtTime(r.first_at, true) },
        { key: 'last_at', label: t('last_received'), cls: 'nowrap muted', render: (r) => fmtTime(r.last_at, true) },
        { key: 'point_id', label: '', render: (r) => (r.point_id ? h('a', { href: `#/monitor/points/${r.point_id}` }, t('registered')) : '') },
        { key: 'actions', label: t('actions'), cls: 'nowrap', render: (r) => (r.point_id
          ? btn(t('register_adopt').replace(/^登记并|^Register and /, ''), () => adopt(r.mn), { small: true, testid: `adopt-${r.mn}` })
          : btn(t('register_adopt'), () => registerDialog(r), { small: true, primary: true, testid: `register-${r.mn}` })) },
      ],
      rows: q.items,
    }));
  }
  await load();
}
