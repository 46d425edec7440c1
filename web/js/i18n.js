// Interface language: Simplified Chinese by default, English on request; the choice is kept in
// localStorage. Three dictionaries: interface strings t('key', {vars}) (the shell's below, each
// module's in its strings.js), field names of the API shapes fl('uscc') and labels of enumerated
// values label('category', 'key') (each module's labels.json, which the server reads too).

import { MODULES } from './modules.js';

const STORE_KEY = 'envgov.lang';

const zh = {
  app: '生态环境局工作平台', 
  nav_registry: '企业监管', nav_admin: '系统管理',
  login: '登录', logout: '退出登录', change_password: '修改密码',
  username: '用户名', password: '密码', old_password: '原密码', new_password: '新密码',
  new_password2: '确认新密码', password_mismatch: '两次输入的新密码不一致',
  password_rule: '至少 10 位，须同时包含字母和数字，不能包含用户名或常见密码',
  password_changed: '密码已修改',
  session_expired: '登录已失效，请重新登录',
  lang_zh: '中文', lang_en: 'English', language: '语言',
  search: '搜索', all: '全部', filter_all: '{f}：全部', none: '暂无数据', loading: '加载中…', save: '保存', saving: '保存中…',
  cancel: '取消', close: '关闭', edit: '编辑', add: '新增', create: '新建', confirm: '确定', back: '返回',
  deactivate: '停用', activate: '启用', revoke: '撤销', yes: '是', no: '否', actions: '操作',
  refresh: '刷新', copy: '复制', copied: '已复制到剪贴板', copy_failed: '无法自动复制，请手动选中复制',
  download: '下载', upload: '上传', uploading: '正在上传… {p}%', processing: '正在处理…',
  choose: '请选择', no_file: '请先选择文件', reset_filters: '重置',
  prev: '上一页', next: '下一页', total: '共 {n} 条', page: '第 {n} 页', page_size: '{n} 条/页',
  saved: '已保存', created_ok: '已创建', status_changed: '状态已更新', sort_hint: '点击列标题排序',
  required: '此项必填', invalid_number: '请输入数字', unsaved: '有未保存的修改，确定离开吗？',
  not_found: '页面不存在', forbidden_page: '您的角色无权访问此页面',
  request_id: '请求编号', error: '出错了',
  // dashboard
  days_left: '剩 {n} 天', due_today: '今日到期', overdue_days: '已过期 {n} 天',
  // enterprise list
  export_xlsx: '导出 Excel', export_csv: '导出 CSV', 
  export_hint: '按当前筛选条件导出', region_all: '{name}（全部）',
  // enterprise detail
  expiring_soon: '即将到期', expired: '已过期', valid: '有效',
  no_changes: '（无字段变化）', more_fields: '等 {n} 项',
  // enterprise form
  no_match: '没有匹配项', ind_level_1: '门类', ind_level_2: '大类', ind_level_3: '中类', ind_level_4: '小类',
  // permits
  // agencies
  // users
  enterprise_search: '输入企业名称搜索', 
  // org units
  whole: '全域',
  // calendar
  bad_json: 'JSON 格式错误：{m}', 
  // audit
  before: '变更前', after: '变更后', no_detail: '—',
  // tokens
  never: '永不过期',
  nav_monitor: '在线监控', 
  st_online: '在线', st_alarm: '报警', st_offline: '离线', st_maintenance: '维护', st_nodata: '未接入', st_total: '监测点总数',
  point: '监测点', enterprise: '企业', region: '行政区划',
  cn_2011: '实时', cn_2051: '分钟', cn_2061: '小时', cn_2031: '日',
  value: '数值', 
  note: '处理意见',
  alarm_kind: '报警类型', first_at: '首次报警', 
  notifications: '消息', mark_all_read: '全部标为已读', no_notifications: '暂无消息',
  // ---- alarms: list filters, export, bulk acknowledge; point chart and commands ----
  // ---- dashboard ----
  // ---- forms ----
  err_network: '网络连接失败，请检查网络后重试', err_server: '服务器出错（{s}），请稍后重试',
  err_unexpected: '页面出错了，请重试；仍不行请联系系统管理员', retry: '重试',
  errors_summary: '有 {n} 处需要修改：', colon: '：', unsaved_title: '离开此页？', leave: '离开',
  uscc_len: '统一社会信用代码长度应为18位（现为{n}位）', uscc_char: '统一社会信用代码第{p}位“{c}”不是合法字符，只能用数字或大写字母（不含 I、O、S、V、Z）',
  uscc_region: '统一社会信用代码第3-8位应为行政区划代码（6位数字）', uscc_check: '统一社会信用代码无效：校验码错误，第18位应为 {want}（现为 {got}）',
  // ---- data ----
  nav_own: '本企业', nav_own_monitor: '在线监测', 
  // ---- layout ----
  menu: '菜单', user_menu: '用户菜单', app_short: '生态环境局',
  page_of: '第 {n} / {m} 页', jump_to: '跳至', page_unit: '页', go: '确定', jump_page: '跳转到第几页',
  // ---- monitor board ----
};

