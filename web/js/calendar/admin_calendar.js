// Working-day calendar (工作日历): the years loaded, one year as a 12-month grid with public
// holidays and make-up workdays coloured, a working-day deadline calculator (GET
// /calendar/deadline) and, for admins, loading or replacing a year from pasted or uploaded JSON
// (PUT /calendar/{year}). Legal deadlines run on this calendar; a missing year is an error.
import { get, put, qs } from '../api.js';
import { t, fl, getLang } from '../i18n.js';
import { can } from '../session.js';
import { h, pageHead, form, modal, toast, confirmDialog, errorBanner, errorText, okBanner, spinner, fmtTime, todayISO, btn } from '../ui.js';

const pad = (n) => String(n).padStart(2, '0');
const iso = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;

function dayKinds(body) {
  const kinds = new Map();
  for (const hol of body.holidays || []) {
    const [y1, m1, d1] = hol.from.split('-').map(Number);
    const end = hol.to || hol.from;
    for (let d = new Date(Date.UTC(y1, m1 - 1, d1)); d.toISOString().slice(0, 10) <= end; d.setUTCDate(d.getUTCDate() + 1)) {
      kinds.set(d.toISOString().slice(0, 10), { kind: 'hol', name: hol.name });
    }
  }
  for (const w of body.workdays || []) {
    const date = typeof w === 'string' ? w : w.date;
    kinds.set(date, { kind: 'mk', name: (w && w.name) || t('makeup') });
  }
  return kinds;
}

function yearGrid(cal) {
  const y = cal.year;
  const kinds = dayKinds(cal.body || {});
  const today = todayISO();
  const wd = t('weekdays').split(',');
  let workdays = 0;
  const months = Array.from({ length: 12 }, (_, m) => {
    const first = new Date(Date.UTC(y, m, 1));
    const lead = (first.getUTCDay() + 6) % 7;   // Monday first
    const days = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    const cells = [];
    for (let i = 0; i < lead; i++) cells.push(h('span', { class: 'd blank' }));
    for (let d = 1; d <= days; d++) {
      const date = iso(y, m + 1, d);
      const k = kinds.get(date);
      const weekend = (lead + d - 1) % 7 >= 5;
      const cls = k ? k.kind : weekend ? 'we' : 'wk';
      if (cls === 'wk' || cls === 'mk') workdays++;
      cells.push(h('span', { class: `d ${cls} ${date === today ? 'today' : ''}`, title: k ? `${date} ${k.name}` : date, 'data-date': date }, d));
    }
    return h('div', { class: 'month' }, h('h3', {}, getLang() === 'en' ? first.toLocaleString('en', { month: 'long', timeZone: 'UTC' }) : t('month_n', { n: m + 1 })),
      h('div', { class: 'days' }, wd.map((x, i) => h('span', { class: `d head ${i >= 5 ? 'we' : ''}` }, x)), cells));
  });
  return { el: h('div', { class: 'months', 'data-testid': 'year-grid' }, months), workdays };
}

function holidayList(body) {
  return h('ul', { class: 'hol-list' }, (body.holidays || []).map((x) => h('li', {}, h('span', { class: 'sw hol' }), h('b', {}, x.name), ` ${x.from} ~ ${x.to}`)),
    (body.workdays || []).map((w) => h('li', {}, h('span', { class: 'sw mk' }), h('b', {}, w.name || t('makeup')), ` ${w.date || w}`)));
}

