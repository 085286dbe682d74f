import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'

// The real executable in a child process: tsx runs src/bin.ts (no build needed), from the package
// folder so its tsconfig maps @tickmesh/* to the workspace sources.
const packageDir = fileURLToPath(new URL('..', import.meta.url))
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))

// These tests need tsx (a devDependency) and tmux (`apt-get install -y tmux`; .ci/run and
// `pnpm test` install it): fail loudly rather than skip, so a missing tool never hides a broken CLI.
beforeAll(() => {
  if (!existsSync(tsx)) throw new Error(`tsx not found at ${tsx}: run pnpm install.`)
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' })
  } catch {
    throw new Error(
      'tmux is not installed: apt-get install -y tmux (pnpm test installs it when run as root).',
    )
  }
})

// tsx (the compiler) plus the CLI in a child process take seconds to start on a loaded 2-core CI
// machine: every test here gets a generous budget and waits on output, never on fixed sleeps.
const CHILD_TEST_TIMEOUT_MS = 90_000

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue
    // tsx runs the CLI in a grandchild node process: kill the whole process group, not only tsx.
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      child.kill('SIGKILL')
    }
  }
})

function run(args: string[]): {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
} {
  const child = spawn(tsx, ['src/bin.ts', ...args], {
    cwd: packageDir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so afterEach can kill tsx and the node process it starts together.
    detached: true,
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stdout: () => stdout, stderr: () => stderr, exit }
}

async function waitFor(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting; ${what()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('the tickmesh executable', () => {
  it('watch --json --duration --sim in a child process prints NDJSON and exits 0', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    // --duration counts from start-up, before the simulator and connections are up: 6 s leaves a
    // loaded machine room to connect both venues and still print their quotes.
    const cli = run(['watch', 'BTC/USDT', '--sim', '--json', '--venues', 'binance,bybit', '--duration', '6s'])
    expect(await cli.exit).toBe(0)
    const lines = cli
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; venue: string })
    expect(lines.some((line) => line.kind === 'bbo' && line.venue === 'binance')).toBe(true)
    expect(lines.some((line) => line.kind === 'bbo' && line.venue === 'bybit')).toBe(true)
    expect(cli.stderr()).toBe('')
  })

  it('stops cleanly on SIGINT with exit 0', { timeout: CHILD_TEST_TIMEOUT_MS }, async () => {
    const cli = run(['stream', 'ETH/USDT', '--sim', '--venues', 'okx', '--channels', 'bbo'])
    await waitFor(
      () => cli.stdout().includes('bbo'),
      75_000,
      () => `stderr: ${cli.stderr()}`,
    )
    cli.child.kill('SIGINT')
    expect(await cli.exit).toBe(0)
  })

  it('a bad flag exits 2', { timeout: CHILD_TEST_TIMEOUT_MS }, async () => {
    const cli = run(['stream', 'BTC/USDT', '--depth', 'lots'])
    expect(await cli.exit).toBe(2)
    expect(cli.stderr()).toContain('--depth must be a whole number')
  })
})

describe('the dashboard in a real terminal (tmux)', () => {
  const session = `tickmesh-test-${process.pid}`
  const killSession = (): void => {
    try {
      execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' })
    } catch {
      // already gone
    }
  }
  // Killed before (a leftover from an aborted run would make new-session fail) and always after.
  beforeAll(killSession)
  afterEach(killSession)

  it('shows every venue with prices and the consolidated row; q quits with exit 0', {
    timeout: CHILD_TEST_TIMEOUT_MS,
  }, async () => {
    // CI=0: ink draws only the final frame when it thinks it runs in CI (CI=true in .ci/run); the
    // pane is a real terminal, as a user's would be.
    const command = `cd '${packageDir}' && CI=0 NO_COLOR=1 '${tsx}' src/bin.ts watch BTC/USDT ETH/USDT --sim; echo "EXIT=$?"; sleep 120`
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '140', '-y', '50', command])
    // An empty screen when the pane is not readable for a moment; the wait reports what it last saw.
    const screen = (): string => {
      try {
        return execFileSync('tmux', ['capture-pane', '-p', '-t', session]).toString()
      } catch {
        return ''
      }
    }
    const priced = /^\s+(binance|bybit|okx|coinbase)\s+\d+\.\d{2}\s+\d+\.\d{2}/gm
    // Polls the pane until all 8 venue rows (2 symbols × 4 venues) show prices, however long tsx
    // takes to compile the CLI under load; the budget leaves room for the quit below.
    await waitFor(
      () => (screen().match(priced) ?? []).length >= 8,
      60_000,
      () => `screen:\n${screen()}`,
    )
    const text = screen()
    expect(text).toContain('tickmesh watch · simulator (--sim)')
    expect(text).toContain('BTC/USDT')
    expect(text).toContain('ETH/USDT')
    expect(text).toMatch(/best\s+\d+\.\d{2}\s+\d+\.\d{2}.*bid@\w+ ask@\w+/)
    expect(text).toMatch(/binance\s+connected\s+reconnects 0/)
    expect(text).toContain('Arbitrage:')
    execFileSync('tmux', ['send-keys', '-t', session, 'q'])
    await waitFor(
      () => screen().includes('EXIT='),
      20_000,
      () => `screen:\n${screen()}`,
    )
    expect(screen()).toContain('EXIT=0')
  })
})