const en = {
  app: 'Ecology & Environment Bureau Platform', 
  nav_registry: 'Registry', nav_admin: 'Administration',
  login: 'Log in', logout: 'Log out', change_password: 'Change password',
  username: 'User name', password: 'Password', old_password: 'Current password', new_password: 'New password',
  new_password2: 'Repeat new password', password_mismatch: 'The two new passwords differ',
  password_rule: 'At least 10 characters with letters and digits; not containing the user name or a common password',
  password_changed: 'Password changed',
  session_expired: 'Your session has ended; please log in again',
  lang_zh: '中文', lang_en: 'English', language: 'Language',
  search: 'Search', all: 'All', filter_all: '{f}: all', none: 'Nothing here', loading: 'Loading…', save: 'Save', saving: 'Saving…',
  cancel: 'Cancel', close: 'Close', edit: 'Edit', add: 'Add', create: 'Create', confirm: 'OK', back: 'Back',
  deactivate: 'Deactivate', activate: 'Activate', revoke: 'Revoke', yes: 'Yes', no: 'No', actions: 'Actions',
  refresh: 'Refresh', copy: 'Copy', copied: 'Copied to the clipboard', copy_failed: 'Could not copy; select and copy it by hand',
  download: 'Download', upload: 'Upload', uploading: 'Uploading… {p}%', processing: 'Processing…',
  choose: 'Choose…', no_file: 'Choose a file first', reset_filters: 'Reset',
  prev: 'Previous', next: 'Next', total: '{n} in total', page: 'Page {n}', page_size: '{n} / page',
  saved: 'Saved', created_ok: 'Created', status_changed: 'Status changed', sort_hint: 'Click a column title to sort',
  required: 'Required', invalid_number: 'Enter a number', unsaved: 'Leave without saving your changes?',
  not_found: 'No such page', forbidden_page: 'Your role may not open this page',
  request_id: 'Request id', error: 'Something went wrong',
  days_left: '{n} days left', due_today: 'Due today', overdue_days: '{n} days overdue',
  export_xlsx: 'Export Excel', export_csv: 'Export CSV', 
  export_hint: 'Exports the current filter', region_all: '{name} (all)',
  expiring_soon: 'Due soon', expired: 'Expired', valid: 'Valid',
  no_changes: '(no field changed)', more_fields: 'and {n} more',
  no_match: 'No match', ind_level_1: 'section', ind_level_2: 'division', ind_level_3: 'group', ind_level_4: 'class',
  enterprise_search: 'Type an enterprise name', 
  whole: 'everything',
  bad_json: 'Malformed JSON: {m}', 
  before: 'Before', after: 'After', no_detail: '—',
  never: 'Never',
  nav_monitor: 'Online monitoring', 
  st_online: 'Online', st_alarm: 'Alarm', st_offline: 'Offline', st_maintenance: 'Maintenance', st_nodata: 'No data', st_total: 'Points',
  point: 'Point', enterprise: 'Enterprise', region: 'Region',
  cn_2011: 'Real-time', cn_2051: 'Minute', cn_2061: 'Hour', cn_2031: 'Day',
  value: 'Value', 
  note: 'Note',
  alarm_kind: 'Kind', first_at: 'First', 
  notifications: 'Notifications', mark_all_read: 'Mark all read', no_notifications: 'No notifications',
  // ---- alarms: list filters, export, bulk acknowledge; point chart and commands ----
  // ---- dashboard ----
  // ---- forms ----
  err_network: 'Network error — check the connection and retry', err_server: 'Server error ({s}) — please try again shortly',
  err_unexpected: 'Something went wrong on this page; retry, and tell the administrator if it happens again', retry: 'Retry',
  errors_summary: '{n} things to fix:', colon: ': ', unsaved_title: 'Leave this page?', leave: 'Leave',
  uscc_len: 'Unified social credit code: must be 18 characters (has {n})', uscc_char: "Unified social credit code: character {p} ('{c}') is not allowed: use digits and upper-case letters (no I O S V Z)",
  uscc_region: 'Unified social credit code: characters 3-8 must be the 6-digit region code', uscc_check: 'Unified social credit code: check character should be {want} (got {got})',
  // ---- data ----
  nav_own: 'My enterprise', nav_own_monitor: 'Online monitoring', 
  // ---- layout ----
  menu: 'Menu', user_menu: 'User menu', app_short: 'EEB Platform',
  page_of: 'Page {n} of {m}', jump_to: 'Go to', page_unit: '', go: 'Go', jump_page: 'Page to go to',
  // ---- monitor board ----
};

