import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main as aiWorkerMain } from '@tickmesh/ai-worker'
import { startNatsServer } from '@tickmesh/nats'
import { expect, it } from 'vitest'
import { main } from '../program'
import { argv, createTestIo } from '../test-io'

it('the AI worker --from nats:// analyses what a collector stores', async () => {
  const server = await startNatsServer()
  const spillDir = await mkdtemp(join(tmpdir(), 'tickmesh-ai-from-'))
  const abort = new AbortController()
  const collecting = createTestIo({ signal: abort.signal })
  const collector = main(
    argv('collect', 'BTC/USDT', '--sim', '--venues', 'binance', '--to', server.url, '--spill-dir', spillDir),
    collecting.io,
  )
  try {
    const deadline = Date.now() + 30_000
    while (!collecting.stderr.text.includes('Collecting') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    let stdout = ''
    let stderr = ''
    const code = await aiWorkerMain(
      [
        'BTC/USDT',
        '--from',
        server.url,
        '--venues',
        'binance',
        '--local',
        '--digest-every',
        '1s',
        '--duration',
        '4s',
      ],
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        env: {},
      },
    )
    expect(stderr).toContain(`from NATS ${server.url} (binance)`)
    expect(code).toBe(0)
    const records = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; inputs?: { mid: number | null; venues: string[] } })
    // The analyses saw the collected Binance market: a mid price from the stream's books and quotes.
    const analyses = records.filter((record) => record.type === 'analysis')
    expect(analyses.length).toBeGreaterThan(0)
    expect(
      analyses.some(
        (record) => (record.inputs?.mid ?? 0) > 1_000 && record.inputs?.venues.includes('binance'),
      ),
    ).toBe(true)
  } finally {
    abort.abort()
    expect(await collector).toBe(0)
    await server.stop()
    await rm(spillDir, { recursive: true, force: true })
  }
})
