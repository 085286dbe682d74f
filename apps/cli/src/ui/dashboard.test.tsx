import { createMarketView } from '@tickmesh/aggregator'
import type { BboEvent, TickerEvent, VenueId } from '@tickmesh/core'
import { render } from 'ink-testing-library'
import { describe, expect, it, vi } from 'vitest'
import { colorEnabled } from '../io'
import type { VenueConnection } from '../session'
import { createTestIo, MemoryOutput } from '../test-io'
import { Dashboard } from './dashboard'
import { DashboardModel, type DashboardSnapshot } from './dashboard-model'
import { mountFullScreen } from './full-screen'

const NOW = 1_700_000_000_000

function bbo(venue: VenueId, symbol: string, bid: number, ask: number, at = NOW): BboEvent {
  return {
    kind: 'bbo',
    venue,
    market: 'spot',
    symbol,
    venueSymbol: symbol.replace('/', ''),
    exchangeTime: at - 4,
    receivedAt: at,
    bidPrice: bid,
    bidSize: 1,
    askPrice: ask,
    askSize: 2,
  }
}

function ticker(venue: VenueId, symbol: string, last: number, volume: number, at = NOW): TickerEvent {
  return {
    kind: 'ticker',
    venue,
    market: 'spot',
    symbol,
    venueSymbol: symbol.replace('/', ''),
    exchangeTime: at - 12,
    receivedAt: at,
    last,
    bid: null,
    bidSize: null,
    ask: null,
    askSize: null,
    open24h: null,
    high24h: null,
    low24h: null,
    baseVolume24h: volume,
    quoteVolume24h: null,
  }
}

function connection(
  venue: VenueId,
  state: string,
  reconnects = 0,
  reason: string | null = null,
): VenueConnection {
  return { venue, state, reached: true, reason, url: null, reconnects, resyncs: 0 }
}

/** A scripted market: three venues on BTC/USDT (Coinbase in USD), OKX dislocated upwards. */
function scriptedSnapshot(
  after: (view: ReturnType<typeof createMarketView>) => void = () => {},
): DashboardSnapshot {
  const venues: VenueId[] = ['binance', 'okx', 'coinbase']
  const view = createMarketView({ quoteEquivalence: ['USD=USDT'], threshold: 0.0001, now: () => NOW + 100 })
  const model = new DashboardModel(
    ['BTC/USDT'],
    venues,
    new Map<VenueId, readonly string[]>([['coinbase', ['BTC/USD']]]),
    5_000,
    NOW - 65_000,
  )
  view.onOpportunity((event) => model.onOpportunity(event))
  const events = [
    bbo('binance', 'BTC/USDT', 60_000, 60_001),
    ticker('binance', 'BTC/USDT', 60_000.5, 12_345.6),
    bbo('okx', 'BTC/USDT', 60_300, 60_302),
    bbo('coinbase', 'BTC/USD', 59_990, 59_995, NOW - 9_000),
  ]
  for (const event of events) {
    view.ingest(event)
    model.ingest(event)
  }
  after(view)
  const connections = new Map<VenueId, VenueConnection>([
    ['binance', connection('binance', 'open')],
    ['okx', connection('okx', 'open', 2)],
    ['coinbase', connection('coinbase', 'reconnecting', 1, 'closed with 1006; reconnecting in 400 ms')],
  ])
  return model.snapshot(
    view,
    connections,
    'simulator (--sim)',
    ['Warning: bybit refused BTC/USDT'],
    NOW + 100,
  )
}

describe('DashboardModel', () => {
  it('keeps one row per venue with quote, last, spread, volume, age and latency', () => {
    const snapshot = scriptedSnapshot()
    const [panel] = snapshot.symbols
    const binance = panel!.rows.find((row) => row.venue === 'binance')!
    expect(binance).toMatchObject({
      bid: 60_000,
      ask: 60_001,
      last: 60_000.5,
      volume24h: 12_345.6,
      quoteAgeMs: 100,
      stale: false,
    })
    expect(binance.spreadBps).toBeCloseTo(0.1667, 3)
    expect(binance.latencyMs).toBe(12)
    const coinbase = panel!.rows.find((row) => row.venue === 'coinbase')!
    expect(coinbase.sourceSymbol).toBe('BTC/USD')
    expect(coinbase.stale).toBe(true)
    expect(snapshot.elapsedMs).toBe(65_100)
  })

  it('takes the consolidated best bid/ask and open opportunities from the view', () => {
    const snapshot = scriptedSnapshot()
    expect(snapshot.symbols[0]!.consolidated).toMatchObject({
      bid: 60_300,
      bidVenue: 'okx',
      ask: 60_001,
      askVenue: 'binance',
      crossed: true,
    })
    expect(snapshot.opportunities).toHaveLength(1)
    expect(snapshot.opportunities[0]).toMatchObject({
      buyVenue: 'binance',
      sellVenue: 'okx',
      buyPrice: 60_001,
      sellPrice: 60_300,
    })
    expect(snapshot.venues.find((row) => row.venue === 'coinbase')).toMatchObject({
      state: 'reconnecting',
      reconnects: 1,
      stale: true,
    })
  })
})

