// Interface strings of the heavy-pollution weather module (zh, en); field and value labels are in
// labels.json.
export default {
  zh: {
    em_nav: '重污染天气', em_own_nav: '应急减排', em_alerts: '预警', em_issue: '发布预警', em_no_alerts: '暂无预警',
    em_grades: '绩效分级', em_no_grades: '暂无绩效分级企业', em_control: '管控清单', em_sums: '按区域与污染物汇总（kg/日）',
    em_chart: '减排量与要求（缺口）', em_required: '要求减排', em_reduction: '预计减排', em_shortfall: '缺口', em_baseline: '正常排放',
    em_check: '核查措施落实', em_checked: '已核查：新建检查任务 {n} 项', em_firm: '企业', em_line: '生产线', em_allowed: '等级上限',
    em_sheet_action: '一企一策措施', em_action: '应执行措施', em_capped: '超出等级上限，已降为上限（不一刀切）',
    em_confirmed: '企业确认', em_compliance: '落实情况', em_task: '检查任务', em_today: '今日预警', em_no_today: '今日无重污染天气预警',
    em_confirm: '确认执行', em_confirm_ok: '已确认执行减排措施', em_sheet: '一企一策', em_no_sheet: '尚未填报生产线',
    em_regions_hint: '区划代码，逗号分隔（如 330502,330503）', em_issued: '预警已发布', em_card: '今日预警：{l}', em_card_none: '今日无预警', em_region: '区域', em_process: '工序',
  },
  en: {
    em_nav: 'Heavy-pollution weather', em_own_nav: 'Emergency cuts', em_alerts: 'Alerts', em_issue: 'Issue an alert', em_no_alerts: 'No alerts',
    em_grades: 'Performance grades', em_no_grades: 'No graded enterprises', em_control: 'Control list', em_sums: 'Sums by region and pollutant (kg/day)',
    em_chart: 'Reductions against the required cut (shortfall)', em_required: 'Required', em_reduction: 'Expected reduction', em_shortfall: 'Shortfall', em_baseline: 'Normal emissions',
    em_check: 'Check compliance', em_checked: 'Checked: {n} inspection tasks filed', em_firm: 'Enterprise', em_line: 'Line', em_allowed: 'Grade allows',
    em_sheet_action: 'Sheet action', em_action: 'Action required', em_capped: 'Above what the grade allows: lowered (no blanket stop)',
    em_confirmed: 'Confirmed', em_compliance: 'Compliance', em_task: 'Inspection task', em_today: 'Today\'s alert', em_no_today: 'No heavy-pollution alert today',
    em_confirm: 'Confirm execution', em_confirm_ok: 'Execution confirmed', em_sheet: 'One firm, one plan', em_no_sheet: 'No production lines yet',
    em_regions_hint: 'Region codes, e.g. 330502,330503', em_issued: 'Alert issued', em_card: 'Alert today: {l}', em_card_none: 'No alert today', em_region: 'Region', em_process: 'Process',
  },
};
