// Interface language: Simplified Chinese by default, English on request; the choice is kept in
// localStorage. Three dictionaries: interface strings t('key', {vars}), field names of the API
// shapes fl('uscc'), and labels of enumerated values label('category', 'key').

import { MODULES } from './modules.js';

const STORE_KEY = 'envgov.lang';

const zh = {
  app: '生态环境局工作平台', app_sub: '环境监管 · 企业服务 · 依法行政',
  nav_registry: '企业监管', nav_admin: '系统管理',
  dashboard: '工作台', enterprises: '企业档案', my_enterprise: '本企业档案', permits: '排污许可证',
  agencies: '环境服务机构', users: '用户管理', org_units: '单位与辖区', calendar: '工作日历',
  audit: '操作日志', tokens: 'API 令牌',
  login: '登录', logging_in: '正在登录…', logout: '退出登录', change_password: '修改密码',
  username: '用户名', password: '密码', old_password: '原密码', new_password: '新密码',
  new_password2: '确认新密码', password_mismatch: '两次输入的新密码不一致',
  password_rule: '至少 10 位，须同时包含字母和数字，不能包含用户名或常见密码',
  must_change: '首次登录或密码已被重置，请先设置新密码', password_changed: '密码已修改',
  login_foot: '仅限授权人员使用，所有操作均记录在操作日志中',
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
  card_enterprises: '在册企业', card_key: '重点排污单位',
  card_expiring: '{n} 天内到期许可证', expired_n: '另有 {n} 张已过期', today_is: '数据日期 {d}',
  by_category: '企业监管类别分布', by_region: '各区县企业数量', by_industry: '企业数量前 10 行业',
  expiring_table: '{n} 天内到期的排污许可证', recent_audit: '最近操作', view_all: '查看全部',
  days_left: '剩 {n} 天', due_today: '今日到期', overdue_days: '已过期 {n} 天',
  // enterprise list
  search_enterprise: '企业名称、信用代码、地址（可输两个汉字）', industry_prefix: '行业代码前缀',
  export_xlsx: '导出 Excel', export_csv: '导出 CSV', import: '导入', new_enterprise: '新建企业',
  export_hint: '按当前筛选条件导出', region_all: '{name}（全部）',
  import_title: '批量导入企业', import_help: '支持 CSV 或 XLSX 文件，第一行为表头（可用中文表头或字段名）。按统一社会信用代码新增或更新；任一行有误则整个文件都不导入。先“预检”查看结果，再“确认导入”。',
  dry_run: '预检', do_import: '确认导入', import_confirm: '预检通过，确定正式导入吗？导入后将写入企业档案并记录操作日志。',
  import_summary: '新增 {c} 家，更新 {u} 家，未变化 {n} 家', import_checked: '预检通过：{s}',
  import_done: '导入完成：{s}', import_failed: '文件中有 {n} 处错误，未导入任何数据：',
  row: '行号', field: '字段', message: '问题说明',
  // enterprise detail
  tab_basic: '基本信息', tab_outlets: '排放口', tab_points: '监测点', tab_limits: '排放限值',
  tab_permits: '排污许可证', tab_attachments: '附件', tab_history: '变更记录',
  add_outlet: '新增排放口', add_point: '新增监测点', add_limit: '新增排放限值', add_permit: '新增许可证',
  confirm_deactivate: '确定停用“{name}”吗？停用后可重新启用，数据不会删除。',
  confirm_activate: '确定重新启用“{name}”吗？',
  confirm_deactivate_rec: '确定停用这条记录吗？停用的记录保留在档案和日志中。',
  confirm_revoke_permit: '确定注销许可证 {n} 吗？此操作会记录在操作日志中。',
  expiring_soon: '即将到期', expired: '已过期', valid: '有效',
  permit_to_hint: '留空则按有效期起 + 5 年 − 1 天计算', password_hint: '6 位，只写不回显；留空则不修改',
  password_set: '已设置（不显示）', no_outlets: '该企业还没有排放口，请先在“排放口”中新增。',
  pollutant_search: '输入污染物名称或编码', unit_from_factor: '默认取该因子的标准单位',
  upload_hint: '附件随企业档案保存，上传和下载都会记录', drop_file: '选择要上传的文件',
  history_hint: '企业及其排放口、监测点、限值、许可证、附件的最近 200 条变更',
  no_changes: '（无字段变化）', more_fields: '等 {n} 项',
  coords: '坐标', outlet_code_hint: 'DW 开头为废水，DA 开头为废气，如 DW001', mn_hint: '设备唯一标识，字母和数字',
  // enterprise form
  edit_enterprise: '编辑企业', contact_section: '联系信息', location_section: '地址与坐标', industry_search: '输入行业名称或代码搜索', uscc_hint: '18 位，字母大写（不含 I、O、Z、S、V）',
  lat_hint: '十进制度，如 30.8712', lng_hint: '十进制度，如 119.9123', region_hint: '只能选择您所在单位管辖的区划',
  no_match: '没有匹配项', ind_level_1: '门类', ind_level_2: '大类', ind_level_3: '中类', ind_level_4: '小类',
  // permits
  within_days: '{n} 天内到期（含已过期）', any_time: '全部有效期',
  permit_search: '许可证编号',
  // agencies
  new_agency: '新增机构', edit_agency: '编辑机构', agency_search: '机构名称、信用代码',
  // users
  new_user: '新建用户', edit_user: '编辑用户', user_search: '用户名、姓名',
  disable: '停用', enable: '启用', reset_password: '重置密码', locked: '已锁定', must_change_pw: '待改密码',
  otp_title: '一次性密码', otp_help: '请把下面的一次性密码当面或通过安全渠道交给 {u}。它只显示这一次；用户首次登录时必须修改。',
  confirm_disable: '确定停用用户 {u} 吗？其所有登录会话将立即结束。', confirm_enable: '确定启用用户 {u} 吗？',
  confirm_reset: '确定重置用户 {u} 的密码吗？其登录会话将结束，并解除锁定。',
  enterprise_search: '输入企业名称搜索', org_required_hint: '工作人员须指定所属单位；企业用户须指定所属企业',
  // org units
  new_org: '新增单位', edit_org: '编辑单位', regions_hint: '勾选本单位管辖的行政区划；选择地级市即包含其全部区县',
  regions_filter: '筛选区划', n_regions: '{n} 个区划', whole: '全域',
  // calendar
  years_loaded: '已加载年度', holiday: '法定节假日', makeup: '调休上班', weekend: '周末', workday: '工作日',
  year_source: '依据：{s}', year_loaded_by: '{by} 于 {at} 加载',
  load_year: '加载 / 替换年度安排', load_help: '粘贴或上传国务院办公厅节假日安排的 JSON（格式同下方示例）。同一年度再次加载将整体替换。',
  load_file: '从文件读取', load_go: '加载该年度', load_confirm: '{y} 年已有安排，确定用新内容整体替换吗？',
  bad_json: 'JSON 格式错误：{m}', year_mismatch: 'JSON 中的 year 与所选年份不一致',
  deadline_calc: '工作日期限计算', deadline_help: '按法定工作日计算期限：跳过周末和节假日，调休日算作工作日。',
  n_workdays: '工作日数', n_calendar_days: '自然日数', count_by: '计算方式',
  by_workdays: '按工作日', by_calendar_days: '按自然日（顺延至工作日）', calc: '计算', deadline_is: '期限届满日：{d}（{w}）',
  weekdays: '一,二,三,四,五,六,日', month_n: '{n} 月',
  // audit
  audit_from: '起始日期', audit_to: '截止日期', actor_all: '全部操作人', entity_all: '全部对象', action_all: '全部操作',
  before: '变更前', after: '变更后', no_detail: '—',
  // tokens
  new_token: '创建令牌', token_once: '令牌只显示这一次，请立即复制并妥善保存。遗失后只能撤销并重新创建。',
  confirm_revoke_token: '确定撤销令牌“{n}”吗？使用它的系统将立即无法访问。', never: '永不过期',
  token_help: '供其他系统以 Authorization: Bearer 方式调用接口；令牌的权限不超过所选角色。',
  token_name_ph: '如：省级平台数据对接', revoked: '已撤销', expired_token: '已过期', active_token: '有效', expires_days_hint: '留空表示永不过期',
  nav_monitor: '在线监控', monitor_board: '监控总览', alarms: '报警处理', quarantine: '未登记设备',
  st_online: '在线', st_alarm: '报警', st_offline: '离线', st_maintenance: '维护', st_nodata: '未接入', st_total: '监测点总数',
  updated_at_t: '更新于 {t}', auto_refresh: '每 5 秒自动刷新', all_regions: '全部行政区划', all_status: '全部状态',
  last_seen: '最近通讯', last_data: '数据时间', alarms_open: '未关闭报警', point: '监测点', enterprise: '企业', region: '行政区划',
  current_values: '当前实时值', trend: '趋势', factor: '监测因子', cn_2011: '实时', cn_2051: '分钟', cn_2061: '小时', cn_2031: '日',
  value: '数值', flagged: '异常标记', raw_frames: '原始报文（近 1 小时）', deviations: '协议偏差',
  commands: '反控命令', send_command: '发送命令', command: '命令', params: '参数', result: '结果', qn_rtn: '应答', exe_rtn: '执行结果',
  begin_time: '开始时间', end_time: '结束时间', acknowledge: '确认', close_alarm: '关闭报警', note: '处理意见',
  ack_done: '已确认', closed_done: '已关闭', alarm_kind: '报警类型', first_at: '首次报警', last_at: '最近报警', sent_at: '发送时间', last_occurred: '最近出现', count: '次数',
  limit_value: '限值', handling: '处理情况', notifications: '消息', mark_all_read: '全部标为已读', no_notifications: '暂无消息',
  frames: '报文数', reason: '原因', register_adopt: '登记并接收数据', adopted: '已接收 {n} 条报文（{v} 个数值）',
  registered: '已登记', pick_enterprise: '选择企业', no_data_yet: '暂无数据', no_data_7d: '近 7 天没有上传数据', no_data_kind: '所选时段没有此类数据', interval_s: '实时间隔(秒)', interval_min: '分钟间隔(分钟)',
  system_time: '设定时间（留空为当前时间）', first_received: '首次收到', last_received: '最近收到', close_reason_auto: '自动恢复',
  // ---- alarms: list filters, export, bulk acknowledge; point chart and commands ----
  bulk_ack: '批量确认', bulk_ack_intro: '已选 {n} 条未处理报警，将以同一处理意见全部确认；其中任一条无法确认时，一条也不确认。',
  bulk_ack_done: '已确认 {n} 条报警', select_page: '全选本页未处理报警', select_alarm: '选择此报警',
  alarm_from: '起始日期（中国时间）', alarm_to: '截止日期（中国时间）', alarm_dates_hint: '列出在所选日期内发生过的报警（首次报警不晚于截止日、最近报警不早于起始日）',
  chart_points: '{n} 个数据', chart_from: '起始日期', chart_to: '截止日期', limit_basis: '{b}限值 {v}',
  cmd_no_params: '此命令无需参数', cmd_time_hint: '中国时间，精确到秒',
  // ---- dashboard ----
  card_online_rate: '监测点在线率', points_online_sub: '监测点 {n} · 在线 {on}', card_unhandled: '未处理报警', open_alarms_n: '未关闭 {n}',
  card_alarms_today: '今日报警', card_offline: '离线监测点', never_connected_n: '未接入 {n}', card_quarantine: '隔离设备', frames_n: '{n} 条报文',
  key_n: '重点排污单位 {n}', chart_alarms_today: '今日报警（按区县、类型）', chart_open_by_kind: '未关闭报警类型', oldest_unhandled: '等待最久的未处理报警',
  no_alarms_today: '今日暂无报警', no_open_alarms: '暂无未关闭报警', no_unhandled: '没有待处理的报警', waited: '已等待',
  age_min: '{n} 分钟', age_h: '{n} 小时', age_d: '{n} 天',
  // ---- forms ----
  err_network: '网络连接失败，请检查网络后重试', err_server: '服务器出错（{s}），请稍后重试',
  err_unexpected: '页面出错了，请重试；仍不行请联系系统管理员', retry: '重试',
  errors_summary: '有 {n} 处需要修改：', colon: '：', unsaved_title: '离开此页？', leave: '离开',
  import_confirm_title: '确认导入企业',
  uscc_len: '统一社会信用代码长度应为18位（现为{n}位）', uscc_char: '统一社会信用代码第{p}位“{c}”不是合法字符，只能用数字或大写字母（不含 I、O、S、V、Z）',
  uscc_region: '统一社会信用代码第3-8位应为行政区划代码（6位数字）', uscc_check: '统一社会信用代码无效：校验码错误，第18位应为 {want}（现为 {got}）',
  // ---- data ----
  nav_own: '本企业', nav_own_monitor: '在线监测', own_permits: '排污许可', own_outlets: '排放口与监测点',
  own_points: '监测点', own_alarms: '报警记录', import_template: '下载导入模板',
  // ---- layout ----
  menu: '菜单', user_menu: '用户菜单', app_short: '生态环境局',
  page_of: '第 {n} / {m} 页', jump_to: '跳至', page_unit: '页', go: '确定', jump_page: '跳转到第几页',
  // ---- monitor board ----
  board_values: '实时值',
};

