// One penalty case: its facts and state, the legal time limits, the discretion calculator
// (each factor's level as a choice, 从轻/减轻 with its ground, the advisory amount worked out live
// on the server with its reasoning line by line, the amount decided and the written reason a
// departure needs), the no-penalty check item by item and condition by condition with the value
// measured, the documents, publication and the steps this user may take.
import { get, post, put, qs } from '../api.js';
import { t, getLang } from '../i18n.js';
import { can, role } from '../session.js';
import { h, pageHead, sectionHead, kvGrid, btn, busy, modal, form, toast, errorBanner, fmtTime, apiMessage } from '../ui.js';
import { L, statusBadge, outcomeBadge, yuan, zhen } from './common.js';

const card = (testid, ...children) => h('section', { class: 'panel', 'data-testid': testid, style: { marginBottom: '16px' } }, ...children);

function calculator(d, reload) {
  const c = d.case;
  const disc = d.discretion;
  const v = disc.violation;
  const editable = can('penalty.discretion') && ['filed', 'investigating'].includes(c.status);
  const saved = c.factors || {};
  const selects = {};
  const rows = disc.factors.map((f) => {
    const s = h('select', { name: `level-${f.code}`, 'data-testid': `level-${f.code}`, disabled: !editable },
      h('option', { value: '' }, t('choose')),
      f.levels.map((l) => h('option', { value: l.code, selected: saved[f.code] === l.code }, `${zhen(l)}（${l.coef}）`)));
    selects[f.code] = s;
    return h('label', { class: 'field', style: { display: 'block', marginBottom: '8px' } },
      h('span', { class: 'label' }, `${zhen(f)} · ${t('pen_factor')} ${f.weight}`), s);
  });
  const mitigation = h('select', { name: 'mitigation', 'data-testid': 'mitigation', disabled: !editable },
    ['none', 'lighter', 'reduced'].map((m) => h('option', { value: m, selected: (c.mitigation || 'none') === m }, L('mitigation', m))));
  const ground = h('select', { name: 'ground', 'data-testid': 'ground', disabled: !editable },
    h('option', { value: '' }, t('choose')),
    disc.grounds.map((g) => h('option', { value: g.code, selected: c.mitigation_basis === g.code, 'data-allows': g.allows }, zhen(g))));
  const base = v && v.basis === 'multiple'
    ? h('input', { type: 'number', name: 'base_yuan', min: 1, step: 'any', 'data-testid': 'base-yuan', value: saved.base_yuan ?? '', disabled: !editable }) : null;
  const advisory = h('strong', { 'data-testid': 'advisory-amount', style: { fontSize: '20px' } }, c.advisory_yuan ? yuan(c.advisory_yuan) : '—');
  const range = h('div', { class: 'muted small', 'data-testid': 'calc-range' });
  const lines = h('ol', { 'data-testid': 'reasoning', class: 'small' }, (c.reasoning || []).map((l) => h('li', {}, zhen(l))));
  const err = h('div', { 'data-testid': 'calc-error' });
  const amount = h('input', { type: 'number', name: 'amount_yuan', step: 1, min: 0, 'data-testid': 'amount-yuan', value: c.amount_yuan || '', disabled: !editable });
  const reason = h('textarea', { name: 'departure_reason', rows: 2, maxlength: 4000, 'data-testid': 'departure-reason', disabled: !editable, style: { width: '100%' } });
  reason.value = c.departure_reason || '';
  let last = null;
  const body = () => {
    const levels = {};
    for (const [k, s] of Object.entries(selects)) if (s.value) levels[k] = s.value;
    const b = { levels, mitigation: mitigation.value };
    if (mitigation.value !== 'none' && ground.value) b.ground = ground.value;
    if (base && base.value) b.base_yuan = Number(base.value);
    return b;
  };
  const recalc = async () => {
    err.replaceChildren();
    try {
      const r = await post(`/api/v1/penalty/cases/${c.id}/calculate`, body());
      const follow = !amount.value || (last && Number(amount.value) === last.advisory_yuan);
      last = r;
      advisory.textContent = yuan(r.advisory_yuan);
      advisory.dataset.value = String(r.advisory_yuan);
      range.textContent = `${t('pen_range')}：${yuan(r.floor_yuan)} – ${yuan(r.ceil_yuan)}${r.clamped ? ` · ${t('pen_clamped')}` : ''}`;
      lines.replaceChildren(...r.reasoning.map((l) => h('li', {}, zhen(l))));
      if (follow) amount.value = String(r.advisory_yuan);
    } catch (e) {
      advisory.textContent = '—';
      delete advisory.dataset.value;
      err.replaceChildren(errorBanner(e, 'calc-error-banner'));
    }
  };
  for (const el of [...Object.values(selects), mitigation, ground, base].filter(Boolean)) el.addEventListener('change', recalc);
  const save = editable ? btn(t('pen_save_discretion'), () => busy(save, async () => {
    const b = body();
    b.amount_yuan = Number(amount.value);
    if (reason.value.trim()) b.departure_reason = reason.value.trim();
    try {
      await put(`/api/v1/penalty/cases/${c.id}/discretion`, b);
      toast(t('pen_saved'));
      reload();
    } catch (e) { err.replaceChildren(errorBanner(e, 'save-error')); }
  }), { primary: true, testid: 'save-discretion' }) : null;
  if (editable && Object.values(selects).every((s) => s.value)) recalc();
  return card('calculator',
    sectionHead(t('pen_calc')),
    v ? kvGrid([[t('pen_type'), zhen(v)], [t('pen_basis'), v.legal_basis],
      [t('pen_range'), v.basis === 'multiple' ? `${v.base_zh} × ${v.min_multiple}–${v.max_multiple}` : `${yuan(v.min_yuan)} – ${yuan(v.max_yuan)}`]], 'calc-basis') : null,
    h('div', { class: 'grid2', style: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))', gap: '8px 24px' } },
      ...rows,
      h('label', { class: 'field' }, h('span', { class: 'label' }, t('pen_mitigation')), mitigation),
      h('label', { class: 'field' }, h('span', { class: 'label' }, t('pen_ground')), ground),
      base ? h('label', { class: 'field' }, h('span', { class: 'label' }, v.base_zh || t('pen_base')), base) : null),
    h('div', { style: { margin: '12px 0' } }, h('span', {}, `${t('pen_advisory')}：`), advisory, range),
    h('h3', {}, t('pen_reasoning')), lines, err,
    h('label', { class: 'field', style: { display: 'block' } }, h('span', { class: 'label' }, t('pen_amount_decided')), amount),
    h('label', { class: 'field', style: { display: 'block' } }, h('span', { class: 'label' }, t('pen_departure')), reason),
    save);
}

