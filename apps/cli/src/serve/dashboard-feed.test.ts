import { createMarketView, type MarketView, type OpportunityEvent } from '@tickmesh/aggregator'
import type { BboEvent, ConnectionState, MarketEvent, StatusEvent, VenueId } from '@tickmesh/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VenueConnection } from '../session'
import { DashboardFeed, type DashboardFeedOptions, type FeedSource } from './dashboard-feed'

const T0 = 1_767_000_000_000

/** A scripted market: events go into a real MarketView and out to the feed's listeners. */
class ScriptedSource implements FeedSource {
  clock = T0
  readonly view: MarketView
  private readonly eventListeners = new Set<(event: MarketEvent) => void>()
  private readonly opportunityListeners = new Set<(event: OpportunityEvent) => void>()
  constructor() {
    this.view = createMarketView({
      now: () => this.clock,
      threshold: 0.001,
      hysteresis: 0,
      takerFees: { binance: 0, bybit: 0, okx: 0, coinbase: 0 },
      onOpportunity: (event) => {
        for (const listener of this.opportunityListeners) listener(event)
      },
    })
  }
  onEvent(listener: (event: MarketEvent) => void): () => void {
    this.eventListeners.add(listener)
    return () => this.eventListeners.delete(listener)
  }
  onOpportunity(listener: (event: OpportunityEvent) => void): () => void {
    this.opportunityListeners.add(listener)
    return () => this.opportunityListeners.delete(listener)
  }
  emit(event: MarketEvent): void {
    this.view.ingest(event)
    for (const listener of this.eventListeners) listener(event)
  }
  quote(venue: VenueId, bid: number, ask: number, symbol = 'BTC/USDT'): void {
    const event: BboEvent = {
      kind: 'bbo',
      venue,
      market: 'spot',
      symbol,
      venueSymbol: symbol.replace('/', ''),
      exchangeTime: this.clock - 5,
      receivedAt: this.clock,
      bidPrice: bid,
      bidSize: 2,
      askPrice: ask,
      askSize: 3,
    }
    this.emit(event)
  }
  status(venue: VenueId, state: ConnectionState, reason = `test: ${state}`): void {
    const event: StatusEvent = {
      kind: 'status',
      venue,
      market: 'spot',
      state,
      reason,
      symbol: null,
      channel: null,
      url: null,
      attempt: 0,
      receivedAt: this.clock,
    }
    this.emit(event)
  }
}

const VENUES: VenueId[] = ['binance', 'bybit', 'okx', 'coinbase']

function connectionsOf(state = 'open'): Map<VenueId, VenueConnection> {
  return new Map(
    VENUES.map((venue) => [
      venue,
      { venue, state, reached: true, reason: null, url: null, reconnects: 0, resyncs: 0 },
    ]),
  )
}

const feeds: DashboardFeed[] = []
function feedOf(source: ScriptedSource, options: Partial<DashboardFeedOptions> = {}): DashboardFeed {
  const feed = new DashboardFeed({
    source,
    symbols: ['BTC/USDT', 'ETH/USDT'],
    venues: VENUES,
    connections: connectionsOf(),
    sourceLabel: 'test',
    now: () => source.clock,
    ...options,
  })
  feeds.push(feed)
  return feed
}

afterEach(() => {
  for (const feed of feeds.splice(0)) feed.close()
  vi.useRealTimers()
})

