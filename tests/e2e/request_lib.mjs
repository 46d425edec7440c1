// Helpers of the request suites (open311, request): next year's working-day calendar (a
// complaint's 30-day clock reaches into it in December), a public form token old enough to use,
// and filing a public complaint.
export async function nextYearCalendar(admin) {
  const next = new Date(Date.now() + 8 * 3600e3).getUTCFullYear() + 1;
  if ((await admin.get(`/api/v1/calendar/${next}`)).status === 200) return;
  const r = await admin.put(`/api/v1/calendar/${next}`, { year: next, source: 'e2e test (weekends and New Year only)',
    holidays: [{ name: '元旦', from: `${next}-01-01`, to: `${next}-01-01` }], workdays: [] });
  if (r.status !== 200 && r.status !== 201) throw new Error(`calendar ${next}: ${r.status} ${r.body}`);
}

export async function formToken(base) {
  const r = await fetch(`${base}/api/v1/public/requests/form`).then((x) => x.json());
  await new Promise((ok) => setTimeout(ok, 2100)); // a form token is good from 2 s after issue
  return r.form_token;
}

export async function fileComplaint(base, fields, token) {
  const body = { form_token: token || await formToken(base), ...fields };
  const r = await fetch(`${base}/api/v1/public/requests`, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
}
