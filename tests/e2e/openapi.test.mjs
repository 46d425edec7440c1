// The OpenAPI document must describe every route of the binary: this fails when a route is
// added without its entry in docs/api/openapi.json (refresh with scripts/gen-openapi.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, startServer } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('every route is in docs/api/openapi.json and the served copy is the same', async () => {
  const routes = JSON.parse(execFileSync(BIN, ['routes', '--json'], { encoding: 'utf8' }));
  const doc = JSON.parse(readFileSync(join(root, 'docs/api/openapi.json'), 'utf8'));
  const missing = routes.filter((r) => !doc.paths?.[r.path]?.[r.method.toLowerCase()])
    .map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(missing, [], `routes missing from openapi.json:\n${missing.join('\n')}`);
  const extra = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of Object.keys(item)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(m) && !routes.some((r) => r.path === p && r.method.toLowerCase() === m)) {
        extra.push(`${m.toUpperCase()} ${p}`);
      }
    }
  }
  assert.deepEqual(extra, [], `openapi.json describes routes the binary does not have:\n${extra.join('\n')}`);
  // Each operation names the module whose descriptor declares the route (platform/module.h).
  const moved = routes.filter((r) => doc.paths[r.path][r.method.toLowerCase()]['x-module'] !== r.module)
    .map((r) => `${r.method} ${r.path}: ${r.module}`);
  assert.deepEqual(moved, [], `x-module disagrees with the route's module:\n${moved.join('\n')}`);
  // x-roles are the roles the route admits ("public" without a login): what the UI's role sets
  // mirror (tests/e2e/modules.test.mjs holds them together).
  const roles = routes.filter((r) => JSON.stringify(doc.paths[r.path][r.method.toLowerCase()]['x-roles']) !==
    JSON.stringify(r.public ? 'public' : r.roles)).map((r) => `${r.method} ${r.path}: ${r.public ? 'public' : r.roles.join(',')}`);
  assert.deepEqual(roles, [], `x-roles disagree with the route's roles:\n${roles.join('\n')}`);
  const srv = await startServer({ demo: false });
  try {
    const served = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
    assert.deepEqual(served, doc);
  } finally {
    await srv.stop();
  }
});
