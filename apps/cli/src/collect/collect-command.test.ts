import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectNats, countStoredBySubject, type NatsServerHandle, startNatsServer } from '@tickmesh/nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../program'
import { argv, createTestIo } from '../test-io'

let server: NatsServerHandle
let spillDir: string

beforeAll(async () => {
  server = await startNatsServer()
  spillDir = await mkdtemp(join(tmpdir(), 'tickmesh-collect-cli-'))
})

afterAll(async () => {
  await server.stop()
  await rm(spillDir, { recursive: true, force: true })
})

async function waitFor<T>(read: () => T | undefined | null, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = read()
    if (value !== undefined && value !== null) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('tickmesh collect', () => {
  it('collects simulator events into JetStream, serves Prometheus metrics, and stops cleanly on the signal', async () => {
    const abort = new AbortController()
    const t = createTestIo({ signal: abort.signal })
    const running = main(
      argv(
        'collect',
        'BTC/USDT',
        'ETH/USDT',
        '--sim',
        '--venues',
        'binance',
        '--to',
        server.url,
        '--metrics-port',
        '0',
        '--metrics-host',
        '127.0.0.1',
        '--spill-dir',
        spillDir,
      ),
      t.io,
    )
    const metricsUrl = await waitFor(
      () => /metrics at (http:\/\/\S+\/metrics)/.exec(t.stderr.text)?.[1],
      'the metrics URL',
    )
    expect(t.stderr.text).toContain('Collecting binance:BTC/USDT binance:ETH/USDT (trades,book,bbo,ticker)')
    let metrics = ''
    const deadline = Date.now() + 30_000
    const storedKinds = (text: string): boolean =>
      ['trade', 'ticker', 'book'].every((kind) =>
        new RegExp(`tickmesh_collect_events_stored_total\\{venue="binance",kind="${kind}"\\} [1-9]`).test(
          text,
        ),
      )
    while (!storedKinds(metrics)) {
      if (Date.now() > deadline) throw new Error(`no stored trades in metrics:\n${metrics}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
      metrics = await (await fetch(metricsUrl)).text()
    }
    for (const name of [
      'tickmesh_collect_events_received_total{venue="binance",kind="book"}',
      'tickmesh_collect_venue_latency_seconds_bucket{le="0.5",venue="binance"}',
      'tickmesh_collect_publish_latency_seconds_count{venue="binance"}',
      'tickmesh_collect_queue_depth',
      'tickmesh_collect_publish_errors_total',
      'tickmesh_collect_spill_pending',
    ]) {
      expect(metrics).toContain(name)
    }
    abort.abort()
    expect(await running).toBe(0)
    expect(t.stderr.text).toMatch(/Collected \d+ events: \d+ stored/)

    const connection = await connectNats(server.url)
    try {
      const stored = await countStoredBySubject(connection, 'tickmesh.>')
      expect(stored['tickmesh.trade.binance.spot.BTC-USDT']).toBeGreaterThan(0)
      expect(stored['tickmesh.book.binance.spot.ETH-USDT']).toBeGreaterThan(0)
      expect(stored['tickmesh.ticker.binance.spot.BTC-USDT']).toBeGreaterThan(0)
    } finally {
      await connection.close()
    }
  })

  it('watch --from nats:// shows what a running collector stores, starting from the latest state', async () => {
    const abort = new AbortController()
    const collecting = createTestIo({ signal: abort.signal })
    const collector = main(
      argv(
        'collect',
        'BTC/USDT',
        '--sim',
        '--venues',
        'binance,coinbase',
        '--to',
        server.url,
        '--spill-dir',
        spillDir,
      ),
      collecting.io,
    )
    try {
      await waitFor(
        () => (collecting.stderr.text.includes('Collecting') ? true : null),
        'the collector to start',
      )
      const t = createTestIo()
      const code = await main(
        argv('watch', 'BTC/USDT', '--from', server.url, '--venues', 'binance', '--json', '--duration', '3s'),
        t.io,
      )
      expect(t.stderr.text).toBe('')
      expect(code).toBe(0)
      const events = t.json()
      expect(
        events.some(
          (event) => event.kind === 'bbo' && event.venue === 'binance' && event.symbol === 'BTC/USDT',
        ),
      ).toBe(true)
      expect(events.some((event) => event.kind === 'ticker' && event.venue === 'binance')).toBe(true)
    } finally {
      abort.abort()
      expect(await collector).toBe(0)
    }
    const bad = createTestIo()
    expect(await main(argv('watch', 'BTC/USDT', '--from', server.url, '--sim'), bad.io)).toBe(2)
    expect(bad.stderr.text).toContain('--from and --sim cannot be combined')
  })

  it('rejects a bad --shard or --to as usage errors (exit 2)', async () => {
    const badShard = createTestIo()
    expect(await main(argv('collect', 'BTC/USDT', '--to', server.url, '--shard', '3/2'), badShard.io)).toBe(2)
    expect(badShard.stderr.text).toContain('"3/2" is not a shard')
    const badUrl = createTestIo()
    expect(await main(argv('collect', 'BTC/USDT', '--to', 'http://localhost:4222'), badUrl.io)).toBe(2)
    expect(badUrl.stderr.text).toContain('is not a nats:// URL')
  })

  it('fails with exit 1 and a hint when NATS is unreachable', async () => {
    const stopped = await startNatsServer()
    const url = stopped.url
    await stopped.stop()
    const t = createTestIo()
    expect(await main(argv('collect', 'BTC/USDT', '--sim', '--venues', 'binance', '--to', url), t.io)).toBe(1)
    expect(t.stderr.text).toContain('Could not connect to NATS')
    expect(t.stderr.text).toContain('nats-server -js')
  })
})
