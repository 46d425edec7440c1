// Interface strings of the platform module (zh, en); i18n.js merges every module's. Field and value
// labels are in labels.json.
export default {
  zh: {
    dashboard: '工作台', audit: '操作日志', card_enterprises: '在册企业', card_key: '重点排污单位',
    card_expiring: '{n} 天内到期许可证', expired_n: '另有 {n} 张已过期', today_is: '数据日期 {d}', by_category: '企业监管类别分布',
    by_region: '各区县企业数量', by_industry: '企业数量前 10 行业', expiring_table: '{n} 天内到期的排污许可证', recent_audit: '最近操作',
    view_all: '查看全部', audit_from: '起始日期', audit_to: '截止日期', actor_all: '全部操作人', entity_all: '全部对象',
    action_all: '全部操作', card_online_rate: '监测点在线率', points_online_sub: '监测点 {n} · 在线 {on}',
    card_unhandled: '未处理报警', open_alarms_n: '未关闭 {n}', card_alarms_today: '今日报警', card_offline: '离线监测点',
    never_connected_n: '未接入 {n}', card_quarantine: '隔离设备', frames_n: '{n} 条报文', key_n: '重点排污单位 {n}',
    chart_alarms_today: '今日报警（按区县、类型）', chart_open_by_kind: '未关闭报警类型', oldest_unhandled: '等待最久的未处理报警',
    no_alarms_today: '今日暂无报警', no_open_alarms: '暂无未关闭报警', no_unhandled: '没有待处理的报警', waited: '已等待',
    age_min: '{n} 分钟', age_h: '{n} 小时', age_d: '{n} 天',
  },
  en: {
    dashboard: 'Dashboard', audit: 'Audit log', card_enterprises: 'Enterprises', card_key: 'Key dischargers',
    card_expiring: 'Permits due in {n} days', expired_n: '{n} more already expired', today_is: 'As of {d}',
    by_category: 'By supervision category', by_region: 'Enterprises by county',
    by_industry: 'Top 10 industries', expiring_table: 'Permits due within {n} days',
    recent_audit: 'Recent activity', view_all: 'View all', audit_from: 'From', audit_to: 'To',
    actor_all: 'All actors', entity_all: 'All records', action_all: 'All actions',
    card_online_rate: 'Points online', points_online_sub: '{n} points · {on} online',
    card_unhandled: 'Unhandled alarms', open_alarms_n: '{n} not closed',
    card_alarms_today: 'Today\'s alarms', card_offline: 'Offline points',
    never_connected_n: '{n} never connected', card_quarantine: 'Quarantined devices', frames_n: '{n} frames',
    key_n: '{n} key dischargers', chart_alarms_today: 'Today\'s alarms by county and kind',
    chart_open_by_kind: 'Open alarms by kind', oldest_unhandled: 'Longest-waiting unhandled alarms',
    no_alarms_today: 'No alarms today', no_open_alarms: 'No open alarms', no_unhandled: 'No alarms waiting',
    waited: 'Waiting', age_min: '{n} min', age_h: '{n} h', age_d: '{n} d',
  },
};
