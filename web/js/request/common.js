// Shared bits of the request pages: badges for state and clock, labels, the GCJ-02 → WGS 84
// conversion for coordinates copied from Chinese map apps (the API and the map take WGS 84).
import { t, label } from '../i18n.js';
import { h } from '../ui.js';

const STATE_COLOR = { received: 'amber', accepted: 'blue', handling: 'blue', extension_requested: 'amber', closed: 'green', rated: 'green', rejected: 'grey', referred: 'grey' };
const CLOCK_COLOR = { on_track: 'green', due_soon: 'amber', overdue: 'red', paused: 'grey', stopped: 'grey', none: 'grey' };

export const L = (set, v) => label(set, v);
export const stateBadge = (s, testid) => h('span', { class: `badge ${STATE_COLOR[s] || ''}`, 'data-testid': testid }, L('request_state', s));
export const clockBadge = (c) => (c && c !== 'none' ? h('span', { class: `badge ${CLOCK_COLOR[c] || ''}` }, t(`rq_clock_${c}`)) : '');
export const CATEGORIES = ['air', 'water', 'noise', 'waste', 'odor', 'radiation', 'ecology', 'other', 'confidential'];
export const REQUEST_CATEGORIES = ['consultation', 'problem', 'policy', 'approval_help'];

// GCJ-02 (the offset Chinese map apps use) to WGS 84: the forward transform inverted by a few
// fixed-point steps (error well under a metre inside China).
const A = 6378245.0, EE = 0.00669342162296594323;
function tLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}
function tLng(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}
export function wgsToGcj(lat, lng) {
  let dLat = tLat(lng - 105, lat - 35), dLng = tLng(lng - 105, lat - 35);
  const rad = (lat / 180) * Math.PI;
  let m = Math.sin(rad);
  m = 1 - EE * m * m;
  const s = Math.sqrt(m);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (m * s)) * Math.PI);
  dLng = (dLng * 180) / ((A / s) * Math.cos(rad) * Math.PI);
  return [lat + dLat, lng + dLng];
}
export function gcjToWgs(lat, lng) {
  let wLat = lat, wLng = lng;
  for (let i = 0; i < 6; i++) {
    const [gLat, gLng] = wgsToGcj(wLat, wLng);
    wLat -= gLat - lat;
    wLng -= gLng - lng;
  }
  return [Number(wLat.toFixed(7)), Number(wLng.toFixed(7))];
}
