// Alarm list (报警处理): filter by status, kind, region (行政区划), enterprise and China dates
// (and point, from the board), kept in the address; sort, page; export the filtered list as
// Excel/CSV; acknowledge with a note (one, or the ticked open alarms at once with one note) or
// close by hand (roles that handle alarms: not the leader, decision 30). Also exports the
// table used on a point's page.
import { get, post, qs } from '../api.js';
import { t, label, fl, enumOptions } from '../i18n.js';
import { can, role } from '../session.js';
import { regionOptions } from '../codes.js';
import { h, dataTable, selectEl, searchSelect, pageHead, btn, fmtTime, modal, toast, downloadLink } from '../ui.js';

const TONE = { open: 'red', acknowledged: 'amber', closed: 'plain' };
const KIND_TONE = { exceed: 'red', early_warning: 'amber', offline: 'plain', flag: 'blue', stuck: 'blue', condition: 'teal' };

function noteDialog(title, required, onOk, intro) {
  const ta = h('textarea', { name: 'note', rows: 3, maxlength: 500, 'data-testid': 'alarm-note', placeholder: t('note') });
  const msg = h('div', { class: 'field-error err', 'data-testid': 'err-note' });
  modal({ title, testid: 'alarm-dialog', body: h('div', {}, intro ? h('p', { class: 'muted' }, intro) : null,
    h('div', { class: `field ${required ? 'required' : ''}` }, h('label', {}, t('note')), ta, msg)),
    actions: [{ label: title, primary: true, testid: 'alarm-ok', onClick: async () => {
      if (required && !ta.value.trim()) { msg.textContent = t('required'); return false; }
      await onOk(ta.value.trim());
      return true;
    } }] });
}

// The tick boxes of the open alarms on the shown page, for the bulk acknowledgement; ticks of
// alarms no longer shown or no longer open are dropped when the page reloads.
function selection(onChange) {
  const ids = new Set();
  let rows = [];
  const all = h('input', { type: 'checkbox', 'data-testid': 'select-all', title: t('select_page'), 'aria-label': t('select_page') });
  const sync = () => {
    const open = rows.filter((a) => a.status === 'open');
    all.checked = open.length > 0 && open.every((a) => ids.has(a.id));
    onChange(ids.size);
  };
  all.addEventListener('change', () => {
    for (const a of rows) if (a.status === 'open') { if (all.checked) ids.add(a.id); else ids.delete(a.id); }
    for (const box of document.querySelectorAll('[data-testid=alarm-table] input[data-alarm]')) box.checked = ids.has(Number(box.dataset.alarm));
    sync();
  });
  return {
    ids, head: all,
    cell: (a) => {
      if (a.status !== 'open') return '';
      const box = h('input', { type: 'checkbox', 'data-alarm': a.id, 'data-testid': `select-${a.id}`, 'aria-label': t('select_alarm') });
      box.checked = ids.has(a.id);
      box.addEventListener('change', () => { if (box.checked) ids.add(a.id); else ids.delete(a.id); sync(); });
      return box;
    },
    loaded: (page) => {
      rows = page.items || [];
      const open = new Set(rows.filter((a) => a.status === 'open').map((a) => a.id));
      for (const id of [...ids]) if (!open.has(id)) ids.delete(id);
      sync();
    },
    clear: () => { ids.clear(); sync(); },
  };
}

