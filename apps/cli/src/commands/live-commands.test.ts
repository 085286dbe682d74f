import { createServer } from 'node:net'
import { VENUES } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { main } from '../program'
import { argv, createTestIo } from '../test-io'

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('live commands against the embedded simulator', () => {
  it('watch --json --duration 3s --sim prints NDJSON quotes from all four venues and exits 0', async () => {
    const t = createTestIo()
    const code = await main(
      argv('watch', 'BTC/USDT', 'ETH/USDT', '--sim', '--json', '--duration', '3s'),
      t.io,
    )
    expect(t.stderr.text).toBe('')
    expect(code).toBe(0)
    const events = t.json()
    for (const venue of VENUES) {
      const quotes = events.filter(
        (event) => event.venue === venue && (event.kind === 'bbo' || event.kind === 'ticker'),
      )
      expect(quotes.length, venue).toBeGreaterThan(0)
    }
    const bbo = events.find((event) => event.kind === 'bbo' && event.symbol === 'ETH/USDT')
    expect(bbo?.bidPrice).toBeGreaterThan(1_000)
    // Coinbase quotes its USD books under USDT symbols' groups.
    expect(events.some((event) => event.venue === 'coinbase' && event.symbol === 'BTC/USD')).toBe(true)
  })

  it('stream emits every public channel on every venue, in readable lines without --json', async () => {
    const t = createTestIo()
    const code = await main(
      argv(
        'stream',
        'BTC/USDT',
        '--sim',
        '--json',
        '--channels',
        'ticker,trades,bbo,book,candles',
        '--depth',
        '3',
        '--duration',
        '4s',
      ),
      t.io,
    )
    expect(code).toBe(0)
    const events = t.json()
    for (const venue of VENUES) {
      for (const kind of ['ticker', 'trade', 'bbo', 'book', 'candle']) {
        expect(
          events.some((event) => event.venue === venue && event.kind === kind),
          `${venue} ${kind}`,
        ).toBe(true)
      }
    }
    for (const book of events.filter((event) => event.kind === 'book')) {
      expect((book.bids as unknown[]).length).toBeLessThanOrEqual(3)
      expect((book.asks as unknown[]).length).toBeLessThanOrEqual(3)
    }

    const readable = createTestIo()
    expect(
      await main(
        argv('stream', 'ETH/USDT', '--sim', '--venues', 'okx', '--channels', 'trades', '--duration', '2s'),
        readable.io,
      ),
    ).toBe(0)
    const lines = readable.stdout.text.trim().split('\n')
    expect(lines.some((line) => /okx\s+ETH\/USDT\s+trade\s+(buy|sell)\s+[\d.]+ @ [\d.]+/.test(line))).toBe(
      true,
    )
  })

  it('arb --json reports opportunities opening and closing when a venue dislocates', async () => {
    const t = createTestIo()
    const code = await main(
      argv(
        'arb',
        'BTC/USDT',
        '--sim',
        '--json',
        '--venues',
        'binance,bybit,okx',
        '--threshold',
        '1',
        '--duration',
        '6s',
      ),
      t.io,
      // A dislocation on every quiet tick, lasting 2–6 s: opportunities are certain within the run.
      { simulator: { market: { dislocationProbability: 0.5 } } },
    )
    expect(code).toBe(0)
    const events = t.json()
    const opened = events.filter((event) => event.kind === 'arbitrage' && event.type === 'opened')
    expect(opened.length).toBeGreaterThan(0)
    const first = opened[0]!
    expect(first.symbol).toBe('BTC/USDT')
    expect(first.buyVenue).not.toBe(first.sellVenue)
    expect(first.netEdge).toBeGreaterThan(0.0001)
    expect(first.sellPrice as number).toBeGreaterThan(first.buyPrice as number)
  })

  it('book --json prints the consolidated book from several venues', async () => {
    const t = createTestIo()
    const code = await main(
      argv('book', 'BTC/USDT', '--sim', '--json', '--depth', '5', '--interval', '500ms', '--duration', '3s'),
      t.io,
    )
    expect(code).toBe(0)
    const books = t.json().filter((line) => line.kind === 'consolidatedBook')
    expect(books.length).toBeGreaterThan(0)
    const last = books.at(-1)! as {
      bids: { price: number; venue: string }[]
      asks: { price: number }[]
      venues: string[]
    }
    expect(last.bids.length).toBe(5)
    expect(last.asks.length).toBe(5)
    expect(last.venues.length).toBeGreaterThanOrEqual(3)
    for (let i = 1; i < last.bids.length; i++)
      expect(last.bids[i]!.price).toBeLessThanOrEqual(last.bids[i - 1]!.price)
  })

  it('latency prints a table row per venue', async () => {
    const t = createTestIo()
    const code = await main(
      argv('latency', 'BTC/USDT', '--sim', '--venues', 'binance,okx', '--duration', '2s'),
      t.io,
    )
    expect(code).toBe(0)
    const lines = t.stdout.text.trim().split('\n')
    expect(lines[0]).toMatch(/venue\s+messages\s+msg\/s\s+p50/)
    expect(lines.some((line) => /^binance\s+\d+/.test(line))).toBe(true)
    expect(lines.some((line) => /^okx\s+\d+/.test(line))).toBe(true)
    // The histogram: a header of buckets, then per venue the shares, summing to about 100%.
    const header = lines.findIndex((line) => line.startsWith('histogram'))
    expect(lines[header]).toMatch(/<1ms\s+1-2\s+2-5/)
    const okx = lines.slice(header).find((line) => line.startsWith('okx'))!
    const shares = okx
      .trim()
      .split(/\s+/)
      .slice(1)
      .map((cell) => Number.parseInt(cell, 10))
    expect(shares).toHaveLength(10)
    const total = shares.reduce((sum, share) => sum + share, 0)
    expect(total).toBeGreaterThanOrEqual(95)
    expect(total).toBeLessThanOrEqual(105)
  })

  it('sim prints one JSON line per venue and stops cleanly on the signal', async () => {
    const controller = new AbortController()
    const t = createTestIo({ signal: controller.signal })
    const running = main(argv('sim', '--seed', '3'), t.io)
    for (let i = 0; i < 100 && t.json().length < VENUES.length; i++)
      await new Promise((r) => setTimeout(r, 50))
    controller.abort()
    expect(await running).toBe(0)
    const lines = t.json()
    expect(lines.map((line) => line.venue).sort()).toEqual([...VENUES].sort())
    for (const line of lines) expect(line.ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
  })

  it('stops cleanly with exit 0 when the signal aborts (Ctrl-C)', async () => {
    const controller = new AbortController()
    const t = createTestIo({ signal: controller.signal })
    const running = main(argv('watch', 'BTC/USDT', '--sim', '--json', '--venues', 'bybit'), t.io)
    for (let i = 0; i < 100 && !t.stdout.text.includes('"bbo"'); i++)
      await new Promise((r) => setTimeout(r, 50))
    controller.abort()
    expect(await running).toBe(0)
  })
})

describe('live command errors', () => {
  it('a venue refusing a market is one warning; the other venues go on (exit 0)', async () => {
    const t = createTestIo()
    const code = await main(
      argv(
        'stream',
        'BTC/USDT:USDT',
        '--market',
        'linear',
        '--sim',
        '--json',
        '--venues',
        'okx,coinbase',
        '--duration',
        '2s',
        '--connect-timeout',
        '500ms',
      ),
      t.io,
    )
    expect(code).toBe(0)
    // Refused, not "unreachable": the connect watchdog (at ~750 ms here) does not report it again.
    const warnings = t.stderr.text.trim().split('\n')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^Warning: coinbase refused ticker, trades, bbo for BTC\/USDT:USDT: .*linear/)
    expect(
      t.json().some((event) => event.venue === 'okx' && event.market === 'linear' && event.kind === 'bbo'),
    ).toBe(true)
  })

  it('a misspelt symbol names the right spelling and exits 2', async () => {
    const t = createTestIo()
    const code = await main(
      argv('stream', 'BTC/USTD', '--sim', '--venues', 'binance,okx', '--duration', '5s'),
      t.io,
    )
    expect(code).toBe(2)
    expect(t.stderr.text).toContain('BTC/USTD')
    expect(t.stderr.text).toContain('Did you mean "BTC/USDT"?')
  })

  it('an unreachable endpoint is one paragraph naming it and the timeout, suggesting --sim; exit 1', async () => {
    const port = await closedPort()
    const t = createTestIo({
      env: {
        TICKMESH_BINANCE_WS_URL: `ws://127.0.0.1:${port}`,
        TICKMESH_BINANCE_REST_URL: `http://127.0.0.1:${port}`,
      },
    })
    const code = await main(
      argv('watch', 'BTC/USDT', '--json', '--venues', 'binance', '--connect-timeout', '500ms'),
      t.io,
    )
    expect(code).toBe(1)
    const paragraph = t.stderr.text.trim()
    expect(paragraph.split('\n')).toHaveLength(1)
    expect(paragraph).toContain(`127.0.0.1:${port}`)
    expect(paragraph).toContain('500 ms')
    expect(paragraph).toContain('--sim')
  })

  it('an endpoint the adapter refuses (plain ws:// to a remote host) is a usage error', async () => {
    const t = createTestIo({ env: { TICKMESH_OKX_WS_URL: 'ws://example.com:8443' } })
    expect(await main(argv('stream', 'BTC/USDT', '--venues', 'okx', '--duration', '1s'), t.io)).toBe(2)
    expect(t.stderr.text).toContain('ws://example.com:8443')
    expect(t.stderr.text).toContain('wss://')
  })

  it('names each unreachable venue with its own endpoint', async () => {
    const port = await closedPort()
    const otherPort = await closedPort()
    const t = createTestIo({
      env: {
        TICKMESH_BINANCE_WS_URL: `ws://127.0.0.1:${port}`,
        TICKMESH_BINANCE_REST_URL: `http://127.0.0.1:${port}`,
        TICKMESH_OKX_WS_URL: `ws://127.0.0.1:${otherPort}`,
        TICKMESH_OKX_REST_URL: `http://127.0.0.1:${otherPort}`,
      },
    })
    const code = await main(
      argv('stream', 'BTC/USDT', '--json', '--venues', 'binance,okx', '--connect-timeout', '500ms'),
      t.io,
    )
    expect(code).toBe(1)
    const paragraph = t.stderr.text.trim()
    expect(paragraph.split('\n')).toHaveLength(1)
    expect(paragraph).toMatch(
      new RegExp(
        `Could not reach 2 venues: binance: no connection to ws://127\\.0\\.0\\.1:${port}\\S* within 500 ms`,
      ),
    )
    expect(paragraph).toMatch(
      new RegExp(`okx: no connection to ws://127\\.0\\.0\\.1:${otherPort}\\S* within 500 ms`),
    )
  })
})