function exemptCheck(d, rerender) {
  const ex = d.exempt;
  if (!ex) return null;
  const icon = (v) => (v === 'pass' ? '✓' : v === 'fail' ? '✗' : '?');
  const items = ex.items.map((it) => h('li', { 'data-testid': `exempt-${it.code}`, 'data-passed': it.passed ? '1' : '0', 'data-applies': it.applies ? '1' : '0', style: { marginBottom: '10px', opacity: it.applies ? 1 : 0.6 } },
    h('strong', {}, zhen(it)), ' ', h('span', { class: 'badge plain' }, L('exempt_kind', it.kind)), ' ',
    it.applies ? h('span', { class: `badge ${it.passed ? 'green' : 'red'}` }, it.passed ? t('pen_item_passed') : t('pen_item_failed'))
      : h('span', { class: 'badge grey' }, t('pen_not_applies')),
    h('div', { class: 'muted small' }, it.legal_basis),
    h('ul', { style: { listStyle: 'none', paddingLeft: '8px' } }, it.conditions.map((c) => h('li', { 'data-fact': c.fact, 'data-verdict': c.verdict },
      h('span', { class: `badge ${c.verdict === 'pass' ? 'green' : c.verdict === 'fail' ? 'red' : 'amber'}` }, `${icon(c.verdict)} ${t(`pen_${c.verdict}`)}`), ' ', getLang() === 'zh' ? c.zh : c.en)))));
  const hw = h('input', { type: 'number', min: 0, step: 'any', name: 'hw_tonnes_year', 'data-testid': 'hw-input', value: ex.facts.hw_tonnes_year ?? '' , style: { width: '8em' } });
  const again = btn(t('pen_recheck'), () => rerender(hw.value), { small: true, testid: 'exempt-recheck' });
  const f = ex.facts;
  return card('exempt-check', sectionHead(t('pen_exempt')), h('p', { class: 'muted small' }, t('pen_exempt_hint')),
    h('div', { class: 'small muted', 'data-testid': 'exempt-facts' },
      `${t('pen_facts_measured')}：${f.have_monitoring ? `${f.monitoring_from}–${f.monitoring_to} 超标倍数 ${f.exceed_multiple}、超标 ${f.exceed_hours} 小时、${f.exceed_factors} 项因子${f.toxic ? '（含有毒污染物）' : ''}` : '无监测数据'}；`
      + `${f.corrected_on ? `整改完成 ${f.corrected_on}（${f.corrected_days} 日）` : '尚未整改完成'}；${f.last_same_type ? `上次同类决定 ${f.last_same_type}` : '无同类记录'}`),
    h('label', { class: 'small' }, `${t('pen_hw')} `, hw, ' ', again),
    h('ol', { 'data-testid': 'exempt-items' }, items));
}

