import { createBinance } from '@tickmesh/binance'
import { createCoinbase } from '@tickmesh/coinbase'
import type { BboEvent, VenueAdapter, VenueId } from '@tickmesh/core'
import type { Simulator } from '@tickmesh/simulator'
import { startSimulator } from '@tickmesh/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import type { MultiVenueClient } from './multi-venue-client'
import { createMultiVenueClient } from './multi-venue-client'

// End to end on loopback: the simulator serves Binance and Coinbase, the real adapters decode them,
// the client merges them into one view.

async function until<T>(find: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const startedAt = Date.now()
  for (;;) {
    const value = find()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() - startedAt > timeoutMs) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('multi-venue client against the simulator', () => {
  let sim: Simulator | null = null
  let client: MultiVenueClient | null = null
  const adapters: VenueAdapter[] = []

  afterEach(async () => {
    await client?.close()
    client = null
    await Promise.allSettled(adapters.map((adapter) => adapter.close()))
    adapters.length = 0
    await sim?.close()
    sim = null
  })

  it('consolidates Binance BTC/USDT and Coinbase BTC/USD into one best bid/offer', async () => {
    sim = await startSimulator({
      venues: ['binance', 'coinbase'],
      seed: 7,
      port: 0,
      market: { tickIntervalMs: 20 },
    })
    adapters.push(
      createBinance({ wsUrl: sim.venues.binance.ws, restUrl: sim.venues.binance.rest }),
      createCoinbase({ wsUrl: sim.venues.coinbase.ws, restUrl: sim.venues.coinbase.rest }),
    )
    client = createMultiVenueClient({
      adapters,
      symbols: ['BTC/USDT'],
      symbolsByVenue: { coinbase: ['BTC/USD'] },
      quoteEquivalence: ['USD=USDT'],
      channels: ['bbo'],
      staleAfterMs: 60_000,
    })
    const last = new Map<VenueId, BboEvent>()
    client.onEvent((event) => {
      if (event.kind === 'bbo') last.set(event.venue, event)
    })
    expect(await client.ready).toEqual([])
    const view = client.view
    await until(() => last.size === 2)
    const best = view.bbo('BTC/USDT')!
    expect(best.venues).toEqual(['binance', 'coinbase'])
    expect(best.mergedQuotes).toEqual(['USDT', 'USD'])
    const binance = last.get('binance')!
    const coinbase = last.get('coinbase')!
    expect(best.bidPrice).toBe(Math.max(binance.bidPrice!, coinbase.bidPrice!))
    expect(best.askPrice).toBe(Math.min(binance.askPrice!, coinbase.askPrice!))
    expect(view.health().map((entry) => entry.venue)).toEqual(['binance', 'coinbase'])
  })
  it('connects four venues by name and settings into one view', async () => {
    sim = await startSimulator({ seed: 7, port: 0, market: { tickIntervalMs: 20 } })
    const endpoints = sim.venues
    const venues = sim.servedVenues
    expect(venues).toEqual(['binance', 'bybit', 'okx', 'coinbase'])
    const settings = (venue: VenueId) => ({ wsUrl: endpoints[venue].ws, restUrl: endpoints[venue].rest })
    client = createMultiVenueClient({
      venues: {
        binance: settings('binance'),
        bybit: settings('bybit'),
        okx: settings('okx'),
        coinbase: settings('coinbase'),
      },
      symbols: ['BTC/USDT'],
      symbolsByVenue: { coinbase: ['BTC/USD'] },
      quoteEquivalence: ['USD=USDT'],
      channels: ['bbo', 'trades'],
      staleAfterMs: 60_000,
    })
    expect(client.venues).toEqual(['binance', 'bybit', 'okx', 'coinbase'])
    expect(await client.ready).toEqual([])
    const view = client.view
    const best = await until(() => {
      const current = view.bbo('BTC/USDT')
      return current !== null && current.venues.length === 4 ? current : null
    })
    expect(best.bidPrice).not.toBeNull()
    expect(best.askPrice).not.toBeNull()
    const summary = view.summary('BTC/USDT')!
    expect(summary.venueCount).toBe(4)
    // The simulated venues quote one fair price: every venue within 1% of the consolidated mid.
    for (const line of summary.venues)
      expect(Math.abs(line.deviationFromConsolidatedMidBps!)).toBeLessThan(100)
    await client.close()
    client = null
  })
})
