// A module's descriptor, its labels and its OpenAPI entries agree: every module the binary lists
// has its web side of the same name, the labels the server uses (exports, audit, messages) are
// exactly the ones the UI imports from web/js/<module>/labels.json, and every field a request
// body takes — and every value of its enumerations — has a label to show (fl() / label()).
// (That every route is in the OpenAPI file under its module is tests/e2e/openapi.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const routes = JSON.parse(execFileSync(BIN, ['routes', '--json'], { encoding: 'utf8' }));
const doc = JSON.parse(readFileSync(join(root, 'docs/api/openapi.json'), 'utf8'));
const { MODULES } = await import(join(root, 'web/js/modules.js'));

function serverLabels() {
  const r = spawnSync(BIN, ['labels'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `envgov labels failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('every server module with routes or labels has a web module of the same name, and back', () => {
  const labels = serverLabels();
  const server = new Set(routes.map((r) => r.module));
  for (const f of Object.values(labels.fields)) server.add(f.module);
  const web = new Set(MODULES.map((m) => m.name));
  assert.deepEqual([...server].filter((m) => !web.has(m)), [], 'server modules without web/js/<name>/module.js');
  // A web module is a server module's other half (its routes call that module's API).
  const known = new Set([...server, ...routes.map((r) => r.module)]);
  assert.deepEqual([...web].filter((m) => !known.has(m) && !existsSync(join(root, 'src', m))), [],
    'web modules with no server module');
});

test('the server reads the same labels as the UI, each from its own module', () => {
  const labels = serverLabels();
  const fields = {}, enums = {};
  for (const m of MODULES) {
    const file = join(root, 'web/js', m.name, 'labels.json');
    if (!existsSync(file)) continue;
    const own = JSON.parse(readFileSync(file, 'utf8'));
    // module.js exports the same file it ships (not a copy).
    assert.deepEqual(m.labels, own, `${m.name}/module.js does not export its labels.json`);
    for (const [k, [zh, en]] of Object.entries(own.fields || {})) {
      assert.ok(!(k in fields) || (fields[k].zh === zh && fields[k].en === en), `field ${k} labelled twice, differently`);
      fields[k] ??= { zh, en, module: m.name };
    }
    for (const [set, values] of Object.entries(own.enums || {})) {
      for (const [v, [zh, en]] of Object.entries(values)) {
        enums[set] ??= {};
        assert.ok(!(v in enums[set]) || enums[set][v].zh === zh, `value ${set}.${v} labelled twice, differently`);
        enums[set][v] ??= { zh, en, module: m.name };
      }
    }
  }
  assert.deepEqual(labels.fields, fields);
  assert.deepEqual(labels.enums, enums);
});

// The properties of a request body's schema (following $ref and allOf), with their enums.
function bodyProps(schema, out = {}) {
  if (!schema) return out;
  if (schema.$ref) return bodyProps(doc.components.schemas[schema.$ref.split('/').pop()], out);
  for (const s of schema.allOf || []) bodyProps(s, out);
  for (const [k, v0] of Object.entries(schema.properties || {})) {
    const v = v0.$ref ? doc.components.schemas[v0.$ref.split('/').pop()] : v0;
    const e = v.enum || v.items?.enum;
    out[k] = e ? e.map(String) : out[k] || null;
  }
  return out;
}

test('every field a request body takes, and each value of its enumerations, has a label', () => {
  const labels = serverLabels();
  const missing = [];
  for (const r of routes) {
    const op = doc.paths[r.path]?.[r.method.toLowerCase()];
    const content = op?.requestBody?.content || {};
    for (const c of Object.values(content)) {
      for (const [prop, values] of Object.entries(bodyProps(c.schema))) {
        const named = prop in labels.fields || Object.keys(labels.fields).some((k) => k.endsWith(`.${prop}`));
        if (!named) missing.push(`${r.module}: ${r.method} ${r.path}: field ${prop}`);
        if (!values) continue;
        // The sets that may label this property's values: its "columns" entries and its own name.
        const sets = new Set([prop]);
        for (const [col, s] of Object.entries(labels.columns)) {
          if (col === prop || col.endsWith(`.${prop}`)) s.forEach((x) => sets.add(x));
        }
        for (const v of values) {
          if (![...sets].some((s) => labels.enums[s]?.[v])) {
            missing.push(`${r.module}: ${r.method} ${r.path}: value ${v} of ${prop} (sets ${[...sets].join(', ')})`);
          }
        }
      }
    }
  }
  assert.deepEqual(missing, [], `labels missing (add them to the module's web/js/<module>/labels.json):\n${missing.join('\n')}`);
});

test("each module's strings have both languages and no key another module defines", () => {
  const owner = {};
  const clashes = [];
  for (const m of MODULES) {
    const zh = Object.keys(m.strings?.zh || {}), en = Object.keys(m.strings?.en || {});
    assert.deepEqual(zh.filter((k) => !en.includes(k)), [], `${m.name}: strings without English`);
    assert.deepEqual(en.filter((k) => !zh.includes(k)), [], `${m.name}: strings without Chinese`);
    for (const k of zh) {
      if (owner[k]) clashes.push(`${k}: ${owner[k]} and ${m.name}`);
      owner[k] = m.name;
    }
  }
  assert.deepEqual(clashes, []);
});

test("each module's records (audit log kinds, attachable records) are the entity labels it ships", () => {
  const labels = serverLabels();
  const rec = Object.fromEntries(labels.records.map((r) => [r.entity, r]));
  const ent = labels.enums.entity;
  assert.deepEqual(Object.keys(ent).filter((k) => !rec[k]), [], 'entity labels no module declares as a record');
  assert.deepEqual(Object.keys(rec).filter((k) => !ent[k]), [], 'records without an entity label');
  assert.deepEqual(Object.keys(rec).filter((k) => ent[k].module !== rec[k].module)
    .map((k) => `${k}: record of ${rec[k].module}, labelled by ${ent[k].module}`), []);
  // What takes attachments is what the API's attachment routes accept (the OpenAPI enum).
  const post = doc.paths['/api/v1/attachments']?.post;
  const body = Object.values(post?.requestBody?.content || {})[0]?.schema;
  const listed = bodyProps(body).entity;
  if (listed) {
    assert.deepEqual([...listed].sort(), labels.records.filter((r) => r.attachments).map((r) => r.entity).sort());
  }
});

test("each role set of the UI (a module.js perm) is the roles of the API route it names", () => {
  const STAFF = ['admin', 'leader', 'approver', 'inspector', 'legal', 'monitor', 'service'];
  const wrong = [];
  for (const m of MODULES) {
    for (const [k, p] of Object.entries(m.perms || {})) {
      if (Array.isArray(p) || typeof p === 'string') {
        wrong.push(`${m.name}: perm ${k} names no route ({ roles, route })`);
        continue;
      }
      const [method, path] = p.route.split(' ');
      const r = routes.find((x) => x.method === method && x.path === path);
      if (!r) { wrong.push(`${m.name}: perm ${k}: no route ${p.route}`); continue; }
      if (r.module !== m.name) wrong.push(`${m.name}: perm ${k}: ${p.route} is the ${r.module} module's`);
      const roles = p.roles === 'staff' ? STAFF : p.roles === 'any' ? [...STAFF, 'enterprise'] : p.roles;
      if ([...roles].sort().join() !== [...r.roles].sort().join()) {
        wrong.push(`${m.name}: perm ${k} = ${roles.join(',')} but ${p.route} admits ${r.roles.join(',')}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});