function actionDialog(d, a, reload, hwValue) {
  const c = d.case;
  let m;
  const fields = [];
  if (a.action === 'extend') fields.push({ name: 'extension', label: t('pen_extension'), type: 'integer', required: true, min: 1, testid: 'act-extension' });
  if (a.action === 'decide') {
    fields.push({ name: 'waived', label: t('pen_waived'), type: 'checks', options: [['1', t('pen_waived')]], testid: 'act-waived' });
    fields.push({ name: 'requirement', label: t('pen_requirement'), type: 'textarea', maxlength: 4000, span: 2, testid: 'act-requirement' });
  }
  if (a.action === 'decide_no_penalty') {
    const passed = (d.exempt?.items || []).filter((i) => i.applies);
    fields.push({ name: 'item', label: t('pen_item'), type: 'select', required: true, options: passed.map((i) => [i.code, `${zhen(i)}${i.passed ? ' ✓' : ''}`]), testid: 'act-item' });
    fields.push({ name: 'education', label: t('pen_education'), type: 'textarea', required: true, maxlength: 4000, span: 2, testid: 'act-education' });
    fields.push({ name: 'requirement', label: t('pen_requirement'), type: 'textarea', required: true, maxlength: 4000, span: 2, testid: 'act-requirement' });
  }
  if (a.action === 'decide' || a.action === 'decide_no_penalty') {
    fields.push({ name: 'workdays', label: t('pen_workdays'), type: 'integer', min: 1, testid: 'act-workdays' });
    fields.push({ name: 'publish', label: t('pen_publish'), type: 'checks', options: [['1', t('pen_publish')]], testid: 'act-publish' });
  }
  fields.push({ name: 'note', label: t('pen_note'), type: 'textarea', required: a.needs_note, maxlength: 4000, span: 2, testid: 'act-note' });
  const f = form({
    cols: 2, testid: 'action-form', fields,
    values: { publish: ['1'], item: d.exempt?.passed_item || '' },
    submitLabel: zhen({ zh: a.label_zh, en: a.label_en }),
    submitTestid: 'act-submit',
    onCancel: () => m.close(),
    onSubmit: async (v) => {
      const b = { action: a.action };
      if (v.note) b.note = v.note;
      if (v.extension) b.extension = Number(v.extension);
      if (a.action === 'decide') b.waived = (v.waived || []).includes('1');
      if (v.requirement) b.requirement = v.requirement;
      if (v.item) b.item = v.item;
      if (v.education) b.education = v.education;
      if (v.workdays) b.workdays = Number(v.workdays);
      if (a.action === 'decide' || a.action === 'decide_no_penalty') b.publish = (v.publish || []).includes('1');
      if (a.action === 'decide_no_penalty' && hwValue !== '' && hwValue !== undefined && hwValue !== null) b.hw_tonnes_year = Number(hwValue);
      await post(`/api/v1/penalty/cases/${c.id}/transitions`, b);
      m.close();
      toast(t('pen_done'));
      reload();
    },
  });
  m = modal({ title: zhen({ zh: a.label_zh, en: a.label_en }), body: f.el, wide: true, dismissable: false, testid: 'action-dialog' });
  m.el.querySelector('.modal-foot').hidden = true;
}

