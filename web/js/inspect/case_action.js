// On a case page: an alarm's case gets 生成现场核查任务 (POST /alarms/{id}/inspect-task); an
// inspection's case (a draw target's or a task's) links to its task and checklist.
import { get, post } from '../api.js';
import { t } from '../i18n.js';
import { btn, busy, toast } from '../ui.js';

export function caseAction(c, ctx) {
  if (c.subject_kind === 'alarm') {
    const b = btn(t('insp_alarm_task'), () => busy(b, async () => {
      const r = await post(`/api/v1/alarms/${c.subject_id}/inspect-task`, {});
      toast(t('insp_alarm_task_done'));
      ctx.navigate(`/inspect/tasks/${r.id}`);
    }), { testid: 'alarm-inspect-task' });
    return b;
  }
  if (c.type === 'inspection' || c.type === 'inspect_task') {
    return btn(t('insp_checklist'), async () => {
      const r = await get(`/api/v1/inspect/tasks?case_id=${c.id}`);
      if (r.items[0]) ctx.navigate(`/inspect/tasks/${r.items[0].id}`);
    }, { testid: 'case-open-task' });
  }
  return null;
}
