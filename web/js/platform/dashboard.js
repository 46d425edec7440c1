// Dashboard (工作台): what is waiting for the user, by role, every figure from
// GET /api/v1/dashboard within the caller's scope. Each module brings its cards and panels (its
// module.js `dashboard`, see dashboard_kit.js), ranked per role: the leader and the admin see
// the monitoring, the permits due and the latest operations; the monitoring centre its alarms,
// offline points and quarantined devices; the registry roles (approver, inspector, legal,
// service) the permits due, their region's alarms and the enterprise figures. Each card links
// to the page where the work is done. The platform's own panel is the latest operations.
import * as echarts from '/vendor/echarts.esm.min.js';
import { get } from '../api.js';
import { t, label, fl, actionLabel } from '../i18n.js';
import { can, role } from '../session.js';
import { h, fmtTime, simpleTable, pageHead, watchCharts } from '../ui.js';
import { MODULES } from '../modules.js';
import { FONT, panel, viewAll, rankFor } from './dashboard_kit.js';

const CARDS = 5;

// Where an audit row's record is shown: each module's module.js entityLinks.
const ENTITY_LINKS = Object.assign({}, ...MODULES.map((m) => m.entityLinks || {}));

function recordCell(a) {
  const what = label('entity', a.entity);
  const name = a.record_name || (a.entity_id ? `#${a.entity_id}` : '');
  const link = a.entity_id && ENTITY_LINKS[a.entity];
  return [what, ' ', link ? h('a', { href: link(a.entity_id) }, name) : name];
}

function recentTable(d) {
  return simpleTable({
    testid: 'recent-audit',
    columns: [
      { key: 'at', label: fl('at'), cls: 'nowrap muted', render: (a) => fmtTime(a.at).slice(5) },
      { key: 'actor', label: fl('actor'), cls: 'nowrap' },
      { key: 'what', label: fl('action'), render: (a) => [h('span', { class: `act act-${a.action}` }, actionLabel(a.entity, a.action)), ' ', ...recordCell(a)] },
    ],
    rows: d.recent_audit || [],
  });
}

// The latest operations (admin and leader: the roles that read the audit log).
const recentItem = (d) => ({
  kind: 'panel', rank: { leader: 4, admin: 4, default: null },
  make: (cls) => panel(t('recent_audit'), 'panel-recent', recentTable(d), { cls: `${cls} scroll`, more: can('audit.read') ? viewAll('#/admin/audit') : null }),
});

export async function render(ctx) {
  const { main } = ctx;
  ctx.setTitle(t('dashboard'));
  const [d, parts] = await Promise.all([get('/api/v1/dashboard'),
    Promise.all(MODULES.filter((m) => m.dashboard).map((m) => m.dashboard()))]);
  if (!ctx.isCurrent()) return;
  const r = role();
  const charts = []; // [element, option, onClick, onResize]
  const kit = {
    navigate: (p) => ctx.navigate(p),
    can,
    chartEl: (testid, option, onClick, cls = '', onResize = null) => {
      const el = h('div', { class: `chart ${cls}`, 'data-testid': testid });
      charts.push([el, option, onClick, onResize]);
      return el;
    },
  };
  const items = [...parts.flatMap((p) => p.items(d, kit)), recentItem(d)]
    .map((it, i) => ({ it, i, rank: rankFor(it, r) })).filter((x) => x.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.it);
  const row = items.filter((it) => it.kind === 'card').slice(0, CARDS).map((it) => it.el);
  const panels = items.filter((it) => it.kind === 'panel')
    .map((it) => it.make(it.cls?.[r] ?? it.cls?.default ?? ''));

  main.replaceChildren(
    pageHead(t('dashboard'), h('span', { class: 'muted' }, t('today_is', { d: d.today || '' }))),
    h('div', { class: 'cards dash-cards', 'data-testid': 'dash-cards' }, row),
    h('div', { class: 'panels dash-panels' }, panels));

  const inst = charts.map(([el, option, onClick, onResize]) => {
    const ch = echarts.init(el, null, { renderer: 'canvas' });
    ch.setOption({ animationDuration: 300, textStyle: { fontFamily: FONT }, ...option });
    if (onClick) ch.on('click', onClick);
    ch.envgovResize = onResize;
    return ch;
  });
  // Charts follow their boxes: the window, the side menu, a panel's width.
  watchCharts(ctx, inst, (ch) => { if (ch.envgovResize) ch.envgovResize(ch, ch.getDom()); });
  ctx.onLeave(() => inst.forEach((ch) => ch.dispose()));
}
