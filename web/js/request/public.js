// The public complaint form (no login, #/public/complaint), laid out for a phone: category,
// description, where (an address and/or the device's location — WGS 84 from the browser, or
// GCJ-02 coordinates from a Chinese map app converted here), photos, optional contact or
// anonymity. It fetches a one-use form token first (the server refuses a form posted within
// two seconds or after two hours); the answer is the tracking code.
import { t, fl, setLang, getLang } from '../i18n.js';
import { h, btn, errorBanner } from '../ui.js';
import { L, CATEGORIES, gcjToWgs } from './common.js';

export function shell(root, title, body, rerender) {
  const lang = h('button', { type: 'button', class: 'btn small', 'data-testid': 'lang', onclick: () => { setLang(getLang() === 'zh' ? 'en' : 'zh'); rerender(); } },
    getLang() === 'zh' ? 'English' : '中文');
  root.replaceChildren(h('div', { class: 'rq-public', style: { minHeight: '100vh', background: 'var(--bg, #f4f5f7)' } },
    h('header', { style: { display: 'flex', alignItems: 'center', gap: '8px', padding: '12px 16px', background: 'var(--primary-dd, #0b5a3c)', color: '#fff', flexWrap: 'wrap' } },
      h('strong', { style: { fontSize: '17px', flex: '1 1 auto' } }, title),
      h('a', { class: 'btn small', href: '#/public/complaint' }, t('rq_file_complaint')),
      h('a', { class: 'btn small', href: '#/public/track', 'data-testid': 'to-track' }, t('rq_pub_track')), lang),
    h('main', { style: { maxWidth: '640px', margin: '16px auto', padding: '0 12px' } }, body)));
}

export const card = (...c) => h('section', { class: 'panel', style: { background: '#fff', padding: '16px', borderRadius: '8px', marginBottom: '16px' } }, ...c);

const field = (labelText, input, hint) => h('div', { class: 'field', style: { marginBottom: '12px' } },
  h('label', { style: { display: 'block', fontWeight: 600, marginBottom: '4px' } }, labelText), input,
  hint ? h('div', { class: 'muted small' }, hint) : null);
const full = { width: '100%', boxSizing: 'border-box' };

async function jsonOf(res) {
  const j = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(j.error?.message || res.statusText), { status: res.status, body: j });
  return j;
}

