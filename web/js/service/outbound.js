// 外发消息: every webhook call and SMS any module queued (channel and status filters, search by
// event or recipient, pages), with attempts, the last answer and error; a failed one is resent.
import { get, post, qs } from '../api.js';
import { t, fl, enumOptions, label } from '../i18n.js';
import { h, pageHead, dataTable, selectEl, searchBox, btn, fmtTime, toast } from '../ui.js';
import { badgeOf } from './common.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('sv_outbound_title'));
  const channel = selectEl({ name: 'channel', testid: 'filter-channel', value: '', placeholder: t('sv_all_kinds'), options: enumOptions('outbound_channel'), onChange: () => table.reload() });
  const status = selectEl({ name: 'status', testid: 'filter-status', value: ctx.query.get('status') || '', placeholder: t('sv_all_kinds'), options: enumOptions('outbound_status'), onChange: () => table.reload() });
  let q = '';
  const search = searchBox({ placeholder: fl('recipient', 'outbound_message'), testid: 'outbound-search', onSearch: (v) => { q = v; table.reload(); } });
  const table = dataTable({
    testid: 'outbound-table',
    toolbar: [channel, status, search],
    sort: '-id',
    fetch: (p) => get(`/api/v1/outbound${qs({ channel: channel.value || undefined, status: status.value || undefined, q: q || undefined, ...p })}`),
    rowTestid: (r) => `outbound-${r.id}`,
    columns: [
      { key: 'created_at', label: fl('created_at', 'outbound_message'), sort: 'created_at', cls: 'nowrap', render: (r) => fmtTime(r.created_at) },
      { key: 'channel', label: fl('channel', 'outbound_message'), render: (r) => label('outbound_channel', r.channel) },
      { key: 'event', label: fl('event', 'outbound_message'), primary: true },
      { key: 'recipient', label: fl('recipient', 'outbound_message') },
      { key: 'attempts', label: fl('attempts', 'outbound_message'), cls: 'num' },
      { key: 'last_error', label: fl('last_error', 'outbound_message'), render: (r) => (r.last_error ? `${r.last_code ? `HTTP ${r.last_code} · ` : ''}${r.last_error}` : '') },
      { key: 'status', label: fl('status', 'outbound_message'), render: (r) => badgeOf('outbound_status', r.status, `outbound-status-${r.id}`) },
      { key: 'act', label: '', render: (r) => (r.status === 'failed'
        ? btn(t('sv_resend'), async () => { await post(`/api/v1/outbound/${r.id}/resend`); toast(t('sv_resent')); table.refresh(); }, { small: true, testid: `resend-${r.id}` }) : null) },
    ],
  });
  main.replaceChildren(pageHead(t('sv_outbound_title')), table.el);
}
