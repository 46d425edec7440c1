// Alarm list (报警处理): filter by status and kind (and point, from the board), sort, page;
// acknowledge with a note or close by hand (roles that handle alarms). Also exports the table
// used on a point's page.
import { get, post, qs } from '../api.js';
import { t, label, fl, enumOptions } from '../i18n.js';
import { can } from '../session.js';
import { h, dataTable, selectEl, pageHead, btn, fmtTime, modal, toast } from '../ui.js';

const TONE = { open: 'red', acknowledged: 'amber', closed: 'plain' };
const KIND_TONE = { exceed: 'red', early_warning: 'amber', offline: 'plain', flag: 'blue', stuck: 'blue', condition: 'teal' };

function noteDialog(title, required, onOk) {
  const ta = h('textarea', { name: 'note', rows: 3, maxlength: 500, 'data-testid': 'alarm-note', placeholder: t('note') });
  const msg = h('div', { class: 'field-error', 'data-testid': 'err-note' });
  modal({ title, testid: 'alarm-dialog', body: h('div', {}, h('label', {}, t('note')), ta, msg),
    actions: [{ label: title, primary: true, testid: 'alarm-ok', onClick: async () => {
      if (required && !ta.value.trim()) { msg.textContent = t('required'); return false; }
      await onOk(ta.value.trim());
      return true;
    } }] });
}

export function alarmTable(ctx, fixed = {}, extra = {}) {
  const handle = can('alarm.handle');
  const table = dataTable({
    testid: 'alarm-table',
    sort: extra.sort || '',
    onSort: extra.onSort,
    columns: [
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
        a.status === 'closed' ? h('div', { class: 'muted' }, a.close_reason === 'auto' ? t('close_reason_auto') : `${a.closed_by_name || ''} ${a.close_reason === 'manual' ? '' : a.close_reason}`) : null) },
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

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('alarms'));
  const status = selectEl({ name: 'status', testid: 'filter-status', value: query.get('status') ?? 'open,acknowledged',
    options: [['open,acknowledged', `${label('alarm_status', 'open')} + ${label('alarm_status', 'acknowledged')}`], ...enumOptions('alarm_status')],
    placeholder: t('all_status'), onChange: () => changed() });
  const kind = selectEl({ name: 'kind', testid: 'filter-kind', options: enumOptions('alarm_kind'), value: query.get('kind') || '',
    placeholder: t('filter_all', { f: t('alarm_kind') }), onChange: () => changed() });
  let sort = query.get('sort') || '';
  const fixed = query.get('point_id') ? { point_id: query.get('point_id') } : {};
  const params = () => ({ status: status.value, kind: kind.value });
  function changed() { ctx.setQuery({ ...fixed, status: status.value, kind: kind.value, sort }); table.reload(); }
  const table = alarmTable(ctx, fixed, { params, sort, onSort: (s) => { sort = s; changed(); }, toolbar: [status, kind] });
  main.replaceChildren(pageHead(t('alarms')), table.el);
  const timer = setInterval(() => { if (ctx.isCurrent()) table.refresh(); else clearInterval(timer); }, 15000);
  ctx.onLeave(() => clearInterval(timer));
}
