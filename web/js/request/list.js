// The staff queue (#/requests): requests and complaints within the user's area, filtered by
// state, kind, category, channel and deadline (due soon, overdue), searched by tracking code or
// text, paged; possible repeats flagged with a link to the original. Staff log hotline calls
// and visits here.
import { get, post, qs } from '../api.js';
import { t, fl, enumOptions } from '../i18n.js';
import { h, pageHead, dataTable, selectEl, searchBox, fmtTime, btn, modal, form, toast } from '../ui.js';
import { L, stateBadge, clockBadge, CATEGORIES } from './common.js';
import { allRegions } from '../codes.js';

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('rq_title'));
  const reload = () => table.reload();
  const state = selectEl({ name: 'state', testid: 'filter-state', value: query.get('state') || '', placeholder: t('rq_all_states'), options: enumOptions('request_state').filter(([v]) => v !== 'extension_requested' && v !== 'reopened'), onChange: reload });
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', value: '', placeholder: t('rq_all_kinds'), options: enumOptions('request_kind'), onChange: reload });
  const cat = selectEl({ name: 'category', testid: 'filter-category', value: '', placeholder: t('rq_all_categories'), options: enumOptions('request_category'), onChange: reload });
  const channel = selectEl({ name: 'channel', testid: 'filter-channel', value: '', placeholder: t('rq_all_channels'), options: enumOptions('request_channel'), onChange: reload });
  const clock = selectEl({ name: 'clock', testid: 'filter-clock', value: query.get('clock') || '', placeholder: t('rq_all_clocks'),
    options: ['due_soon', 'overdue', 'on_track'].map((c) => [c, t(`rq_clock_${c}`)]), onChange: reload });
  let q = '';
  const search = searchBox({ placeholder: t('rq_search'), testid: 'request-search', onSearch: (v) => { q = v; reload(); } });
  const table = dataTable({
    testid: 'request-table',
    toolbar: [state, kind, cat, channel, clock, search],
    sort: '-received_at',
    fetch: async (p) => {
      const offset = Number(p.cursor || 0);
      const r = await get(`/api/v1/requests${qs({ state: state.value || undefined, kind: kind.value || undefined, category: cat.value || undefined,
        channel: channel.value || undefined, clock: clock.value || undefined, q: q || undefined, sort: p.sort || undefined, limit: p.limit, offset })}`);
      const next = offset + r.items.length;
      return { items: r.items, total: r.total, next_cursor: next < r.total ? String(next) : null };
    },
    onRow: (r) => ctx.navigate(`/requests/${r.id}`),
    rowTestid: (r) => `request-row-${r.id}`,
    columns: [
      { key: 'tracking_code', label: fl('tracking_code', 'request'), cls: 'nowrap', sort: 'tracking_code', render: (r) => h('a', { href: `#/requests/${r.id}`, 'data-testid': `request-open-${r.id}` }, r.tracking_code) },
      { key: 'title', label: fl('title', 'request'), primary: true, render: (r) => [r.title, r.repeat_of ? h('a', { class: 'badge amber', href: `#/requests/${r.repeat_of}`, style: { marginLeft: '6px' }, title: t('rq_repeat') }, t('rq_repeat')) : ''] },
      { key: 'category', label: fl('category', 'request'), sort: 'category', render: (r) => L('request_category', r.category) },
      { key: 'channel', label: fl('channel', 'request'), render: (r) => L('request_channel', r.channel) },
      { key: 'region_name', label: fl('region_code', 'request'), render: (r) => r.region_name || r.enterprise_name || '' },
      { key: 'received_at', label: fl('received_at', 'request'), cls: 'nowrap', sort: 'received_at', render: (r) => fmtTime(r.received_at) },
      { key: 'state', label: fl('state', 'request'), sort: 'state', render: (r) => stateBadge(r.state, `request-state-${r.id}`) },
      { key: 'due_at', label: t('rq_due'), cls: 'nowrap', sort: 'due_at', render: (r) => [r.due_at ? fmtTime(r.due_at) : '', ' ', clockBadge(r.clock)] },
    ],
  });
  const newCall = btn(t('rq_new_call'), () => callDialog(ctx, reload), { testid: 'new-call' });
  main.replaceChildren(pageHead(t('rq_title'),
    h('a', { class: 'btn', href: '#/requests/map' }, t('rq_map')), h('a', { class: 'btn', href: '#/requests/stats' }, t('rq_stats')), newCall), table.el);
}

async function callDialog(ctx, done) {
  const regions = await allRegions();
  let m;
  const f = form({
    idPrefix: 'call-',
    fields: [
      { name: 'channel', label: fl('channel', 'request'), type: 'select', required: true, noPlaceholder: true, options: ['hotline_12369', 'hotline_local', 'visit'].map((c) => [c, L('request_channel', c)]), testid: 'call-channel' },
      { name: 'category', label: fl('category', 'request'), type: 'select', required: true, options: CATEGORIES.map((c) => [c, L('request_category', c)]), testid: 'call-category' },
      { name: 'description', label: fl('description', 'request'), type: 'textarea', required: true, span: 2, maxlength: 4000, testid: 'call-description' },
      { name: 'address', label: fl('address', 'request'), span: 2, maxlength: 400, testid: 'call-address' },
      { name: 'region_code', label: fl('region_code', 'request'), type: 'select', options: regions.items.filter((x) => x.code.length === 6).map((x) => [x.code, x.name]), testid: 'call-region' },
      { name: 'contact_phone', label: fl('contact_phone', 'request'), maxlength: 40, testid: 'call-phone' },
      { name: 'contact_name', label: fl('contact_name', 'request'), maxlength: 100 },
    ],
    omitEmpty: true,
    onSubmit: async (v) => {
      const r = await post('/api/v1/requests', v);
      m.close();
      toast(t('rq_done'));
      done();
      ctx.navigate(`/requests/${r.id}`);
    },
  });
  m = modal({ title: t('rq_new_call'), body: f.el, testid: 'call-dialog', wide: true });
}