export async function render(ctx, hwValue) {
  const { main, params } = ctx;
  const id = Number(params.id);
  const d = await get(`/api/v1/penalty/cases/${id}${qs({ hw_tonnes_year: hwValue || undefined })}`);
  const c = d.case;
  const reload = () => render(ctx, hwValue);
  ctx.setTitle(`${t('pen_case')} #${c.id}`);
  const dl = d.deadlines;
  const docs = [];
  if (c.notice_attachment_id) docs.push(h('a', { href: `/api/v1/attachments/${c.notice_attachment_id}/content`, download: `${c.notice_no}.pdf`, 'data-testid': 'doc-notice' }, `${t('pen_notice_doc')} ${c.notice_no}`));
  if (c.decision_attachment_id) docs.push(h('a', { href: `/api/v1/attachments/${c.decision_attachment_id}/content`, download: `${c.decision_no}.pdf`, 'data-testid': 'doc-decision' }, `${t('pen_decision_doc')} ${c.decision_no}`));
  if (c.decision_verify_token) docs.push(h('a', { href: `/verify/${c.decision_verify_token}`, target: '_blank', rel: 'noopener' }, t('pen_verify')));
  const actions = (d.actions || []).map((a) => btn(zhen({ zh: a.label_zh, en: a.label_en }), () => actionDialog(d, a, reload, hwValue), { testid: `act-${a.action}`, primary: a.action.startsWith('decide') }));
  const pub = can('penalty.publish') && c.outcome !== 'none'
    ? btn(c.published ? t('pen_withdraw') : t('pen_republish'), async () => {
      try { await post(`/api/v1/penalty/cases/${c.id}/publish`, { published: !c.published }); reload(); } catch (e) { toast(apiMessage(e), 'error'); }
    }, { testid: 'toggle-publish' }) : null;
  main.replaceChildren(
    pageHead(`${t('pen_case')} #${c.id} · ${c.enterprise_name}`, statusBadge(c.status), outcomeBadge(c.outcome), pub),
    card('case-facts', kvGrid([
      [t('pen_type'), c.title], [t('pen_enterprise'), c.enterprise_name], [t('pen_facts'), c.facts, { wide: true }],
      [t('pen_filed_on'), c.filed_on], ['发现日期 / Found on', c.found_on], [t('pen_decided_on'), c.decided_on], [t('pen_decision_no'), c.decision_no],
      [t('pen_amount'), c.outcome === 'penalty' ? yuan(c.amount_yuan) : '—'], [t('pen_published'), c.published ? '✓' : '—'],
      [t('pen_timeline'), c.case_id ? h('a', { href: `#/cases/${c.case_id}`, 'data-testid': 'case-link' }, `#${c.case_id}`) : '—'],
      c.rectify_order_id ? [t('pen_rectify_order'), `#${c.rectify_order_id}`] : null,
      c.education ? [t('pen_education'), c.education, { wide: true }] : null,
    ], 'case-kv')),
    card('deadlines', sectionHead(t('pen_deadlines')), kvGrid([
      [t('pen_filing_due'), dl.filing_due], [t('pen_decision_due'), c.case_due_at ? fmtTime(c.case_due_at) : (c.case_state === 'hearing' ? '（听证期间暂停）' : '—')],
      dl.hearing_request_due ? [t('pen_hearing_due'), dl.hearing_request_due] : null,
      dl.payment_due ? [t('pen_payment_due'), dl.payment_due] : null,
      dl.publish_due ? [t('pen_publish_due'), dl.publish_due] : null,
    ], 'deadline-kv')),
    actions.length ? card('actions', sectionHead(t('pen_actions')), h('div', { style: { display: 'flex', gap: '8px', flexWrap: 'wrap' } }, actions)) : h('span'),
    docs.length ? card('documents', sectionHead(t('pen_documents')), h('div', { style: { display: 'flex', gap: '16px', flexWrap: 'wrap' } }, docs)) : h('span'),
    role() !== 'enterprise' ? calculator(d, reload) : (c.reasoning?.length ? card('reasoning-ro', sectionHead(t('pen_reasoning')), h('ol', {}, c.reasoning.map((l) => h('li', {}, zhen(l))))) : h('span')),
    exemptCheck(d, (hw) => render(ctx, hw)) || h('span'));
}