export function alarmTable(ctx, fixed = {}, extra = {}) {
  const handle = can('alarm.handle');
  const sel = extra.select;
  const table = dataTable({
    testid: 'alarm-table',
    sort: extra.sort || '',
    onSort: extra.onSort,
    onLoad: sel ? sel.loaded : undefined,
    columns: [
      handle && sel ? { key: 'select', label: sel.head, cls: 'nowrap', render: (a) => sel.cell(a) } : null,
      { key: 'status', label: fl('status'), cls: 'nowrap', sort: 'status', render: (a) => h('span', { class: `badge ${TONE[a.status]}`, 'data-testid': 'alarm-status' }, label('alarm_status', a.status)) },
      { key: 'kind', label: t('alarm_kind'), cls: 'nowrap', sort: 'kind', render: (a) => h('span', { class: `badge ${KIND_TONE[a.kind] || 'plain'}` }, label('alarm_kind', a.kind)) },
      fixed.point_id ? null : { key: 'point_name', label: t('point'), render: (a) => h('span', {}, h('a', { href: `#/monitor/points/${a.point_id}` }, a.point_name), h('div', { class: 'muted small' }, a.enterprise_name)) },
      { key: 'factor', label: t('factor'), render: (a) => (a.factor ? `${a.factor_name || a.factor}` : '') },
      { key: 'value', label: t('value'), cls: 'num', render: (a) => h('span', {},
        a.value === null ? (a.detail && a.kind === 'flag' ? `Flag ${a.detail}` : '') : `${a.value}${a.unit ? ` ${a.unit}` : ''}`,
        // The data the alarm judged (an hour's average, say), which may be older than the alarm.
        a.data_time ? h('div', { class: 'muted small nowrap', 'data-testid': 'alarm-data-time' }, `${t('last_data')} ${a.data_time.slice(0, 16)}`) : null) },
      { key: 'limit_value', label: t('limit_value'), cls: 'num muted', render: (a) => (a.limit_value === null ? '' : String(Number(a.limit_value.toFixed(3)))) },
      { key: 'first_at', label: t('first_at'), sort: 'first_at', cls: 'nowrap muted', render: (a) => fmtTime(a.first_at, true) },
      { key: 'last_at', label: t('last_at'), sort: 'last_at', cls: 'nowrap muted', render: (a) => fmtTime(a.last_at, true) },
      { key: 'count', label: t('count'), sort: 'count', cls: 'num' },
      { key: 'handling', label: t('handling'), render: (a) => h('div', { class: 'small' },
        a.ack_note ? h('div', {}, `${a.ack_by_name || ''}：${a.ack_note}`) : null,
        a.status === 'closed' ? h('div', { class: 'muted' }, a.close_reason === 'auto' ? t('close_reason_auto') : `${a.closed_by_name || ''} ${a.close_reason === 'manual' ? '' : a.close_reason}`) : null,
        // The alarm.handling version that judged it (its thresholds and deadlines).
        a.rule_set_id ? h('div', { class: 'muted', 'data-testid': 'alarm-rule' }, `${t('rule_decided_by')}${t('colon')}`,
          (() => {
            const text = t('rule_alarm_ref', { v: a.rule_set_version, r: a.rule_set_region || t('rule_all_regions') });
            return can('staff') ? h('a', { href: `#/admin/rules/${a.rule_set_id}` }, text) : text;
          })()) : null) },
      handle ? { key: 'actions', label: t('actions'), cls: 'nowrap', render: (a) => h('span', {},
        a.status === 'open' ? btn(t('acknowledge'), () => noteDialog(t('acknowledge'), true, async (note) => {
          await post(`/api/v1/alarms/${a.id}/acknowledge`, { note }); toast(t('ack_done')); table.refresh();
        }), { small: true, testid: `ack-${a.id}` }) : null,
        a.status !== 'closed' ? btn(t('close_alarm'), () => noteDialog(t('close_alarm'), false, async (note) => {
          await post(`/api/v1/alarms/${a.id}/close`, { note }); toast(t('closed_done')); table.refresh();
        }), { small: true, testid: `close-${a.id}` }) : null) } : null,
    ].filter(Boolean),
    fetch: (p) => get(`/api/v1/alarms${qs({ ...p, ...fixed, ...(extra.params ? extra.params() : {}) })}`),
    rowClass: (a) => (a.status === 'closed' ? 'inactive' : ''),
    toolbar: extra.toolbar,
  });
  return table;
}

async function searchEnterprises(q) {
  const items = (await get(`/api/v1/enterprises${qs({ q, limit: 20, sort: 'name' })}`)).items || [];
  return items.map((e) => ({ value: String(e.id), label: e.name, hint: e.region_name || '' }));
}

