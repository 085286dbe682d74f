#!/usr/bin/env node
// Runs the whole workspace's tests in one vitest process and ends with the plain summary line
// `N passed, N failed[, N skipped]` that CI reads. Exit code is non-zero on any failure.
//   node scripts/test.mjs            every-change suite
//   node scripts/test.mjs --chaos    long fault-injection runs (pnpm test:chaos)
//   node scripts/test.mjs --live     real venues over the internet (pnpm test:live, never in CI)
// Other arguments pass through to vitest (a file filter, -t "name", ...).
import { execSync, spawnSync } from 'node:child_process'
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

ensureSystemTools()

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

// Tests use real parts: a nats-server with JetStream, Debian's Chromium and tmux. Install them when
// missing and we may (root with apt-get, as on CI and fresh dev machines); otherwise say what to do.
function ensureSystemTools() {
  const tools = { 'nats-server': 'nats-server', chromium: 'chromium', tmux: 'tmux' }
  const missing = Object.entries(tools).filter(([command]) => !hasCommand(command))
  if (missing.length === 0) return
  const packages = missing.map(([, pkg]) => pkg).join(' ')
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (isRoot && hasCommand('apt-get')) {
    console.log(`Installing test tools: ${packages} (apt-get)…`)
    try {
      execSync(
        `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages}`,
        {
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      )
      return
    } catch {
      console.log(`apt-get could not install ${packages}; the tests that need them will fail.`)
    }
  } else {
    console.log(
      `Missing test tools: ${packages}. Install them (Debian: sudo apt-get install -y ${packages}); tests that need them will fail.`,
    )
  }
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}
