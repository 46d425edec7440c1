// Interface strings of the documents module (zh, en); i18n.js merges every module's. Field and value
// labels are in labels.json.
export default {
  zh: {
    tab_documents: '文书', doc_none: '暂无文书', doc_number: '文书编号', doc_title: '文书', doc_issue_date: '签发日期',
    doc_org_unit: '签发机关', doc_verify: '验真', doc_verify_link: '扫码验真页',
    doc_hint: '生态环境部门发给本企业的正式文书（PDF），可下载核对', doc_remind: '发提醒函',
    doc_remind_confirm: '确定向企业发出许可证 {n} 的到期提醒函吗？文书编号一经使用不可收回。', doc_reminded: '已发出提醒函 {n}',
    doc_prefix: '文书编号前缀', doc_prefix_hint: '发文机关代字，如 湖环、湖环长；未设置的单位不能签发文书', doc_rule: '依据规则集',
    doc_rule_ref: '{kind} 第 {v} 版',
  },
  en: {
    tab_documents: 'Documents', doc_none: 'No documents yet', doc_number: 'Document number',
    doc_title: 'Document', doc_issue_date: 'Issued', doc_org_unit: 'Issued by', doc_verify: 'Verify',
    doc_verify_link: 'Verification page',
    doc_hint: 'Official documents (PDF) the bureau sent to this enterprise', doc_remind: 'Send reminder',
    doc_remind_confirm: 'Send the expiry reminder letter for permit {n}? A document number once used is never given back.',
    doc_reminded: 'Reminder letter {n} issued', doc_prefix: 'Document-number prefix',
    doc_prefix_hint: 'The unit’s 代字, e.g. 湖环 or 湖环长; a unit without one cannot issue documents',
    doc_rule: 'Rule set', doc_rule_ref: '{kind} version {v}',
  },
};
