// Open311 client keys (#/requests/keys, admins): each client application's key, shown once when
// made (only its hash is kept), its per-minute limit, and deactivation.
import { get, post } from '../api.js';
import { t, fl } from '../i18n.js';
import { h, pageHead, simpleTable, btn, modal, form, secretDialog, fmtTime } from '../ui.js';

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('rq_keys_title'));
  const reload = () => render(ctx);
  const keys = await get('/api/v1/open311/keys');
  const add = btn(t('rq_keys_new'), () => {
    let m;
    const f = form({ cols: 1, fields: [
      { name: 'name', label: fl('name', 'open311_key'), required: true, maxlength: 120, testid: 'key-name' },
      { name: 'per_minute', label: fl('per_minute', 'open311_key'), type: 'integer', min: 1, max: 100000, testid: 'key-per-minute' },
    ], omitEmpty: true, onCancel: () => m.close(), onSubmit: async (v) => {
      const k = await post('/api/v1/open311/keys', { name: v.name, ...(v.per_minute ? { per_minute: Number(v.per_minute) } : {}) });
      m.close();
      secretDialog(t('rq_keys_new'), t('rq_key_shown_once'), k.api_key, 'key-secret');
      reload();
    } });
    m = modal({ title: t('rq_keys_new'), body: f.el, testid: 'key-dialog', dismissable: false });
    m.el.querySelector('.modal-foot').hidden = true;
  }, { primary: true, testid: 'key-new' });
  main.replaceChildren(pageHead(t('rq_keys_title'), add), h('p', { class: 'muted' }, t('rq_keys_hint')), simpleTable({
    testid: 'keys-table',
    columns: [
      { key: 'name', label: fl('name', 'open311_key') },
      { key: 'key_prefix', label: 'api_key', render: (k) => `${k.key_prefix}…` },
      { key: 'per_minute', label: fl('per_minute', 'open311_key') },
      { key: 'status', label: '', render: (k) => k.status },
      { key: 'created_at', label: '', render: (k) => fmtTime(k.created_at) },
      { key: 'id', label: '', render: (k) => (k.status === 'active' ? btn(t('rq_key_deactivate'), async () => { await post(`/api/v1/open311/keys/${k.id}/deactivate`, {}); reload(); }, { small: true, testid: `key-off-${k.id}` }) : '') },
    ],
    rows: keys.items,
  }));
}
