// Who is logged in, and what their role may do. The role sets mirror the x-roles of the API
// (docs/api/README.md): the UI hides what the server would refuse, the server still decides.

export const STAFF = ['admin', 'leader', 'approver', 'inspector', 'legal', 'monitor', 'service'];
export const ROLES = [...STAFF, 'enterprise'];

const PERMS = {
  staff: STAFF,
  'enterprise.write': ['admin', 'approver', 'inspector'],          // REG
  'tech.write': ['admin', 'approver', 'inspector', 'monitor'],     // TECH: outlets, points, limits
  'permit.write': ['admin', 'approver', 'inspector'],
  'enterprise.import': ['admin', 'approver'],
  'agency.read': STAFF,
  'agency.write': ['admin', 'approver'],
  'audit.read': ['admin', 'leader'],
  'calendar.write': ['admin'],
  admin: ['admin'],
  any: ROLES,
  'alarm.handle': ['admin', 'monitor', 'inspector'],   // ALARM_HANDLERS: not the leader (decision 30)
  'command.write': ['admin', 'monitor'],
  quarantine: ['admin', 'monitor'],
};

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
  return u.role === 'enterprise' ? `/enterprises/${u.enterprise_id}` : '/dashboard';
}
