import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Simulator } from '@tickmesh/simulator'
import { startSimulator } from '@tickmesh/simulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CANARY_PASSPHRASE, CANARY_SECRET, leaksOf } from '../../../../test-support/reliability/secret-canary'
import { main } from '../program'
import { argv, createTestIo } from '../test-io'

// The CLI with a canary secret in its config file and environment: no command output (`--json`
// lines, readable lines, warnings, errors with TICKMESH_DEBUG stacks, recordings) ever shows it.

let directory = ''
let sim: Simulator | null = null

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tickmesh-cli-secrets-'))
})

afterEach(async () => {
  await sim?.close()
  sim = null
  rmSync(directory, { recursive: true, force: true })
})

function writeConfig(venues: Record<string, Record<string, string>>, mode: number, text?: string): string {
  const path = join(directory, 'tickmesh.config.json')
  writeFileSync(path, text ?? JSON.stringify({ venues }))
  chmodSync(path, mode)
  return path
}

const CANARY_ENV = {
  TICKMESH_OKX_API_KEY: 'okx-sim-api-key',
  TICKMESH_OKX_API_SECRET: CANARY_SECRET,
  TICKMESH_OKX_PASSPHRASE: CANARY_PASSPHRASE,
  TICKMESH_BYBIT_API_KEY: 'bybit-sim-api-key',
  TICKMESH_BYBIT_API_SECRET: CANARY_SECRET,
  TICKMESH_DEBUG: '1',
}

describe('cli: secret hygiene', () => {
  it('stream --json and record through a config with secrets never print or store them', async () => {
    sim = await startSimulator({ venues: ['okx', 'bybit'], seed: 4, port: 0 })
    const config = writeConfig(
      {
        okx: {
          apiKey: 'okx-sim-api-key',
          secret: CANARY_SECRET,
          passphrase: CANARY_PASSPHRASE,
          wsUrl: sim.venues.okx.ws,
          restUrl: sim.venues.okx.rest,
        },
        bybit: {
          apiKey: 'bybit-sim-api-key',
          secret: CANARY_SECRET,
          wsUrl: sim.venues.bybit.ws,
          restUrl: sim.venues.bybit.rest,
        },
      },
      0o600,
    )
    const streamed = createTestIo({ env: CANARY_ENV, cwd: directory })
    const args = ['--venues', 'okx,bybit', '--config', config, '--duration', '2s']
    const code = await main(
      argv('stream', 'BTC/USDT', '--json', '--channels', 'trades,bbo', ...args),
      streamed.io,
    )
    expect(streamed.stderr.text).toBe('')
    expect(code).toBe(0)
    expect(streamed.json().length).toBeGreaterThan(0)

    const recordingPath = join(directory, 'session.ndjson')
    const recorded = createTestIo({ env: CANARY_ENV, cwd: directory })
    expect(await main(argv('record', 'BTC/USDT', '--out', recordingPath, ...args), recorded.io)).toBe(0)
    const recording = readFileSync(recordingPath, 'utf8')
    expect(recording.length).toBeGreaterThan(0)

    const readable = createTestIo({ env: CANARY_ENV, cwd: directory })
    await main(argv('stream', 'BTC/USDT', '--channels', 'trades', ...args), readable.io)

    expect(
      leaksOf([
        { where: 'stream --json stdout', text: streamed.stdout.text },
        { where: 'stream stderr', text: streamed.stderr.text },
        { where: 'record stdout', text: recorded.stdout.text },
        { where: 'record stderr', text: recorded.stderr.text },
        { where: 'recording file', text: recording },
        { where: 'stream stdout', text: readable.stdout.text },
        { where: 'stream stderr (readable)', text: readable.stderr.text },
      ]),
    ).toEqual([])
  })

  it('warns about a secrets file others can read, without quoting it; a 0600 file draws no warning', async () => {
    const venues = {
      okx: { apiKey: 'okx-sim-api-key', secret: CANARY_SECRET, passphrase: CANARY_PASSPHRASE },
    }
    const open = createTestIo({ cwd: directory })
    const openConfig = writeConfig(venues, 0o644)
    await main(
      argv('stream', 'BTC/USDT', '--sim', '--venues', 'okx', '--duration', '1s', '--config', openConfig),
      open.io,
    )
    expect(open.stderr.text).toMatch(/readable by other users/)
    expect(open.stderr.text).toContain('chmod 600')

    const closed = createTestIo({ cwd: directory })
    const closedConfig = writeConfig(venues, 0o600)
    await main(
      argv('stream', 'BTC/USDT', '--sim', '--venues', 'okx', '--duration', '1s', '--config', closedConfig),
      closed.io,
    )
    expect(closed.stderr.text).not.toMatch(/readable by other users/)
    expect(
      leaksOf([
        { where: 'stderr (0644)', text: open.stderr.text },
        { where: 'stdout (0644)', text: open.stdout.text },
        { where: 'stderr (0600)', text: closed.stderr.text },
      ]),
    ).toEqual([])
  })

  it('config and credential errors, with TICKMESH_DEBUG stacks, never quote the secret', async () => {
    const outputs: Array<{ where: string; text: string }> = []
    const cases: Array<[string, string]> = [
      [
        'broken JSON',
        `{"venues":{"okx":{"apiKey":"k","secret":"${CANARY_SECRET}","passphrase":"${CANARY_PASSPHRASE}"`,
      ],
      ['misspelled field', JSON.stringify({ venues: { okx: { apiKey: 'k', secrte: CANARY_SECRET } } })],
      ['non-string field', JSON.stringify({ venues: { okx: { apiKey: 'k', secret: [CANARY_SECRET] } } })],
      ['unknown venue', JSON.stringify({ venues: { okex: { apiKey: 'k', secret: CANARY_SECRET } } })],
      [
        'secret without key',
        JSON.stringify({ venues: { okx: { passphrase: CANARY_PASSPHRASE, apiKey: 'k' } } }),
      ],
    ]
    for (const [name, text] of cases) {
      const config = writeConfig({}, 0o600, text)
      const t = createTestIo({ cwd: directory, env: { TICKMESH_DEBUG: '1' } })
      const code = await main(
        argv('stream', 'BTC/USDT', '--sim', '--venues', 'okx', '--duration', '1s', '--config', config),
        t.io,
      )
      expect(code, name).not.toBe(0)
      expect(t.stderr.text, name).toMatch(/Error/)
      outputs.push(
        { where: `${name} stderr`, text: t.stderr.text },
        { where: `${name} stdout`, text: t.stdout.text },
      )
    }
    // The environment: an incomplete key pair is a usage error that names the variable, not its value.
    const t = createTestIo({
      cwd: directory,
      env: { TICKMESH_DEBUG: '1', TICKMESH_OKX_API_KEY: 'k', TICKMESH_OKX_PASSPHRASE: CANARY_PASSPHRASE },
    })
    expect(
      await main(argv('stream', 'BTC/USDT', '--sim', '--venues', 'okx', '--duration', '1s'), t.io),
    ).not.toBe(0)
    outputs.push({ where: 'env stderr', text: t.stderr.text })
    expect(leaksOf(outputs)).toEqual([])
  })
})
