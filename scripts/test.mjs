#!/usr/bin/env node
// Runs the whole workspace's tests in one vitest process and ends with the plain summary line
// `N passed, N failed[, N skipped]` that CI reads. Exit code is non-zero on any failure.
//   node scripts/test.mjs            every-change suite
//   node scripts/test.mjs --chaos    long fault-injection runs (pnpm test:chaos)
//   node scripts/test.mjs --live     real venues over the internet (pnpm test:live, never in CI)
// Other arguments pass through to vitest (a file filter, -t "name", ...).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
let suite = 'default'
const passthrough = []
for (const arg of args) {
  if (arg === '--chaos') suite = 'chaos'
  else if (arg === '--live') suite = 'live'
  else passthrough.push(arg)
}

const dir = mkdtempSync(join(tmpdir(), 'tickmesh-test-'))
const report = join(dir, 'report.json')
const run = spawnSync(
  'pnpm',
  [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...passthrough,
  ],
  { stdio: 'inherit', env: { ...process.env, TICKMESH_SUITE: suite } },
)

let passed = 0
let failed = 0
let skipped = 0
try {
  const result = JSON.parse(readFileSync(report, 'utf8'))
  passed = result.numPassedTests
  failed = result.numFailedTests
  skipped = result.numPendingTests + result.numTodoTests
  // A file that fails to load has no failed tests but is a failure all the same.
  failed += result.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  ).length
} catch {
  failed = Math.max(failed, 1)
}
rmSync(dir, { recursive: true, force: true })

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(run.status === 0 && failed === 0 ? 0 : 1)
