// The public page of EIA notices (no login, #/public/approval): accepted applications (受理公示)
// and approval decisions (审批公告) with the comment period where one runs.
import { get } from '../api.js';
import { t, setLang, getLang } from '../i18n.js';
import { h, simpleTable } from '../ui.js';
import { classLabel, routeLabel, stateBadge } from './common.js';

export async function render(ctx) {
  const { root } = ctx;
  const rerender = () => render(ctx);
  document.title = t('ap_public_title');
  const r = await get('/api/v1/public/approval/notices');
  const lang = h('button', { type: 'button', class: 'btn small', 'data-testid': 'lang', onclick: () => { setLang(getLang() === 'zh' ? 'en' : 'zh'); rerender(); } }, getLang() === 'zh' ? 'English' : '中文');
  root.replaceChildren(h('div', { style: { minHeight: '100vh', background: 'var(--bg, #f4f5f7)' } },
    h('header', { style: { display: 'flex', alignItems: 'center', gap: '12px', padding: '14px 24px', background: 'var(--primary-dd, #0b5a3c)', color: '#fff' } },
      h('span', { class: 'logo', 'aria-hidden': 'true' }), h('strong', { style: { fontSize: '18px' } }, t('ap_public_title')), h('span', { style: { flex: 1 } }),
      lang, h('a', { class: 'btn small', href: '#/login' }, t('login') || '登录')),
    h('main', { style: { maxWidth: '1100px', margin: '20px auto', padding: '0 16px' } },
      h('p', { class: 'muted' }, t('ap_public_hint')),
      h('section', { class: 'panel', style: { background: '#fff', padding: '16px 20px', borderRadius: '8px' } }, simpleTable({
        testid: 'public-approval', rows: r.items, empty: t('ap_empty'),
        columns: [
          { key: 'notice', label: '', render: (x) => h('span', { class: `badge ${x.notice === 'decision' ? 'green' : 'blue'}` }, t(`ap_notice_kind_${x.notice}`)) },
          { key: 'project_name', label: t('ap_title'), primary: true },
          { key: 'enterprise_name', label: '建设单位 / Builder' },
          { key: 'region_name', label: '地区 / Region' },
          { key: 'class', label: '类别 / Class', render: (x) => classLabel(x.class) },
          { key: 'route', label: '路径 / Route', render: (x) => routeLabel(x.route) },
          { key: 'state', label: '', render: (x) => stateBadge(x.state) },
          { key: 'accepted_on', label: '受理 / Accepted' },
          { key: 'decided_on', label: '决定 / Decided' },
          { key: 'comment_until', label: t('ap_comment_until') },
        ] })))));
}
