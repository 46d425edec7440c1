// Interface strings in Simplified Chinese (default) and English. t('key') looks a string up in
// the chosen language; the choice is kept in localStorage.
const zh = {
  app: '生态环境局工作平台', login: '登录', logout: '退出', username: '用户名', password: '密码',
  login_sub: '环境监管与企业服务', dashboard: '工作台', enterprises: '企业档案', permits: '排污许可证',
  agencies: '环境服务机构', admin: '系统管理', users: '用户管理', org_units: '单位与辖区',
  calendar: '工作日历', audit: '操作日志', tokens: 'API 令牌', search: '搜索', search_ph: '名称、代码、地址（支持两个汉字）',
  all: '全部', export_xlsx: '导出 Excel', export_csv: '导出 CSV', import: '导入', new_enterprise: '新建企业',
  prev: '上一页', next: '下一页', total: '共 {n} 条', page: '第 {n} 页', none: '暂无数据', loading: '加载中…',
  save: '保存', cancel: '取消', edit: '编辑', deactivate: '停用', activate: '启用', add: '新增', close: '关闭',
  saved: '已保存', confirm_deactivate: '确定停用该记录吗？停用后可重新启用，数据不会删除。',
  basic: '基本信息', outlets: '排放口', points: '监测点', limits: '排放限值', attachments: '附件', history: '变更记录',
  ent_total: '在册企业', ent_key: '重点排污单位', outlets_total: '排放口', points_total: '在线监测点',
  permits_expiring: '60 天内到期许可证', permits_expired: '已过期许可证', by_category: '按监管类别', by_region: '按行政区划',
  by_industry: '按行业（前 10）', recent: '最近操作', expiring_soon: '即将到期', expired: '已过期',
  upload: '上传', download: '下载', choose_file: '选择文件', dry_run: '预检', do_import: '确认导入',
  import_ok: '预检通过：新增 {c} 条，更新 {u} 条，未变化 {n} 条', imported: '导入完成：新增 {c} 条，更新 {u} 条，未变化 {n} 条',
  import_failed: '文件有 {n} 处错误，未导入任何数据', row: '行', field: '字段', message: '说明',
  change_password: '修改密码', old_password: '原密码', new_password: '新密码', must_change: '首次登录请修改初始密码',
  one_time_password: '一次性密码（仅显示一次）', reset_password: '重置密码', disable: '停用', enable: '启用',
  regions: '管辖区划', year: '年份', load_year: '加载/替换年度', deadline_calc: '工作日期限计算', from: '起算日',
  workdays: '工作日数', deadline: '期限', holiday: '节假日', makeup: '调休上班', create_token: '创建令牌',
  token_once: '令牌只显示这一次，请立即复制保存', revoke: '吊销', actor: '操作人', action: '操作', time: '时间',
  entity: '对象', before_after: '变更内容', filter: '筛选', lang: 'English', role: '角色', org_unit: '所属单位',
  enterprise: '所属企业', display_name: '姓名', status: '状态', created_at: '创建时间', updated_at: '更新时间',
  region: '行政区划', industry: '行业', category: '监管类别', tags: '标签', name: '名称', uscc: '统一社会信用代码',
  address: '地址', lat: '纬度', lng: '经度', legal_rep: '法定代表人', contact_name: '环保联系人', contact_phone: '联系电话',
  code: '编号', kind: '类别', type: '类型', mn: '设备 MN', protocol: '协议', st: '系统编码', rtd_interval_s: '实时间隔(秒)',
  min_interval_min: '分钟间隔(分)', outlet: '排放口', pollutant: '污染物', value: '限值', unit: '单位', basis: '考核基准',
  standard: '执行标准', number: '许可证编号', class: '管理类别', valid_from: '有效期起', valid_to: '有效期止', issuer: '发证机关',
  size: '大小', uploaded_by: '上传人', parent: '上级单位', expires_days: '有效天数', user: '用户', prefix: '前缀',
  last_used: '最近使用', revoked: '已吊销', expiring_filter: '到期范围（天）', email: '邮箱', phone: '电话',
  forbidden_page: '您的角色无权访问此页面', not_found: '页面不存在', net_error: '网络错误，请重试',
  industry_ph: '输入行业名称或代码搜索', choose: '请选择', write_only: '只写，不回显', yes: '是', no: '否',
};
const en = {
  app: 'Ecology & Environment Bureau Platform', login: 'Log in', logout: 'Log out', username: 'User name', password: 'Password',
  login_sub: 'Environmental supervision and enterprise service', dashboard: 'Dashboard', enterprises: 'Enterprises',
  permits: 'Pollution permits', agencies: 'Agencies', admin: 'Administration', users: 'Users', org_units: 'Org units & areas',
  calendar: 'Working-day calendar', audit: 'Audit log', tokens: 'API tokens', search: 'Search',
  search_ph: 'Name, code, address (2 Chinese characters work)', all: 'All', export_xlsx: 'Export Excel',
  export_csv: 'Export CSV', import: 'Import', new_enterprise: 'New enterprise', prev: 'Previous', next: 'Next',
  total: '{n} in total', page: 'Page {n}', none: 'Nothing here', loading: 'Loading…', save: 'Save', cancel: 'Cancel',
  edit: 'Edit', deactivate: 'Deactivate', activate: 'Activate', add: 'Add', close: 'Close', saved: 'Saved',
  confirm_deactivate: 'Deactivate this record? It can be reactivated; nothing is deleted.', basic: 'Details',
  outlets: 'Outlets', points: 'Monitoring points', limits: 'Emission limits', attachments: 'Attachments', history: 'History',
  ent_total: 'Enterprises', ent_key: 'Key dischargers', outlets_total: 'Outlets', points_total: 'Online points',
  permits_expiring: 'Permits due in 60 days', permits_expired: 'Expired permits', by_category: 'By supervision category',
  by_region: 'By region', by_industry: 'By industry (top 10)', recent: 'Recent activity', expiring_soon: 'Due soon',
  expired: 'Expired', upload: 'Upload', download: 'Download', choose_file: 'Choose file', dry_run: 'Check',
  do_import: 'Import now', import_ok: 'Check passed: {c} new, {u} updated, {n} unchanged',
  imported: 'Imported: {c} new, {u} updated, {n} unchanged', import_failed: '{n} problems in the file; nothing was imported',
  row: 'Row', field: 'Field', message: 'Message', change_password: 'Change password', old_password: 'Current password',
  new_password: 'New password', must_change: 'Please change your initial password',
  one_time_password: 'One-time password (shown once)', reset_password: 'Reset password', disable: 'Disable',
  enable: 'Enable', regions: 'Regions covered', year: 'Year', load_year: 'Load / replace a year',
  deadline_calc: 'Working-day deadline', from: 'Start date', workdays: 'Working days', deadline: 'Deadline',
  holiday: 'Holiday', makeup: 'Make-up workday', create_token: 'Create token',
  token_once: 'The token is shown only once; copy it now', revoke: 'Revoke', actor: 'Actor', action: 'Action',
  time: 'Time', entity: 'Record', before_after: 'Change', filter: 'Filter', lang: '中文', role: 'Role',
  org_unit: 'Org unit', enterprise: 'Enterprise', display_name: 'Name', status: 'Status', created_at: 'Created',
  updated_at: 'Updated', region: 'Region', industry: 'Industry', category: 'Category', tags: 'Tags', name: 'Name',
  uscc: 'Unified social credit code', address: 'Address', lat: 'Latitude', lng: 'Longitude', legal_rep: 'Legal representative',
  contact_name: 'Environmental contact', contact_phone: 'Phone', code: 'Code', kind: 'Kind', type: 'Type', mn: 'Device MN',
  protocol: 'Protocol', st: 'System code', rtd_interval_s: 'Real-time interval (s)', min_interval_min: 'Minute interval (min)',
  outlet: 'Outlet', pollutant: 'Pollutant', value: 'Limit', unit: 'Unit', basis: 'Basis', standard: 'Standard',
  number: 'Permit number', class: 'Class', valid_from: 'Valid from', valid_to: 'Valid to', issuer: 'Issuer', size: 'Size',
  uploaded_by: 'Uploaded by', parent: 'Parent unit', expires_days: 'Valid days', user: 'User', prefix: 'Prefix',
  last_used: 'Last used', revoked: 'Revoked', expiring_filter: 'Due within (days)', email: 'Email', phone: 'Phone',
  forbidden_page: 'Your role may not open this page', not_found: 'No such page', net_error: 'Network error, try again',
  industry_ph: 'Type an industry name or code', choose: 'Choose…', write_only: 'write-only', yes: 'Yes', no: 'No',
};
const enums = {
  zh: {
    category: { key: '重点', general: '一般', special: '特殊' },
    tags: { key_enterprise: '重点企业', high_growth: '高成长', livelihood: '民生保障', industrial_park: '园区内' },
    status: { active: '正常', inactive: '停用' },
    kind: { water: '废水', air: '废气', eia: '环评编制单位', testing: '检测机构', operation: '运维机构' },
    type: { main: '主要排放口', general: '一般排放口', special: '特殊排放口' },
    class: { key: '重点管理', simplified: '简化管理', registration: '登记管理' },
    basis: { rtd: '实时', hour: '小时均值', day: '日均值' },
    role: { admin: '系统管理员', leader: '局领导', approver: '审批科室', inspector: '执法人员', legal: '法规科',
      monitor: '监控中心', service: '服务专员', enterprise: '企业用户' },
    org_kind: { bureau: '市局', sub_bureau: '分局', brigade: '执法队伍', section: '科室', centre: '中心' },
    action: { create: '新建', update: '修改', deactivate: '停用', activate: '启用', login: '登录', logout: '退出',
      login_failed: '登录失败', import_create: '导入新建', import_update: '导入更新', load: '加载',
      disable: '停用账户', enable: '启用账户', reset_password: '重置密码', password_change: '修改密码', revoke: '吊销',
      set_regions: '设置辖区', demo_generate: '生成演示数据' },
  },
  en: {
    category: { key: 'Key', general: 'General', special: 'Special' },
    tags: { key_enterprise: 'Key enterprise', high_growth: 'High growth', livelihood: 'Livelihood', industrial_park: 'In park' },
    status: { active: 'Active', inactive: 'Inactive' },
    kind: { water: 'Water', air: 'Air', eia: 'EIA preparer', testing: 'Testing body', operation: 'Operator' },
    type: { main: 'Main', general: 'General', special: 'Special' },
    class: { key: 'Key', simplified: 'Simplified', registration: 'Registration' },
    basis: { rtd: 'Real-time', hour: 'Hourly avg', day: 'Daily avg' },
    role: { admin: 'Administrator', leader: 'Leader', approver: 'Approver', inspector: 'Inspector', legal: 'Legal',
      monitor: 'Monitoring centre', service: 'Service officer', enterprise: 'Enterprise user' },
    org_kind: { bureau: 'Bureau', sub_bureau: 'Sub-bureau', brigade: 'Brigade', section: 'Section', centre: 'Centre' },
    action: {},
  },
};
let lang = localStorage.getItem('envgov.lang') === 'en' ? 'en' : 'zh';
export function getLang() { return lang; }
export function setLang(l) { lang = l === 'en' ? 'en' : 'zh'; localStorage.setItem('envgov.lang', lang); }
export function t(key, vars) {
  let s = (lang === 'en' ? en : zh)[key] ?? zh[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}
// Label of an enumerated value; falls back to the value itself.
export function label(kind, value) {
  return enums[lang][kind]?.[value] ?? enums.zh[kind]?.[value] ?? value ?? '';
}
export function enumValues(kind) { return Object.keys(enums.zh[kind] || {}); }