const en = {
  app: 'Ecology & Environment Bureau Platform', app_sub: 'Supervision · Enterprise service · Rule of law',
  nav_registry: 'Registry', nav_admin: 'Administration',
  dashboard: 'Dashboard', enterprises: 'Enterprises', my_enterprise: 'My enterprise', permits: 'Pollution permits',
  agencies: 'Service agencies', users: 'Users', org_units: 'Org units & areas', calendar: 'Calendar',
  audit: 'Audit log', tokens: 'API tokens',
  login: 'Log in', logging_in: 'Logging in…', logout: 'Log out', change_password: 'Change password',
  username: 'User name', password: 'Password', old_password: 'Current password', new_password: 'New password',
  new_password2: 'Repeat new password', password_mismatch: 'The two new passwords differ',
  password_rule: 'At least 10 characters with letters and digits; not containing the user name or a common password',
  must_change: 'First login or password reset: please set a new password', password_changed: 'Password changed',
  login_foot: 'Authorised personnel only; every action is recorded in the audit log',
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
  card_enterprises: 'Enterprises', card_key: 'Key dischargers',
  card_expiring: 'Permits due in {n} days', expired_n: '{n} more already expired', today_is: 'As of {d}',
  by_category: 'By supervision category', by_region: 'Enterprises by county', by_industry: 'Top 10 industries',
  expiring_table: 'Permits due within {n} days', recent_audit: 'Recent activity', view_all: 'View all',
  days_left: '{n} days left', due_today: 'Due today', overdue_days: '{n} days overdue',
  search_enterprise: 'Name, credit code or address', industry_prefix: 'Industry code prefix',
  export_xlsx: 'Export Excel', export_csv: 'Export CSV', import: 'Import', new_enterprise: 'New enterprise',
  export_hint: 'Exports the current filter', region_all: '{name} (all)',
  import_title: 'Import enterprises', import_help: 'CSV or XLSX with a header row (Chinese headers or field names). Rows are matched by unified social credit code: new ones are created, known ones updated; if any row is wrong nothing is imported. Check first, then import.',
  dry_run: 'Check', do_import: 'Import now', import_confirm: 'The check passed. Import for real? The rows are written to the registry and the audit log.',
  import_summary: '{c} new, {u} updated, {n} unchanged', import_checked: 'Check passed: {s}',
  import_done: 'Imported: {s}', import_failed: '{n} problems in the file; nothing was imported:',
  row: 'Row', field: 'Field', message: 'Problem',
  tab_basic: 'Details', tab_outlets: 'Outlets', tab_points: 'Monitoring points', tab_limits: 'Emission limits',
  tab_permits: 'Permits', tab_attachments: 'Attachments', tab_history: 'History',
  add_outlet: 'Add outlet', add_point: 'Add monitoring point', add_limit: 'Add emission limit', add_permit: 'Add permit',
  confirm_deactivate: 'Deactivate “{name}”? It can be reactivated; nothing is deleted.',
  confirm_activate: 'Reactivate “{name}”?',
  confirm_deactivate_rec: 'Deactivate this record? It stays in the registry and the audit log.',
  confirm_revoke_permit: 'Revoke permit {n}? This is recorded in the audit log.',
  expiring_soon: 'Due soon', expired: 'Expired', valid: 'Valid',
  permit_to_hint: 'Blank: valid from + 5 years − 1 day', password_hint: '6 characters, write-only; blank keeps it',
  password_set: 'set (hidden)', no_outlets: 'This enterprise has no outlets yet; add one under “Outlets” first.',
  pollutant_search: 'Type a pollutant name or code', unit_from_factor: "Defaults to the factor's standard unit",
  upload_hint: 'Attachments are kept with the record; uploads and downloads are logged', drop_file: 'Choose a file to upload',
  history_hint: 'Latest 200 changes of the enterprise and its outlets, points, limits, permits and attachments',
  no_changes: '(no field changed)', more_fields: 'and {n} more',
  coords: 'Coordinates', outlet_code_hint: 'DW… for wastewater, DA… for waste gas, e.g. DW001', mn_hint: 'Unique device id, letters and digits',
  edit_enterprise: 'Edit enterprise', contact_section: 'Contacts', location_section: 'Address and coordinates', industry_search: 'Type an industry name or code', uscc_hint: '18 characters, upper case (no I, O, Z, S, V)',
  lat_hint: 'Decimal degrees, e.g. 30.8712', lng_hint: 'Decimal degrees, e.g. 119.9123', region_hint: 'Only regions your unit covers',
  no_match: 'No match', ind_level_1: 'section', ind_level_2: 'division', ind_level_3: 'group', ind_level_4: 'class',
  within_days: 'Due within {n} days (expired included)', any_time: 'Any validity',
  permit_search: 'Permit number',
  new_agency: 'New agency', edit_agency: 'Edit agency', agency_search: 'Agency name, credit code',
  new_user: 'New user', edit_user: 'Edit user', user_search: 'User name, name',
  disable: 'Disable', enable: 'Enable', reset_password: 'Reset password', locked: 'Locked', must_change_pw: 'Must change password',
  otp_title: 'One-time password', otp_help: 'Hand this one-time password to {u} in person or over a safe channel. It is shown only now; it must be changed at first login.',
  confirm_disable: 'Disable user {u}? All their sessions end at once.', confirm_enable: 'Enable user {u}?',
  confirm_reset: 'Reset the password of {u}? Their sessions end and any lockout is lifted.',
  enterprise_search: 'Type an enterprise name', org_required_hint: 'Staff need an org unit; enterprise users need an enterprise',
  new_org: 'New org unit', edit_org: 'Edit org unit', regions_hint: 'Tick the regions the unit covers; a city includes all its counties',
  regions_filter: 'Filter regions', n_regions: '{n} regions', whole: 'everything',
  years_loaded: 'Years loaded', holiday: 'Public holiday', makeup: 'Make-up workday', weekend: 'Weekend', workday: 'Workday',
  year_source: 'Source: {s}', year_loaded_by: 'loaded by {by} at {at}',
  load_year: 'Load / replace a year', load_help: 'Paste or upload the JSON of the State Council holiday notice (format as in the example). Loading a year again replaces it.',
  load_file: 'Read from file', load_go: 'Load this year', load_confirm: '{y} is already loaded. Replace it with the new content?',
  bad_json: 'Malformed JSON: {m}', year_mismatch: 'The year in the JSON differs from the year chosen',
  deadline_calc: 'Working-day deadline', deadline_help: 'Counts statutory working days: weekends and holidays are skipped, make-up days count.',
  n_workdays: 'Working days', n_calendar_days: 'Calendar days', count_by: 'Count by',
  by_workdays: 'Working days', by_calendar_days: 'Calendar days (rolled to a workday)', calc: 'Calculate', deadline_is: 'Deadline: {d} ({w})',
  weekdays: 'Mo,Tu,We,Th,Fr,Sa,Su', month_n: 'Month {n}',
  audit_from: 'From', audit_to: 'To', actor_all: 'All actors', entity_all: 'All records', action_all: 'All actions',
  before: 'Before', after: 'After', no_detail: '—',
  new_token: 'Create token', token_once: 'The token is shown only this once; copy it now and keep it safe. If lost, revoke it and create another.',
  confirm_revoke_token: 'Revoke token “{n}”? Systems using it lose access at once.', never: 'Never',
  token_help: 'For other systems calling the API with Authorization: Bearer; a token can do no more than its role.',
  token_name_ph: 'e.g. provincial platform feed', revoked: 'Revoked', expired_token: 'Expired', active_token: 'Active', expires_days_hint: 'Blank: never expires',
  nav_monitor: 'Online monitoring', monitor_board: 'Live board', alarms: 'Alarms', quarantine: 'Unregistered devices',
  st_online: 'Online', st_alarm: 'Alarm', st_offline: 'Offline', st_maintenance: 'Maintenance', st_nodata: 'No data', st_total: 'Points',
  updated_at_t: 'Updated {t}', auto_refresh: 'Refreshes every 5 s', all_regions: 'All regions', all_status: 'All statuses',
  last_seen: 'Last frame', last_data: 'Data time', alarms_open: 'Open alarms', point: 'Point', enterprise: 'Enterprise', region: 'Region',
  current_values: 'Current values', trend: 'Trend', factor: 'Factor', cn_2011: 'Real-time', cn_2051: 'Minute', cn_2061: 'Hour', cn_2031: 'Day',
  value: 'Value', flagged: 'Flagged', raw_frames: 'Raw frames (last hour)', deviations: 'Protocol deviations',
  commands: 'Commands', send_command: 'Send command', command: 'Command', params: 'Parameters', result: 'Result', qn_rtn: 'QnRtn', exe_rtn: 'ExeRtn',
  begin_time: 'Begin', end_time: 'End', acknowledge: 'Acknowledge', close_alarm: 'Close alarm', note: 'Note',
  ack_done: 'Acknowledged', closed_done: 'Closed', alarm_kind: 'Kind', first_at: 'First', last_at: 'Latest', sent_at: 'Sent', last_occurred: 'Last seen', count: 'Count',
  limit_value: 'Limit', handling: 'Handling', notifications: 'Notifications', mark_all_read: 'Mark all read', no_notifications: 'No notifications',
  frames: 'Frames', reason: 'Reason', register_adopt: 'Register and adopt', adopted: 'Adopted {n} frames ({v} values)',
  registered: 'Registered', pick_enterprise: 'Pick an enterprise', no_data_yet: 'No data yet', no_data_7d: 'No data uploaded in the last 7 days', no_data_kind: 'No data of this kind in the period', interval_s: 'Real-time interval (s)', interval_min: 'Minute interval (min)',
  system_time: 'Time to set (blank = now)', first_received: 'First received', last_received: 'Last received', close_reason_auto: 'Recovered',
  // ---- alarms: list filters, export, bulk acknowledge; point chart and commands ----
  bulk_ack: 'Acknowledge selected', bulk_ack_intro: '{n} open alarms selected; all are acknowledged with the same note, or none if any of them cannot be.',
  bulk_ack_done: '{n} alarms acknowledged', select_page: 'Select the open alarms of this page', select_alarm: 'Select this alarm',
  alarm_from: 'From (China time)', alarm_to: 'To (China time)', alarm_dates_hint: 'Alarms active on the chosen days (first trigger not after To, latest not before From)',
  chart_points: '{n} values', chart_from: 'From', chart_to: 'To', limit_basis: '{b} limit {v}',
  cmd_no_params: 'This command takes no parameters', cmd_time_hint: 'China time, to the second',
  // ---- dashboard ----
  card_online_rate: 'Points online', points_online_sub: '{n} points · {on} online', card_unhandled: 'Unhandled alarms', open_alarms_n: '{n} not closed',
  card_alarms_today: "Today's alarms", card_offline: 'Offline points', never_connected_n: '{n} never connected', card_quarantine: 'Quarantined devices', frames_n: '{n} frames',
  key_n: '{n} key dischargers', chart_alarms_today: "Today's alarms by county and kind", chart_open_by_kind: 'Open alarms by kind', oldest_unhandled: 'Longest-waiting unhandled alarms',
  no_alarms_today: 'No alarms today', no_open_alarms: 'No open alarms', no_unhandled: 'No alarms waiting', waited: 'Waiting',
  age_min: '{n} min', age_h: '{n} h', age_d: '{n} d',
  // ---- forms ----
  err_network: 'Network error — check the connection and retry', err_server: 'Server error ({s}) — please try again shortly',
  err_unexpected: 'Something went wrong on this page; retry, and tell the administrator if it happens again', retry: 'Retry',
  errors_summary: '{n} things to fix:', colon: ': ', unsaved_title: 'Leave this page?', leave: 'Leave',
  import_confirm_title: 'Confirm the import',
  uscc_len: 'Unified social credit code: must be 18 characters (has {n})', uscc_char: "Unified social credit code: character {p} ('{c}') is not allowed: use digits and upper-case letters (no I O S V Z)",
  uscc_region: 'Unified social credit code: characters 3-8 must be the 6-digit region code', uscc_check: 'Unified social credit code: check character should be {want} (got {got})',
  // ---- data ----
  nav_own: 'My enterprise', nav_own_monitor: 'Online monitoring', own_permits: 'Permits', own_outlets: 'Outlets and points',
  own_points: 'Monitoring points', own_alarms: 'Alarms', import_template: 'Download the import template',
  // ---- layout ----
  menu: 'Menu', user_menu: 'User menu', app_short: 'EEB Platform',
  page_of: 'Page {n} of {m}', jump_to: 'Go to', page_unit: '', go: 'Go', jump_page: 'Page to go to',
  // ---- monitor board ----
  board_values: 'Live values',
};