// Field and value labels: each module's labels.json (the C side reads the same files for exports,
// audit and error messages). fields[lang][name] or [entity.name]; enums[lang][set][value].
const fields = { zh: {}, en: {} };
const enums = { zh: {}, en: {} };
for (const m of MODULES) {
  for (const [k, [zhL, enL]] of Object.entries(m.labels?.fields || {})) {
    fields.zh[k] = zhL;
    fields.en[k] = enL;
  }
  for (const [set, values] of Object.entries(m.labels?.enums || {})) {
    for (const [v, [zhL, enL]] of Object.entries(values)) {
      (enums.zh[set] ||= {})[v] = zhL;
      (enums.en[set] ||= {})[v] = enL;
    }
  }
}

// Each module's own strings (its module.js) join the shell's; a key defined twice is a mistake
// that the console names.
for (const m of MODULES) {
  for (const [dict, add] of [[zh, m.strings?.zh], [en, m.strings?.en]]) {
    for (const [k, v] of Object.entries(add || {})) {
      if (k in dict) console.warn(`i18n: ${m.name} redefines '${k}'`);
      dict[k] = v;
    }
  }
}

let lang = 'zh';
try { lang = localStorage.getItem(STORE_KEY) === 'en' ? 'en' : 'zh'; } catch { /* storage blocked */ }

export function getLang() { return lang; }

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem(STORE_KEY, lang); } catch { /* storage blocked */ }
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

function fill(s, vars) {
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
}

// Interface string; unknown keys come back as the key so a gap is visible, not blank.
export function t(key, vars) {
  const s = (lang === 'en' ? en : zh)[key] ?? zh[key] ?? key;
  return fill(s, vars);
}

// Name of an API field; with entity, its entity-specific label when it has one ("企业名称").
export function fl(name, entity) {
  const d = fields[lang];
  return (entity && (d[`${entity}.${name}`] ?? fields.zh[`${entity}.${name}`])) ?? d[name] ?? fields.zh[name] ?? name;
}

// Label of an enumerated value; unknown values are shown as they are.
export function label(kind, value) {
  if (value === null || value === undefined || value === '') return '';
  return enums[lang][kind]?.[value] ?? enums.zh[kind]?.[value] ?? String(value);
}

// An audit row's action: the entity's own word when it has one ("alarm.close" 关闭报警,
// "service_risk.close" 风险销号), else the action's common label.
export function actionLabel(entity, action) {
  const k = `${entity}.${action}`;
  return enums[lang].entity_action?.[k] ?? enums.zh.entity_action?.[k] ?? label('action', action);
}

export function enumValues(kind) { return Object.keys(enums.zh[kind] || {}); }
export function enumOptions(kind) { return enumValues(kind).map((v) => [v, label(kind, v)]); }

const CJK = /[\u3400-\u9fff\uff00-\uffef]/;

// Server messages come as "中文 / English". Show the half in the interface language; a message
// that is not split that way is shown whole.
export function localMessage(msg) {
  if (!msg || typeof msg !== 'string') return msg || '';
  let i = msg.indexOf(' / ');
  while (i > 0) {
    const left = msg.slice(0, i), right = msg.slice(i + 3);
    if (CJK.test(left) && !CJK.test(right)) return lang === 'en' ? right : left;
    i = msg.indexOf(' / ', i + 3);
  }
  const j = msg.indexOf('/ ');
  if (j > 0 && CJK.test(msg.slice(0, j)) && !CJK.test(msg.slice(j + 2))) {
    return lang === 'en' ? msg.slice(j + 2) : msg.slice(0, j).trim();
  }
  return msg;
}

setLang(lang);
