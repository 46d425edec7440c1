// Interface strings of the calendar module (zh, en); i18n.js merges every module's. Field and value
// labels are in labels.json.
export default {
  zh: {
    calendar: '工作日历', years_loaded: '已加载年度', holiday: '法定节假日', makeup: '调休上班', weekend: '周末', workday: '工作日',
    year_source: '依据：{s}', year_loaded_by: '{by} 于 {at} 加载', load_year: '加载 / 替换年度安排',
    load_help: '粘贴或上传国务院办公厅节假日安排的 JSON（格式同下方示例）。同一年度再次加载将整体替换。', load_file: '从文件读取', load_go: '加载该年度',
    load_confirm: '{y} 年已有安排，确定用新内容整体替换吗？', year_mismatch: 'JSON 中的 year 与所选年份不一致', deadline_calc: '工作日期限计算',
    deadline_help: '按法定工作日计算期限：跳过周末和节假日，调休日算作工作日。', n_workdays: '工作日数', n_calendar_days: '自然日数',
    count_by: '计算方式', by_workdays: '按工作日', by_calendar_days: '按自然日（顺延至工作日）', calc: '计算',
    deadline_is: '期限届满日：{d}（{w}）', weekdays: '一,二,三,四,五,六,日', month_n: '{n} 月',
  },
  en: {
    calendar: 'Calendar', years_loaded: 'Years loaded', holiday: 'Public holiday', makeup: 'Make-up workday',
    weekend: 'Weekend', workday: 'Workday', year_source: 'Source: {s}',
    year_loaded_by: 'loaded by {by} at {at}', load_year: 'Load / replace a year',
    load_help: 'Paste or upload the JSON of the State Council holiday notice (format as in the example). Loading a year again replaces it.',
    load_file: 'Read from file', load_go: 'Load this year',
    load_confirm: '{y} is already loaded. Replace it with the new content?',
    year_mismatch: 'The year in the JSON differs from the year chosen',
    deadline_calc: 'Working-day deadline',
    deadline_help: 'Counts statutory working days: weekends and holidays are skipped, make-up days count.',
    n_workdays: 'Working days', n_calendar_days: 'Calendar days', count_by: 'Count by',
    by_workdays: 'Working days', by_calendar_days: 'Calendar days (rolled to a workday)', calc: 'Calculate',
    deadline_is: 'Deadline: {d} ({w})', weekdays: 'Mo,Tu,We,Th,Fr,Sa,Su', month_n: 'Month {n}',
  },
};