describe('DashboardFeed', () => {
  it('samples each venue mid, the consolidated mid, spread and deviation into one-second points', () => {
    const source = new ScriptedSource()
    const feed = feedOf(source)
    source.quote('binance', 100, 101)
    source.quote('okx', 100.5, 101.5)
    const update = feed.tick()
    const point = update.points['BTC/USDT']!
    expect(point.time).toBe(Math.floor(T0 / 1_000))
    expect(point.mids).toEqual({ binance: 100.5, bybit: null, okx: 101, coinbase: null })
    // Best bid 100.5 (okx), best ask 101 (binance): mid 100.75, spread 0.5 / 100.75.
    expect(point.mid).toBeCloseTo(100.75, 10)
    expect(point.spreadBps).toBeCloseTo((0.5 / 100.75) * 10_000, 6)
    expect(point.deviationBps.binance).toBeCloseTo(((100.5 - 100.75) / 100.75) * 10_000, 6)
    expect(point.deviationBps.okx).toBeCloseTo(((101 - 100.75) / 100.75) * 10_000, 6)
    // A symbol nobody quoted has empty points, not NaN.
    expect(update.points['ETH/USDT']).toMatchObject({ mid: null, spreadBps: null })
    const bbo = update.state.bbo[0]!
    expect(bbo).toMatchObject({
      symbol: 'BTC/USDT',
      bid: 100.5,
      bidVenue: 'okx',
      ask: 101,
      askVenue: 'binance',
    })
    expect(JSON.stringify(update)).not.toContain('NaN')
  })

  it('keeps one point per second (the newest wins) and at most historyPoints of them', () => {
    const source = new ScriptedSource()
    const feed = feedOf(source, { historyPoints: 3 })
    source.quote('binance', 100, 101)
    feed.tick()
    source.clock += 400
    source.quote('binance', 102, 103)
    feed.tick()
    let history = feed.snapshot().history['BTC/USDT']!
    expect(history).toHaveLength(1)
    expect(history[0]!.mids.binance).toBe(102.5)
    for (let second = 1; second <= 4; second++) {
      source.clock += 1_000
      source.quote('binance', 100 + second, 101 + second)
      feed.tick()
    }
    history = feed.snapshot().history['BTC/USDT']!
    expect(history.map((point) => point.mids.binance)).toEqual([102.5, 103.5, 104.5])
    expect(history.map((point) => point.time)).toEqual(
      [2, 3, 4].map((s) => Math.floor((T0 + 400) / 1_000) + s),
    )
  })

  it('puts an opportunity on the timeline when it opens and marks when it closed', () => {
    const source = new ScriptedSource()
    const feed = feedOf(source)
    source.quote('binance', 100, 100.1)
    source.quote('bybit', 100.5, 100.6) // bybit bids above binance's ask: buy binance, sell bybit
    let state = feed.tick().state
    expect(state.openedCount).toBe(1)
    expect(state.opportunities).toHaveLength(1)
    expect(state.opportunities[0]).toMatchObject({
      symbol: 'BTC/USDT',
      buyVenue: 'binance',
      sellVenue: 'bybit',
      closedAt: null,
    })
    expect(state.opportunities[0]!.netEdge).toBeGreaterThan(0.003)
    source.clock += 1_500
    source.quote('bybit', 100, 100.1)
    state = feed.tick().state
    expect(state.closedCount).toBe(1)
    expect(state.opportunities[0]).toMatchObject({ buyVenue: 'binance', closedAt: T0 + 1_500 })
    expect(state.opportunities[0]!.closeReason).not.toBeNull()
  })

  it('shows a dropped connection in the log and marks a silent venue as not connected', () => {
    const source = new ScriptedSource()
    const connections = connectionsOf()
    const feed = feedOf(source, { connections, silentAfterMs: 2_000 })
    for (const venue of VENUES) source.quote(venue, 100, 101)
    let state = feed.tick().state
    expect(state.venues.map((row) => row.connected)).toEqual([true, true, true, true])

    source.clock += 100
    source.status('okx', 'reconnecting', 'connection closed by peer')
    connections.get('okx')!.state = 'reconnecting'
    state = feed.tick().state
    const okx = state.venues.find((row) => row.venue === 'okx')!
    expect(okx).toMatchObject({ connected: false, state: 'reconnecting', lastDisconnectAt: T0 + 100 })
    expect(state.notices[0]).toMatchObject({
      venue: 'okx',
      state: 'reconnecting',
      reason: 'connection closed by peer',
    })

    // Bybit stays "open" but goes quiet: not connected once it is silent for longer than the limit.
    source.clock += 2_500
    for (const venue of ['binance', 'coinbase'] as const) source.quote(venue, 100, 101)
    state = feed.tick().state
    const bybit = state.venues.find((row) => row.venue === 'bybit')!
    expect(bybit).toMatchObject({ state: 'open', connected: false, lastMessageAgeMs: 2_600 })
    expect(state.venues.find((row) => row.venue === 'binance')!.connected).toBe(true)
  })

  it('pushes updates on its timer no more often than every 100 ms and stops on close', () => {
    vi.useFakeTimers()
    const source = new ScriptedSource()
    const feed = feedOf(source, { updateIntervalMs: 10 })
    expect(feed.updateIntervalMs).toBe(100)
    const received: number[] = []
    feed.onUpdate((message) => received.push(message.state.now))
    feed.start()
    vi.advanceTimersByTime(1_000)
    expect(received).toHaveLength(10)
    feed.close()
    vi.advanceTimersByTime(1_000)
    expect(received).toHaveLength(10)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps a bounded connection log and analyses list', () => {
    const source = new ScriptedSource()
    const feed = feedOf(source, { maxNotices: 5 })
    for (let i = 0; i < 20; i++) {
      source.clock += 10
      source.status('binance', i % 2 === 0 ? 'reconnecting' : 'open')
    }
    for (let i = 0; i < 30; i++)
      feed.addAnalysis({ at: i, symbol: 'BTC/USDT', kind: 'signal', summary: `n${i}` })
    const state = feed.tick().state
    expect(state.notices).toHaveLength(5)
    expect(state.notices[0]!.state).toBe('open')
    expect(state.analyses).toHaveLength(20)
    expect(state.analyses[0]!.summary).toBe('n29')
  })
})
