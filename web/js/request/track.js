// The public tracking page (#/public/track?code=…): what a complainant may see by tracking code
// — state, times, progress notes written for the public, the answer, the steps taken and when —
// and nothing more (no officer, no contact, no internal note).
import { t, label, getLang } from '../i18n.js';
import { h, kvGrid, fmtTime } from '../ui.js';
import { shell, card } from './public.js';
import { stateBadge } from './common.js';

export async function render(ctx) {
  const { root, query } = ctx;
  const rerender = () => render(ctx);
  document.title = t('rq_track_title');
  const code = (query.get('code') || '').trim().toUpperCase();
  const input = h('input', { name: 'code', value: code, maxlength: 12, autocapitalize: 'characters', 'data-testid': 'track-code', style: { flex: '1 1 160px', fontSize: '18px' } });
  const go = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'track-go' }, t('rq_track_go'));
  const ask = h('form', { style: { display: 'flex', gap: '8px', flexWrap: 'wrap' } }, input, go);
  ask.addEventListener('submit', (e) => { e.preventDefault(); ctx.navigate(`/public/track?code=${encodeURIComponent(input.value.trim().toUpperCase())}`); });
  const out = h('div', { 'data-testid': 'track-result' });
  shell(root, t('rq_track_title'), [card(h('label', {}, t('rq_track_code')), ask), out], rerender);
  if (!code) return;
  const res = await fetch(`/api/v1/public/requests/${encodeURIComponent(code)}`);
  if (res.status === 404) {
    out.replaceChildren(card(h('p', { class: 'err', 'data-testid': 'track-none' }, t('rq_track_none'))));
    return;
  }
  const p = await res.json();
  const notes = (p.public_notes || '').split('\n').filter(Boolean).map((n) => n.split(' / ')[getLang() === 'en' ? 1 : 0] || n);
  out.replaceChildren(card(
    h('h2', {}, `${label('request_category', p.category)} · ${p.tracking_code}`),
    kvGrid([
      [t('rq_track_state'), stateBadge(p.state, 'track-state')],
      [t('rq_track_received'), fmtTime(p.received_at)],
      [t('rq_track_updated'), fmtTime(p.updated_at)],
      p.address ? [t('rq_pub_where'), p.address] : null,
      notes.length ? [t('rq_track_notes'), notes.join('；')] : null,
      p.answer ? [t('rq_track_answer'), h('div', { 'data-testid': 'track-answer', style: { whiteSpace: 'pre-wrap' } }, p.answer), { wide: true }] : null,
      p.reject_reason ? [t('rq_track_reason'), p.reject_reason, { wide: true }] : null,
      p.referred_to ? [t('rq_track_referred'), p.referred_to] : null,
    ], 'track-facts'),
    h('h3', {}, t('rq_timeline')),
    h('ol', { 'data-testid': 'track-timeline' }, p.timeline.map((e) => h('li', {}, `${fmtTime(e.at)} · ${label('request_action', e.action) || e.action} → ${label('request_state', e.state)}`)))));
}
