// Who is logged in, and what their role may do. The role sets mirror the x-roles of the API
// (docs/api/README.md): the UI hides what the server would refuse, the server still decides.

import { MODULES } from './modules.js';

export const STAFF = ['admin', 'leader', 'approver', 'inspector', 'legal', 'monitor', 'service'];
export const ROLES = [...STAFF, 'enterprise'];

// The shell's own role sets, then each module's (its module.js perms: { roles, route }, the
// roles of that API route, which tests/e2e/modules.test.mjs checks; 'staff' and 'any' stand for
// those sets).
const PERMS = { staff: STAFF, admin: ['admin'], any: ROLES };
for (const m of MODULES) {
  for (const [k, p] of Object.entries(m.perms || {})) {
    const roles = Array.isArray(p) || typeof p === 'string' ? p : p.roles;
    PERMS[k] = roles === 'staff' ? STAFF : roles === 'any' ? ROLES : roles;
  }
}

export const session = { user: null, lastList: null };

export function role() { return session.user ? session.user.role : null; }

// May the current user do `perm` (a key of PERMS, or an array of roles)?
export function can(perm) {
  const r = role();
  if (!r) return false;
  const roles = Array.isArray(perm) ? perm : PERMS[perm];
  return !!roles && roles.includes(r);
}

// Where a user lands after login.
export function homePath() {
  const u = session.user;
  if (!u) return '/login';
  if (u.role === 'bank') return '/quota/bank';
  return u.role === 'enterprise' ? `/enterprises/${u.enterprise_id}` : '/dashboard';
}
