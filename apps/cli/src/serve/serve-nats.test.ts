import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBinance } from '@tickmesh/binance'
import {
  connectNats,
  createCollector,
  createPublisher,
  type NatsServerHandle,
  setupStream,
  startNatsServer,
} from '@tickmesh/nats'
import { createOkx } from '@tickmesh/okx'
import { startSimulator } from '@tickmesh/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { parseLiveSettings } from '../commands/live-run'
import { main } from '../program'
import { argv, createTestIo } from '../test-io'
import { describeNatsSource, natsSourceDependencies } from './nats-source-deps'
import { type ServeHandle, serveDashboard } from './serve-dashboard'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
})

async function waitFor<T>(
  read: () => T | undefined | null | false,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = read()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('tickmesh serve --from nats://', () => {
  it('draws what a collector stores in JetStream: simulator → collector → NATS → dashboard feed', async () => {
    const server: NatsServerHandle = await startNatsServer()
    cleanups.push(() => server.stop())
    const root = await mkdtemp(join(tmpdir(), 'tickmesh-serve-nats-'))
    cleanups.push(() => rm(root, { recursive: true, force: true }))
    const setup = await connectNats(server.url, { name: 'setup' })
    cleanups.push(() => setup.close())
    await setupStream(setup)

    const sim = await startSimulator({ venues: ['binance', 'okx'], seed: 5 })
    cleanups.push(() => sim.close())
    const publishing = await connectNats(server.url, { name: 'collector' })
    cleanups.push(() => publishing.close())
    const collector = createCollector({
      adapters: [
        createBinance({ wsUrl: sim.venues.binance.ws, restUrl: sim.venues.binance.rest }),
        createOkx({ wsUrl: sim.venues.okx.ws, restUrl: sim.venues.okx.rest }),
      ],
      publisher: createPublisher({ connection: publishing, spillDir: join(root, 'spill') }),
      symbols: ['BTC/USDT'],
      channels: ['bbo', 'ticker'],
    })
    cleanups.push(() => collector.close({ flushTimeoutMs: 0 }))
    await collector.ready

    const t = createTestIo({ cwd: root })
    const venues = ['binance', 'okx'] as const
    const context = { io: t.io, deps: natsSourceDependencies(server.url, venues, {}) }
    const settings = parseLiveSettings(context, ['BTC/USDT'], {
      venues: venues.join(','),
      market: 'spot',
      connectTimeout: '10s',
    })
    const assetsDir = join(root, 'web')
    await mkdir(assetsDir, { recursive: true })
    await writeFile(join(assetsDir, 'index.html'), '<!doctype html>')
    let handle: ServeHandle | undefined
    const done = serveDashboard(
      context,
      settings,
      {
        port: 0,
        host: '127.0.0.1',
        threshold: 0.0005,
        notional: 0,
        json: false,
        assetsDir,
        from: server.url,
      },
      (ready) => {
        handle = ready
      },
    )
    cleanups.push(async () => {
      handle?.stop()
      await done
    })
    const running = await waitFor(() => handle, 'the dashboard to start')
    const state = await waitFor(() => {
      const next = running.feed.tick().state
      const bbo = next.bbo[0]!
      return bbo.bid !== null && bbo.ask !== null && next.venues.every((row) => row.connected)
        ? next
        : undefined
    }, 'quotes of both venues through NATS')
    expect(state.source).toBe(describeNatsSource(server.url))
    expect(state.venues.map((row) => row.venue)).toEqual(['binance', 'okx'])
    const point = running.feed.tick().points['BTC/USDT']!
    expect(point.mids.binance).toBeGreaterThan(0)
    expect(point.mids.okx).toBeGreaterThan(0)
  }, 60_000)

  it('refuses --from with --sim, and a URL that is not nats://', async () => {
    let t = createTestIo()
    expect(await main(argv('serve', '--sim', '--from', 'nats://127.0.0.1:4222'), t.io)).toBe(2)
    expect(t.stderr.text).toContain('--from and --sim')
    t = createTestIo()
    expect(await main(argv('serve', '--from', 'http://example.com'), t.io)).toBe(2)
    expect(t.stderr.text).toContain('--from must be a')
  })
})