// Field names of the API shapes (form labels, table headers, import errors, history diffs).
const fieldsZh = {
  id: '编号', uscc: '统一社会信用代码', name: '名称', region_code: '行政区划', region_name: '行政区划',
  industry_code: '行业', industry_name: '行业', address: '地址', lat: '纬度', lng: '经度',
  legal_rep: '法定代表人', contact_name: '环保联系人', contact_phone: '联系电话', category: '监管类别',
  tags: '标签', status: '状态', created_at: '创建时间', updated_at: '更新时间',
  enterprise_id: '所属企业', enterprise_name: '企业', code: '编号', kind: '类别', type: '类型',
  outlet_id: '排放口', outlet_code: '排放口', mn: '设备 MN 号', protocol: '通信协议', st: '系统编码',
  rtd_interval_s: '实时数据间隔（秒）', min_interval_min: '分钟数据间隔（分）', password: '访问密码 PW',
  pollutant_code: '污染物', pollutant_name: '污染物', value: '限值', unit: '单位', basis: '考核基准',
  standard: '执行标准', number: '许可证编号', class: '管理类别', valid_from: '有效期起', valid_to: '有效期至',
  issuer: '发证机关', username: '用户名', display_name: '姓名', role: '角色', org_unit_id: '所属单位',
  org_unit_name: '所属单位', email: '电子邮箱', phone: '电话', must_change_password: '须改密码',
  locked_until: '锁定至', parent_id: '上级单位', regions: '管辖区划', prefix: '令牌前缀', user_id: '所属用户',
  username_of: '用户', expires_at: '过期时间', expires_days: '有效天数', last_used: '最近使用', revoked_at: '撤销时间',
  file: '文件', year: '年度', source: '依据', holidays: '节假日', workdays: '调休上班日', at: '时间',
  actor: '操作人', actor_id: '操作人', entity: '对象', entity_id: '对象编号', action: '操作', before: '变更前',
  after: '变更后', request_id: '请求编号', ip: 'IP 地址', size: '大小', content_type: '文件类型',
  sha256: 'SHA-256', uploaded_by: '上传人', from: '起算日', deadline: '期限', old_password: '原密码',
  new_password: '新密码', dry_run: '预检',
};
const fieldsEn = {
  id: 'ID', uscc: 'Credit code (USCC)', name: 'Name', region_code: 'Region', region_name: 'Region',
  industry_code: 'Industry', industry_name: 'Industry', address: 'Address', lat: 'Latitude', lng: 'Longitude',
  legal_rep: 'Legal representative', contact_name: 'Environmental contact', contact_phone: 'Phone', category: 'Category',
  tags: 'Tags', status: 'Status', created_at: 'Created', updated_at: 'Updated',
  enterprise_id: 'Enterprise', enterprise_name: 'Enterprise', code: 'Code', kind: 'Kind', type: 'Type',
  outlet_id: 'Outlet', outlet_code: 'Outlet', mn: 'Device MN', protocol: 'Protocol', st: 'System code (ST)',
  rtd_interval_s: 'Real-time interval (s)', min_interval_min: 'Minute interval (min)', password: 'Access password (PW)',
  pollutant_code: 'Pollutant', pollutant_name: 'Pollutant', value: 'Limit', unit: 'Unit', basis: 'Basis',
  standard: 'Standard', number: 'Permit number', class: 'Management class', valid_from: 'Valid from', valid_to: 'Valid to',
  issuer: 'Issuer', username: 'User name', display_name: 'Name', role: 'Role', org_unit_id: 'Org unit',
  org_unit_name: 'Org unit', email: 'Email', phone: 'Phone', must_change_password: 'Must change password',
  locked_until: 'Locked until', parent_id: 'Parent unit', regions: 'Regions covered', prefix: 'Prefix', user_id: 'User',
  username_of: 'User', expires_at: 'Expires', expires_days: 'Valid for (days)', last_used: 'Last used', revoked_at: 'Revoked',
  file: 'File', year: 'Year', source: 'Source', holidays: 'Holidays', workdays: 'Make-up workdays', at: 'Time',
  actor: 'Actor', actor_id: 'Actor', entity: 'Record', entity_id: 'Record id', action: 'Action', before: 'Before',
  after: 'After', request_id: 'Request id', ip: 'IP address', size: 'Size', content_type: 'File type',
  sha256: 'SHA-256', uploaded_by: 'Uploaded by', from: 'Start date', deadline: 'Deadline', old_password: 'Current password',
  new_password: 'New password', dry_run: 'Check',
};

