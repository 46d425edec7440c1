// Interface strings of the hazardous-waste module (zh, en); field and value labels are in
// labels.json.
export default {
  zh: {
    hw_nav: '危险废物', hw_own_nav: '危废台账', hw_sites: '产生/贮存场所', hw_no_sites: '暂无危废场所', hw_warnings: '未解除预警', hw_no_warnings: '暂无预警',
    hw_manifests: '转移联单', hw_no_manifests: '暂无转移联单', hw_stock: '库存批次', hw_no_stock: '当前无库存', hw_records: '台账记录', hw_no_records: '暂无记录',
    hw_chart: '近 12 个月台账（吨）', hw_devices: '智能地磅/仓库设备', hw_no_devices: '尚未登记设备', hw_plans: '管理计划', hw_no_plans: '尚未生成管理计划',
    hw_add_record: '登记台账记录', hw_added: '已登记 {b}', hw_add_device: '登记设备', hw_token_title: '设备令牌', hw_token_help: '请将此令牌配置到设备（Authorization: Device <令牌>）；关闭后不再显示。',
    hw_gen_plan: '生成 {y} 年度管理计划', hw_file_plan: '备案', hw_filed: '已备案：{n}', hw_plan_tables: '计划表', hw_new_manifest: '新建转移联单', hw_created: '联单 {n} 已创建',
    hw_new_site: '登记场所', hw_site_created: '场所已登记', hw_ship: '发运', hw_arrive: '确认到达', hw_accept: '接受确认', hw_close: '报告利用处置结果', hw_done: '已办理',
    hw_lines: '废物明细', hw_line: '第 {n} 行', hw_all: '全部', hw_search: '搜索场所或企业', hw_stock_of: '{s} / {c} 吨', hw_tonnes: '吨', hw_month: '月份',
    hw_class_hint: '管理类别依 HJ 1259-2022：近三年最大年产生量 ≥100 吨、有自行利用处置设施或持证为重点监管，≥10 吨为简化管理，其余为登记管理。',
    hw_late: '接受人确认已超期', hw_party_hint: '移出人发运；接受人确认到达、接受并报告结果。', hw_events: '事件数', hw_code_hint: '如 900-041-49',
    hw_report: '台账报表（重点监管按月、简化管理按季、均按年）', hw_r_generated_t: '产生', hw_r_stored_in_t: '入库', hw_r_used_t: '自行利用', hw_r_disposed_t: '自行处置',
    hw_r_outsourced_t: '委外', hw_r_end_store_t: '期末贮存',
  },
  en: {
    hw_nav: 'Hazardous waste', hw_own_nav: 'Waste ledger', hw_sites: 'Sites', hw_no_sites: 'No waste sites', hw_warnings: 'Open warnings', hw_no_warnings: 'No warnings',
    hw_manifests: 'Transfer manifests', hw_no_manifests: 'No manifests', hw_stock: 'Batches in store', hw_no_stock: 'Nothing in store', hw_records: 'Ledger records', hw_no_records: 'No records',
    hw_chart: 'Ledger, last 12 months (t)', hw_devices: 'Smart scales and warehouse devices', hw_no_devices: 'No devices', hw_plans: 'Management plans', hw_no_plans: 'No plan yet',
    hw_add_record: 'Add a ledger record', hw_added: 'Recorded {b}', hw_add_device: 'Register a device', hw_token_title: 'Device token', hw_token_help: 'Configure this token on the device (Authorization: Device <token>); it is not shown again.',
    hw_gen_plan: 'Generate the {y} plan', hw_file_plan: 'File', hw_filed: 'Filed: {n}', hw_plan_tables: 'Plan tables', hw_new_manifest: 'New manifest', hw_created: 'Manifest {n} created',
    hw_new_site: 'Register a site', hw_site_created: 'Site registered', hw_ship: 'Ship', hw_arrive: 'Record arrival', hw_accept: 'Accept', hw_close: 'Report disposal result', hw_done: 'Done',
    hw_lines: 'Waste lines', hw_line: 'Line {n}', hw_all: 'All', hw_search: 'Search site or enterprise', hw_stock_of: '{s} / {c} t', hw_tonnes: 't', hw_month: 'Month',
    hw_class_hint: 'Class per HJ 1259-2022: key with ≥ 100 t a year (largest of 3 years), an own facility or a licence; simplified ≥ 10 t; registered below.',
    hw_late: 'The receiver confirmed late', hw_party_hint: 'The shipper ships; the receiver records the arrival, accepts and reports the result.', hw_events: 'Events', hw_code_hint: 'e.g. 900-041-49',
    hw_report: 'Ledger reports (key: monthly, simplified: quarterly, all: yearly)', hw_r_generated_t: 'Generated', hw_r_stored_in_t: 'Stored in', hw_r_used_t: 'Own use', hw_r_disposed_t: 'Own disposal',
    hw_r_outsourced_t: 'Handed over', hw_r_end_store_t: 'In store at the end',
  },
};