describe('Dashboard (ink render of scripted state)', () => {
  it('shows venue rows with prices, the consolidated row, arbitrage and venue status', () => {
    const { lastFrame, unmount } = render(<Dashboard snapshot={scriptedSnapshot()} color={false} />)
    const frame = lastFrame() ?? ''
    unmount()
    expect(frame).toContain('tickmesh watch · simulator (--sim) · 1m05s · q to quit')
    expect(frame).toMatch(/binance\s+60000\.00\s+60001\.00\s+60000\.50\s+0\.17\s+12\.35k\s+100ms\s+12ms/)
    expect(frame).toMatch(/okx\s+60300\.00\s+60302\.00/)
    expect(frame).toMatch(/coinbase\s+59990\.00\s+59995\.00 .*\(BTC\/USD\)/)
    expect(frame).toMatch(/best\s+60300\.00\s+60001\.00.*bid@okx ask@binance\s+CROSSED/)
    expect(frame).toMatch(/Arbitrage: 1 open/)
    expect(frame).toMatch(/BTC\/USDT#\d+\s+buy binance\s+60001\.00\s+sell okx\s+60300\.00\s+net 0\.2\d\d%/)
    expect(frame).toMatch(/okx\s+connected\s+reconnects 2/)
    expect(frame).toMatch(
      /coinbase\s+reconnecting\s+reconnects 1\s+resyncs 0\s+stale .*\n\s+closed with 1006; reconnecting in 400 ms\n/,
    )
    expect(frame).toMatch(/binance\s+connected .*\nbybit|binance\s+connected .*\nokx/)
    expect(frame).toContain('Warning: bybit refused BTC/USDT')
    // Colors off (NO_COLOR): plain text, no escape sequences.
    expect(frame).not.toContain('\u001b[')
  })

  it('keeps a closed opportunity visible with its peak edge and why it closed', () => {
    const snapshot = scriptedSnapshot((view) => view.ingest(bbo('okx', 'BTC/USDT', 60_000, 60_002, NOW + 50)))
    expect(snapshot.opportunities).toHaveLength(0)
    expect(snapshot.openedCount).toBe(1)
    expect(snapshot.closedCount).toBe(1)
    const { lastFrame, unmount } = render(<Dashboard snapshot={snapshot} color={false} />)
    const frame = lastFrame() ?? ''
    unmount()
    expect(frame).toMatch(/Arbitrage: 0 open · 1 opened · 1 closed/)
    expect(frame).toMatch(
      /closed BTC\/USDT#\d+\s+buy binance sell okx\s+peak net 0\.2\d\d%.*\(below-threshold\)/,
    )
  })

  it('says when no quote has arrived yet', () => {
    const view = createMarketView()
    const model = new DashboardModel(['ETH/USDT'], ['bybit'], new Map(), 5_000, NOW)
    const snapshot = model.snapshot(
      view,
      new Map([['bybit', connection('bybit', 'connecting')]]),
      'live venues',
      [],
      NOW,
    )
    const { lastFrame, unmount } = render(<Dashboard snapshot={snapshot} color={false} />)
    const frame = lastFrame() ?? ''
    unmount()
    expect(frame).toMatch(/bybit\s+-\s+-\s+-/)
    expect(frame).toContain('waiting for quotes')
    expect(frame).toContain('no open opportunity')
  })
})

describe('colors and redraw rate', () => {
  it('honors NO_COLOR and FORCE_COLOR', () => {
    const tty = createTestIo({ env: {} })
    tty.io.stdout.isTTY = true
    expect(colorEnabled({ ...tty.io, env: {} })).toBe(true)
    expect(colorEnabled({ ...tty.io, env: { NO_COLOR: '1' } })).toBe(false)
    expect(colorEnabled({ ...tty.io, env: { NO_COLOR: '' } })).toBe(true)
    expect(colorEnabled({ ...tty.io, env: { FORCE_COLOR: '0' } })).toBe(false)
    tty.io.stdout.isTTY = false
    expect(colorEnabled({ ...tty.io, env: {} })).toBe(false)
  })

  it('redraws on its timer, not per event: at most ~10 frames a second under a flood of events', async () => {
    const stdout = new MemoryOutput()
    Object.assign(stdout, { columns: 120, rows: 40 })
    const t = createTestIo()
    const io = { ...t.io, stdout }
    const view = createMarketView()
    const model = new DashboardModel(['BTC/USDT'], ['binance'], new Map(), 5_000, Date.now())
    let frames = 0
    const screen = mountFullScreen(
      io,
      () => {
        frames++
        return <Dashboard snapshot={model.snapshot(view, new Map(), 'test', [])} color={false} />
      },
      100,
      () => {},
    )
    let events = 0
    const flood = setInterval(() => {
      for (let i = 0; i < 1_000; i++) {
        model.ingest(bbo('binance', 'BTC/USDT', 60_000 + (i % 7), 60_010, Date.now()))
        events++
      }
    }, 1)
    // Floods for at least 500 ms and at least 10,000 events, however slowly a loaded machine runs
    // the interval; the redraw bound then follows from the time that actually passed.
    const startedAt = Date.now()
    await vi.waitFor(
      () => {
        if (events <= 10_000 || Date.now() - startedAt < 500) throw new Error(`${events} events so far`)
      },
      { timeout: 20_000, interval: 20 },
    )
    clearInterval(flood)
    const elapsedMs = Date.now() - startedAt
    screen.close()
    expect(events).toBeGreaterThan(10_000)
    // One redraw per 100 ms whatever the event rate: the first frame, ≤ elapsed/100 timer frames and
    // the final one (500 ms gives at most 7).
    expect(frames).toBeGreaterThanOrEqual(2)
    expect(frames).toBeLessThanOrEqual(Math.floor(elapsedMs / 100) + 2)
    expect(stdout.text).toContain('60005.00')
  })
})