const enums = {
  zh: {
    notification_event: { opened: '报警', closed: '恢复' },
    alarm_kind: { exceed: '超标', early_warning: '超标预警', flag: '数据标记异常', stuck: '数据恒值', offline: '离线', condition: '工况异常' },
    alarm_status: { open: '未处理', acknowledged: '已确认', closed: '已关闭' },
    point_status: { online: '在线', alarm: '报警', offline: '离线', maintenance: '维护', nodata: '未接入' },
    command_status: { queued: '排队中', sent: '已发送', accepted: '已应答', refused: '被拒绝', done: '执行成功', failed: '执行失败', offline: '设备离线', timeout: '超时' },
    hj_cn: { 1011: '1011 提取现场机时间', 1012: '1012 设置现场机时间', 1061: '1061 提取实时数据间隔', 1062: '1062 设置实时数据间隔',
      1063: '1063 提取分钟数据间隔', 1064: '1064 设置分钟数据间隔', 2031: '2031 补传日数据', 2041: '2041 补传设备运行时间日数据',
      2051: '2051 补传分钟数据', 2061: '2061 补传小时数据' },
    quarantine_reason: { unknown_mn: 'MN 未登记', bad_password: '密码错误', inactive_point: '监测点已停用' },
    category: { key: '重点排污单位', general: '一般', special: '特殊' },
    tags: { key_enterprise: '重点服务企业', high_growth: '高成长', livelihood: '民生保障', industrial_park: '园区内' },
    status: { active: '正常', inactive: '停用' },
    outlet_kind: { water: '废水', air: '废气' },
    outlet_type: { main: '主要排放口', general: '一般排放口', special: '特殊排放口' },
    permit_class: { key: '重点管理', simplified: '简化管理', registration: '登记管理' },
    basis: { rtd: '实时', hour: '小时均值', day: '日均值' },
    agency_kind: { eia: '环评编制单位', testing: '检测机构', operation: '运维机构' },
    role: { admin: '系统管理员', leader: '局领导', approver: '审批科室', inspector: '执法人员', legal: '法规科',
      monitor: '监控中心', service: '服务专员', enterprise: '企业用户' },
    org_kind: { bureau: '局机关', sub_bureau: '分局', brigade: '执法队伍', section: '科室', centre: '中心' },
    protocol: { 2017: 'HJ 212-2017', 2005: 'HJ/T 212-2005' },
    st: { 21: '21 地表水质量监测', 22: '22 空气质量监测', 23: '23 声环境质量监测', 24: '24 地下水质量监测',
      25: '25 土壤质量监测', 26: '26 海水质量监测', 27: '27 挥发性有机物监测', 31: '31 大气环境污染源',
      32: '32 地表水体环境污染源', 33: '33 地下水体环境污染源', 34: '34 海洋环境污染源', 35: '35 土壤环境污染源',
      36: '36 声环境污染源', 37: '37 振动环境污染源', 38: '38 放射性环境污染源', 39: '39 工地扬尘污染源',
      41: '41 电磁环境污染源', 51: '51 烟气排放过程监控', 52: '52 污水排放过程监控' },
    entity: { enterprise: '企业', outlet: '排放口', point: '监测点', limit: '排放限值', permit: '排污许可证',
      agency: '环境服务机构', user: '用户', org_unit: '单位', session: '登录会话', attachment: '附件',
      calendar: '工作日历', api_token: 'API 令牌', database: '数据库', alarm: '报警', hj212_command: '反控命令',
      webhook: '推送地址', notification: '消息', case: '办件', rule_set: '规则集', document: '文书', job: '定时任务' },
    action: { create: '新建', update: '修改', deactivate: '停用', activate: '启用', login: '登录', logout: '退出',
      login_failed: '登录失败', import_create: '导入新建', import_update: '导入更新', load: '加载',
      disable: '停用账户', enable: '启用账户', reset_password: '重置密码', password_change: '修改密码',
      revoke: '撤销', set_regions: '设置辖区', demo_generate: '生成演示数据', acknowledge: '确认报警', close: '关闭报警',
      set: '设置', read: '已读', adopt_quarantine: '接收未登记数据', open: '开始办理', escalate: '逾期上报',
      explain: '说明情况', pause: '暂停计时', resume: '恢复计时', request_extension: '申请延期', approve_extension: '批准延期',
      refuse_extension: '不予延期', autoclose: '自动关闭', issue: '签发', run: '运行', delete: '删除' },
  },
  en: {
    notification_event: { opened: 'Alarm', closed: 'Cleared' },
    alarm_kind: { exceed: 'Exceedance', early_warning: 'Early warning', flag: 'Abnormal flag', stuck: 'Stuck value', offline: 'Offline', condition: 'Working condition' },
    alarm_status: { open: 'Open', acknowledged: 'Acknowledged', closed: 'Closed' },
    point_status: { online: 'Online', alarm: 'Alarm', offline: 'Offline', maintenance: 'Maintenance', nodata: 'No data' },
    command_status: { queued: 'Queued', sent: 'Sent', accepted: 'Accepted', refused: 'Refused', done: 'Done', failed: 'Failed', offline: 'Device offline', timeout: 'Timed out' },
    hj_cn: { 1011: '1011 Get device time', 1012: '1012 Set device time', 1061: '1061 Get real-time interval', 1062: '1062 Set real-time interval',
      1063: '1063 Get minute interval', 1064: '1064 Set minute interval', 2031: '2031 Day history', 2041: '2041 Run-time history',
      2051: '2051 Minute history', 2061: '2061 Hour history' },
    quarantine_reason: { unknown_mn: 'Unknown MN', bad_password: 'Wrong password', inactive_point: 'Point deactivated' },
    category: { key: 'Key discharger', general: 'General', special: 'Special' },
    tags: { key_enterprise: 'Priority-service enterprise', high_growth: 'High growth', livelihood: 'Livelihood', industrial_park: 'In a park' },
    status: { active: 'Active', inactive: 'Inactive' },
    outlet_kind: { water: 'Wastewater', air: 'Waste gas' },
    outlet_type: { main: 'Main outlet', general: 'General outlet', special: 'Special outlet' },
    permit_class: { key: 'Key management', simplified: 'Simplified', registration: 'Registration' },
    basis: { rtd: 'Real-time', hour: 'Hourly mean', day: 'Daily mean' },
    agency_kind: { eia: 'EIA preparer', testing: 'Testing body', operation: 'O&M operator' },
    role: { admin: 'Administrator', leader: 'Bureau leader', approver: 'Approvals', inspector: 'Inspector', legal: 'Legal section',
      monitor: 'Monitoring centre', service: 'Service officer', enterprise: 'Enterprise user' },
    org_kind: { bureau: 'Bureau', sub_bureau: 'Sub-bureau', brigade: 'Enforcement brigade', section: 'Section', centre: 'Centre' },
    protocol: { 2017: 'HJ 212-2017', 2005: 'HJ/T 212-2005' },
    st: { 21: '21 Surface water quality', 22: '22 Air quality', 23: '23 Acoustic environment', 24: '24 Groundwater quality',
      25: '25 Soil quality', 26: '26 Sea water quality', 27: '27 VOCs', 31: '31 Air pollution source',
      32: '32 Surface-water pollution source', 33: '33 Groundwater pollution source', 34: '34 Marine pollution source',
      35: '35 Soil pollution source', 36: '36 Noise source', 37: '37 Vibration source', 38: '38 Radioactive source',
      39: '39 Construction dust source', 41: '41 Electromagnetic source', 51: '51 Flue-gas process', 52: '52 Wastewater process' },
    entity: { enterprise: 'Enterprise', outlet: 'Outlet', point: 'Monitoring point', limit: 'Emission limit', permit: 'Permit',
      agency: 'Agency', user: 'User', org_unit: 'Org unit', session: 'Session', attachment: 'Attachment',
      calendar: 'Calendar', api_token: 'API token', database: 'Database', alarm: 'Alarm', hj212_command: 'Command',
      webhook: 'Webhook', notification: 'Notification', case: 'Case', rule_set: 'Rule set', document: 'Document', job: 'Job' },
    action: { create: 'Create', update: 'Update', deactivate: 'Deactivate', activate: 'Activate', login: 'Log in',
      logout: 'Log out', login_failed: 'Failed login', import_create: 'Import (new)', import_update: 'Import (update)',
      load: 'Load', disable: 'Disable account', enable: 'Enable account', reset_password: 'Reset password',
      password_change: 'Change password', revoke: 'Revoke', set_regions: 'Set regions', demo_generate: 'Demo data',
      acknowledge: 'Acknowledge', close: 'Close', set: 'Set', read: 'Read', adopt_quarantine: 'Adopt quarantine',
      open: 'Open', escalate: 'Escalate', explain: 'Explain', pause: 'Pause the clock', resume: 'Resume the clock',
      request_extension: 'Request an extension', approve_extension: 'Approve the extension',
      refuse_extension: 'Refuse the extension', autoclose: 'Close automatically', issue: 'Issue', run: 'Run', delete: 'Delete' },
  },
};

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

// Name of an API field.
export function fl(name) {
  return (lang === 'en' ? fieldsEn : fieldsZh)[name] ?? fieldsZh[name] ?? name;
}

// Label of an enumerated value; unknown values are shown as they are.
export function label(kind, value) {
  if (value === null || value === undefined || value === '') return '';
  return enums[lang][kind]?.[value] ?? enums.zh[kind]?.[value] ?? String(value);
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