export async function render(ctx) {
  const { main, query } = ctx;
  // An enterprise user reads its own alarms (the bureau handles them): its title, no region or
  // enterprise filter.
  const own = role() === 'enterprise';
  const title = t(own ? 'own_alarms' : 'alarms');
  ctx.setTitle(title);
  const entId = query.get('enterprise_id') || '';
  const [regions, ent] = await Promise.all([regionOptions({ forFilter: true }),
    entId ? get(`/api/v1/enterprises/${entId}`).catch(() => null) : null]);
  if (!ctx.isCurrent()) return;
  const status = selectEl({ name: 'status', testid: 'filter-status', value: query.get('status') ?? 'open,acknowledged',
    options: [['open,acknowledged', `${label('alarm_status', 'open')} + ${label('alarm_status', 'acknowledged')}`], ...enumOptions('alarm_status')],
    placeholder: t('all_status'), onChange: () => changed() });
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', options: enumOptions('alarm_kind'), value: query.get('kind') || '',
    placeholder: t('filter_all', { f: t('alarm_kind') }), onChange: () => changed() });
  const region = selectEl({ name: 'region_code', testid: 'filter-region', options: regions, value: query.get('region_code') || '',
    placeholder: t('filter_all', { f: fl('region_name') }), onChange: () => changed() });
  const enterprise = searchSelect({ name: 'enterprise_id', testid: 'filter-enterprise', labelMode: true, value: ent ? entId : '',
    text: ent?.name || '', placeholder: t('enterprise_search'), search: searchEnterprises, onPick: () => changed() });
  enterprise.el.classList.add('filter-ss');
  enterprise.el.style.width = '200px';
  // Emptying the box drops the enterprise filter.
  enterprise.input.addEventListener('change', () => { if (!enterprise.input.value.trim()) { enterprise.set(''); changed(); } });
  const from = h('input', { type: 'date', name: 'from', 'data-testid': 'filter-from', value: query.get('from') || '', title: t('alarm_from') });
  const to = h('input', { type: 'date', name: 'to', 'data-testid': 'filter-to', value: query.get('to') || '', title: t('alarm_to') });
  for (const el of [from, to]) el.addEventListener('change', () => changed());
  let sort = query.get('sort') || '';
  const fixed = query.get('point_id') ? { point_id: query.get('point_id') } : {};
  const params = () => ({ status: status.value, kind: kind.value, region_code: region.value, enterprise_id: enterprise.get(),
    from: from.value, to: to.value });
  const exportUrl = (format) => `/api/v1/alarms/export${qs({ ...fixed, ...params(), sort, format })}`;
  const xlsx = downloadLink({ label: t('export_xlsx'), href: exportUrl('xlsx'), testid: 'export-xlsx' });
  const csv = downloadLink({ label: t('export_csv'), href: exportUrl('csv'), testid: 'export-csv' });
  xlsx.el.title = csv.el.title = t('export_hint');
  let lastKey = JSON.stringify({ ...params(), sort });
  function changed(force) {
    const key = JSON.stringify({ ...params(), sort });
    if (!force && key === lastKey) return;
    lastKey = key;
    ctx.setQuery({ ...fixed, ...params(), sort });
    xlsx.update(exportUrl('xlsx'));
    csv.update(exportUrl('csv'));
    table.reload();
  }
  const reset = btn(t('reset_filters'), () => {
    status.value = 'open,acknowledged'; kind.value = ''; region.value = ''; enterprise.set('', ''); from.value = ''; to.value = '';
    changed();
  }, { testid: 'reset-filters', small: true });
  const handle = can('alarm.handle');
  const bulk = btn(t('bulk_ack'), () => {
    const ids = [...sel.ids];
    noteDialog(t('bulk_ack'), true, async (note) => {
      const r = await post('/api/v1/alarms/acknowledge', { ids, note });
      toast(t('bulk_ack_done', { n: r.acknowledged }));
      sel.clear();
      table.refresh();
    }, t('bulk_ack_intro', { n: ids.length }));
  }, { testid: 'bulk-ack', small: true });
  const sel = handle ? selection((n) => { bulk.disabled = n === 0; bulk.textContent = n ? `${t('bulk_ack')}（${n}）` : t('bulk_ack'); }) : null;
  bulk.disabled = true;
  const table = alarmTable(ctx, fixed, { params, sort, select: sel, onSort: (s) => { sort = s; changed(); },
    toolbar: [status, kind, ...(own ? [] : [region, enterprise.el]), h('span', { class: 'range', title: t('alarm_dates_hint') }, from, '–', to), reset,
      h('span', { class: 'spacer' }), handle ? bulk : null, xlsx.el, csv.el].filter(Boolean) });
  main.replaceChildren(pageHead(title), table.el);
  const timer = setInterval(() => { if (ctx.isCurrent()) table.refresh(); else clearInterval(timer); }, 15000);
  ctx.onLeave(() => clearInterval(timer));
}