export async function render(ctx) {
  const { root } = ctx;
  const rerender = () => render(ctx);
  document.title = t('rq_pub_title');
  const form = await fetch('/api/v1/public/requests/form').then(jsonOf);
  const issued = Date.now();
  const cat = h('select', { name: 'category', 'data-testid': 'pub-category', style: full },
    form.categories.filter((c) => c !== 'confidential').concat(['confidential']).map((c) => h('option', { value: c }, L('request_category', c))));
  const desc = h('textarea', { name: 'description', rows: 5, maxlength: 4000, 'data-testid': 'pub-description', style: full });
  const region = h('select', { name: 'region_code', 'data-testid': 'pub-region', style: full },
    h('option', { value: '' }, `— ${fl('region_code', 'request')} —`), form.regions.map((r) => h('option', { value: r.code }, r.name)));
  const addr = h('input', { name: 'address', maxlength: 400, 'data-testid': 'pub-address', style: full, placeholder: fl('address', 'request') });
  const lat = h('input', { name: 'lat', inputmode: 'decimal', placeholder: 'lat', 'data-testid': 'pub-lat', style: { width: '48%' } });
  const lng = h('input', { name: 'lng', inputmode: 'decimal', placeholder: 'lng', 'data-testid': 'pub-lng', style: { width: '48%', marginLeft: '4%' } });
  const gcj = h('input', { type: 'checkbox', 'data-testid': 'pub-gcj' });
  const located = h('div', { class: 'muted small', 'data-testid': 'pub-located' });
  const locate = btn(t('rq_pub_locate'), () => {
    navigator.geolocation?.getCurrentPosition((p) => { // the browser gives WGS 84
      lat.value = p.coords.latitude.toFixed(6); lng.value = p.coords.longitude.toFixed(6); gcj.checked = false;
      located.textContent = t('rq_pub_located', { lat: lat.value, lng: lng.value });
    }, (e) => { located.textContent = e.message; }, { enableHighAccuracy: true, timeout: 10000 });
  }, { small: true, testid: 'pub-locate' });
  const photos = h('input', { type: 'file', accept: 'image/jpeg,image/png', multiple: true, 'data-testid': 'pub-photos' });
  const anon = h('input', { type: 'checkbox', 'data-testid': 'pub-anon' });
  const cname = h('input', { name: 'contact_name', maxlength: 100, placeholder: fl('contact_name', 'request'), 'data-testid': 'pub-contact-name', style: full, autocomplete: 'name' });
  const cphone = h('input', { name: 'contact_phone', maxlength: 40, placeholder: fl('contact_phone', 'request'), inputmode: 'tel', 'data-testid': 'pub-contact-phone', style: full, autocomplete: 'tel' });
  anon.addEventListener('change', () => { cname.disabled = cphone.disabled = anon.checked; });
  const banner = h('div', { 'data-testid': 'pub-error' });
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'pub-submit', style: full }, t('rq_pub_submit'));
  const el = h('form', { novalidate: true },
    field(fl('category', 'request'), cat),
    field(fl('description', 'request'), desc),
    field(t('rq_pub_where'), h('div', {}, region, h('div', { style: { marginTop: '8px' } }, addr), h('div', { style: { marginTop: '8px' } }, lat, lng),
      h('div', { style: { marginTop: '8px', display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' } }, locate,
        h('label', { class: 'check small' }, gcj, t('rq_pub_gcj'))), located), t('rq_pub_where_hint')),
    field(t('rq_pub_photos'), photos),
    field(t('rq_pub_contact'), h('div', {}, h('label', { class: 'check' }, anon, t('rq_pub_anon')),
      h('div', { style: { marginTop: '8px' } }, cname), h('div', { style: { marginTop: '8px' } }, cphone))),
    banner, submit);
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    banner.replaceChildren();
    submit.disabled = true;
    try {
      const wait = 2100 - (Date.now() - issued); // the token is good from two seconds after issue
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
      const body = { form_token: form.form_token, category: cat.value, description: desc.value.trim(), address: addr.value.trim(), region_code: region.value, anonymous: anon.checked };
      if (lat.value.trim() && lng.value.trim()) {
        let p = [Number(lat.value), Number(lng.value)];
        if (gcj.checked) p = gcjToWgs(p[0], p[1]);
        [body.lat, body.lng] = p;
      }
      if (!anon.checked) { body.contact_name = cname.value.trim(); body.contact_phone = cphone.value.trim(); }
      const res = await fetch('/api/v1/public/requests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(jsonOf);
      const failed = [];
      for (const f of [...photos.files].slice(0, 5)) {
        const fd = new FormData();
        fd.append('file', f, f.name);
        try { await fetch(`/api/v1/public/requests/${res.tracking_code}/photos`, { method: 'POST', body: fd }).then(jsonOf); } catch (x) { failed.push(t('rq_pub_photo_fail', { name: f.name, msg: x.message })); }
      }
      done(root, res.tracking_code, failed, rerender);
    } catch (x) {
      submit.disabled = false;
      banner.replaceChildren(errorBanner(x.body?.error ? { message: x.body.error.message } : x, 'pub-error-banner'));
      if (x.body?.error?.code === 'form_used' || x.body?.error?.field === 'form_token') setTimeout(rerender, 1500);
    }
  });
  shell(root, t('rq_pub_title'), card(h('p', { class: 'muted' }, t('rq_pub_intro')), el), rerender);
}

function done(root, code, failed, rerender) {
  shell(root, t('rq_pub_title'), card(
    h('h2', {}, t('rq_pub_done')),
    h('p', {}, t('rq_pub_code')),
    h('p', { style: { fontSize: '28px', fontWeight: 700, letterSpacing: '2px' }, 'data-testid': 'pub-code' }, code),
    h('p', { class: 'muted' }, t('rq_pub_keep')),
    ...failed.map((m) => h('p', { class: 'err', 'data-testid': 'pub-photo-failed' }, m)),
    h('div', { style: { display: 'flex', gap: '8px', flexWrap: 'wrap' } },
      h('a', { class: 'btn primary', href: `#/public/track?code=${code}`, 'data-testid': 'pub-track-link' }, t('rq_pub_track')),
      btn(t('rq_pub_new'), rerender, { testid: 'pub-again' }))), rerender);
}
