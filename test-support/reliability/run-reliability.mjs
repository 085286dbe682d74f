#!/usr/bin/env node
// `pnpm test:reliability`: every reliability suite in full (TICKMESH_FULL=1) with one command —
// decoder fuzz (100k cases per venue and market), secret hygiene, soak (10M messages), the chaos
// short forms, then the long chaos forms (each fault kind 10 times, 100 forced reconnects per venue).
// The figures each suite reports are collected as NDJSON in <tmpdir>/tickmesh-reliability-results.ndjson
// (or TICKMESH_RELIABILITY_OUT) for docs/reliability.md. Extra arguments pass through to vitest.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const out = resolve(
  process.env.TICKMESH_RELIABILITY_OUT ?? join(tmpdir(), 'tickmesh-reliability-results.ndjson'),
)
rmSync(out, { force: true })
const env = { ...process.env, TICKMESH_FULL: '1', TICKMESH_RELIABILITY_OUT: out }
const extra = process.argv.slice(2)
let failed = false
for (const suite of [[], ['--chaos']]) {
  const run = spawnSync('node', ['scripts/test.mjs', ...suite, '/src/reliability/', ...extra], {
    stdio: 'inherit',
    env,
  })
  if (run.status !== 0) failed = true
}
console.log(`reliability figures: ${out}`)
process.exit(failed ? 1 : 0)