export async function render(ctx) {
  const { main, query } = ctx;
  ctx.setTitle(t('calendar'));
  const years = ((await get('/api/v1/calendar')).years || []).slice().sort();
  if (!ctx.isCurrent()) return;
  const thisYear = new Date().getFullYear();
  let year = Number(query.get('year')) || (years.includes(thisYear) ? thisYear : years[years.length - 1]);

  const chips = h('div', { class: 'chips', 'data-testid': 'years' });
  const view = h('div', { class: 'year-view' });
  const drawChips = () => chips.replaceChildren(...years.map((y) => h('button', { type: 'button', class: y === year ? 'chip on' : 'chip',
    'data-testid': `year-${y}`, onclick: () => { year = y; ctx.setQuery({ year: y }); drawChips(); show(); } }, String(y))));

  async function show() {
    if (!year) { view.replaceChildren(h('p', { class: 'empty-note' }, t('none'))); return; }
    view.replaceChildren(spinner());
    try {
      const cal = await get(`/api/v1/calendar/${year}`);
      const grid = yearGrid(cal);
      view.replaceChildren(
        h('div', { class: 'year-meta' },
          h('span', { class: 'legend' }, h('span', { class: 'sw hol' }), t('holiday'), h('span', { class: 'sw mk' }), t('makeup'),
            h('span', { class: 'sw we' }), t('weekend'), h('span', { class: 'sw wk' }), t('workday')),
          h('span', { class: 'muted' }, `${t('n_workdays')}：${grid.workdays}`),
          h('span', { class: 'spacer' }),
          h('span', { class: 'muted' }, t('year_source', { s: cal.body?.source || cal.source || '' }), ' · ',
            t('year_loaded_by', { by: cal.loaded_by || '', at: fmtTime(cal.loaded_at) }))),
        h('div', { class: 'year-wrap' }, grid.el, h('div', { class: 'year-side' }, calcPanel,
          h('aside', { class: 'hol-aside' }, h('h3', {}, `${year} · ${t('holiday')} / ${t('makeup')}`), holidayList(cal.body || {})))));
    } catch (e) { view.replaceChildren(errorBanner(e)); }
  }

  // Deadline calculator.
  const result = h('div', { class: 'calc-result', 'data-testid': 'deadline-result' });
  const calc = form({
    cols: 1, compact: true, testid: 'deadline-form',
    values: { from: todayISO(), mode: 'workdays', n: 20 },
    fields: [
      { name: 'from', label: fl('from'), type: 'date', required: true, testid: 'deadline-from' },
      { name: 'mode', label: t('count_by'), type: 'select', noPlaceholder: true, required: true, options: [['workdays', t('by_workdays')], ['calendar_days', t('by_calendar_days')]] },
      { name: 'n', label: t('n_workdays'), type: 'integer', required: true, min: 0, testid: 'deadline-n' },
    ],
    submitLabel: t('calc'),
    submitTestid: 'deadline-calc',
    onSubmit: async (v) => {
      result.replaceChildren();
      try {
        const r = await get(`/api/v1/calendar/deadline${qs({ from: v.from, [v.mode]: v.n })}`);
        const d = new Date(`${r.deadline}T00:00:00`);
        const wdName = d.toLocaleDateString(getLang() === 'en' ? 'en' : 'zh-CN', { weekday: 'long' });
        result.replaceChildren(okBanner(t('deadline_is', { d: r.deadline, w: wdName })));
      } catch (e) {
        const field = { workdays: 'n', calendar_days: 'n', from: 'from' }[e.field];
        if (field) calc.setError(field, errorText(e)); else result.replaceChildren(errorBanner(e));
      }
    },
  });
  calc.inputs.mode.addEventListener('change', () => {
    calc.inputs.n.closest('.field').querySelector('label').textContent = calc.inputs.mode.value === 'workdays' ? t('n_workdays') : t('n_calendar_days');
  });

  const calcPanel = h('section', { class: 'panel calc', 'data-testid': 'deadline-panel' }, h('h3', {}, t('deadline_calc')),
    h('p', { class: 'muted small' }, t('deadline_help')), calc.el, result);
  const sections = [
    pageHead(t('calendar'), can('calendar.write') ? btn(t('load_year'), () => loadDialog(years, (y) => {
      if (!years.includes(y)) { years.push(y); years.sort(); }
      year = y; ctx.setQuery({ year: y }); drawChips(); show();
    }), { primary: true, testid: 'load-year' }) : null),
    h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, `${t('years_loaded')}：`), chips),
    view,
  ];
  main.replaceChildren(...sections);
  drawChips();
  show();
}

const EXAMPLE = `{
  "year": 2027,
  "source": "国务院办公厅关于2027年部分节假日安排的通知",
  "holidays": [
    {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}
  ],
  "workdays": [
    {"date": "2027-02-06", "name": "春节调休"}
  ]
}`;

function loadDialog(years, done) {
  let m;
  const file = h('input', { type: 'file', accept: '.json,application/json', 'data-testid': 'calendar-file' });
  const f = form({
    cols: 4, testid: 'calendar-form',
    values: { year: Math.max(new Date().getFullYear() + 1, ...(years.length ? [years[years.length - 1] + 1] : [])) },
    fields: [
      { name: 'year', label: fl('year'), type: 'integer', required: true, min: 2000, max: 2100, testid: 'calendar-year' },
      { name: 'body', label: 'JSON', type: 'textarea', required: true, span: 4, rows: 14, placeholder: EXAMPLE, testid: 'calendar-json' },
    ],
    submitLabel: t('load_go'),
    submitTestid: 'calendar-load',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      let body;
      try { body = JSON.parse(v.body); } catch (e) { f.setError('body', t('bad_json', { m: e.message })); return; }
      if (body && typeof body === 'object' && body.year !== undefined && Number(body.year) !== v.year) { f.setError('year', t('year_mismatch')); return; }
      if (years.includes(v.year) && !(await confirmDialog(t('load_confirm', { y: v.year }), { danger: true }))) return;
      try {
        await put(`/api/v1/calendar/${v.year}`, body);
      } catch (e) {
        // The year file's own fields (holidays, workdays, source) are all inside the JSON box.
        if (e.field && !['year'].includes(e.field)) e.field = 'body';
        throw e;
      }
      toast(t('saved'));
      m.close();
      done(v.year);
    },
    extraActions: h('span', { class: 'file-pick' }, t('load_file'), ' ', file),
  });
  file.addEventListener('change', async () => {
    const fl0 = file.files[0];
    if (!fl0) return;
    const text = await fl0.text();
    f.inputs.body.value = text;
    try { const y = JSON.parse(text).year; if (y) f.inputs.year.value = y; } catch { /* shown on submit */ }
  });
  m = modal({ title: t('load_year'), body: h('div', {}, h('p', { class: 'muted' }, t('load_help')), f.el), wide: true, dismissable: false, testid: 'calendar-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}
