import { describe, expect, it } from 'vitest'
import { anomalySchema, sentimentSchema, signalSchema } from './analysis-schemas'
import { anomalyScore, localAnomaly, localSentiment, localSignal } from './local-analyst'
import type { SymbolFeatures } from './symbol-features'

function calm(overrides: Partial<SymbolFeatures> = {}): SymbolFeatures {
  return {
    symbol: 'BTC/USDT',
    asOf: Date.UTC(2026, 10, 25, 12),
    windowMs: 300_000,
    historyMs: 300_000,
    mid: 60_000,
    return: 0.0001,
    realizedVolatility: 0.002,
    zScore: 0.4,
    midSamples: 300,
    dispersionBps: 1.2,
    spreadBps: 0.8,
    spreadRatio: 1.05,
    volume: 3.2,
    volumeRatio: 1.1,
    tradeImbalance: 0.05,
    bookImbalance: -0.02,
    venues: ['binance', 'bybit', 'okx', 'coinbase'],
    staleVenues: [],
    disruptions: 0,
    ...overrides,
  }
}

describe('local analyst on scripted features', () => {
  it('a calm market is not an anomaly, is neutral and holds', () => {
    const features = calm()
    const anomaly = localAnomaly(features)
    expect(anomaly.isAnomaly).toBe(false)
    expect(anomaly.zScore).toBe(0.4)
    expect(anomalyScore(features).score).toBeLessThan(1)
    expect(localSentiment(features).sentiment).toBe('neutral')
    expect(localSignal(features).signal).toBe('HOLD')
  })

  it('a crafted price spike is an anomaly whose reason names the z-score', () => {
    const spike = calm({
      zScore: 6.5,
      return: 0.012,
      volumeRatio: 5.5,
      tradeImbalance: 0.7,
      bookImbalance: 0.4,
    })
    const anomaly = localAnomaly(spike)
    expect(anomaly.isAnomaly).toBe(true)
    expect(anomaly.zScore).toBe(6.5)
    expect(anomaly.reason).toContain('price z-score 6.50')
    expect(anomaly.reason).toContain('volume vs usual 5.50')
    expect(anomalyScore(spike).score).toBeCloseTo(6.5 / 3, 10)
    expect(localSentiment(spike).sentiment).toBe('bullish')
    expect(localSignal(spike).signal).toBe('STRONG_BUY')
  })

  it('a crash with sellers in control is bearish and a strong sell', () => {
    const crash = calm({ zScore: -5, return: -0.01, tradeImbalance: -0.8, bookImbalance: -0.5 })
    expect(localAnomaly(crash).isAnomaly).toBe(true)
    expect(localSentiment(crash).sentiment).toBe('bearish')
    expect(localSignal(crash).signal).toBe('STRONG_SELL')
  })

  it('venues disagreeing is an anomaly and makes the signal HOLD whatever the trend', () => {
    const dislocated = calm({ dispersionBps: 40, return: 0.01, tradeImbalance: 0.9, bookImbalance: 0.9 })
    expect(localAnomaly(dislocated)).toMatchObject({ isAnomaly: true })
    expect(localAnomaly(dislocated).reason).toContain('cross-venue dispersion')
    expect(localSignal(dislocated)).toMatchObject({ signal: 'HOLD' })
  })

  it('without history there is no z-score and no anomaly, and the trend is left out', () => {
    const young = calm({
      zScore: null,
      midSamples: 3,
      return: null,
      realizedVolatility: null,
      volumeRatio: null,
      spreadRatio: null,
    })
    const anomaly = localAnomaly(young)
    expect(anomaly).toMatchObject({ isAnomaly: false, zScore: null })
    expect(anomaly.reason).toContain('Not enough history')
    expect(localSentiment(young).keyFactors.some((factor) => factor.startsWith('return'))).toBe(false)
  })

  it('produces the shapes the model schemas require, deterministically', () => {
    for (const features of [
      calm(),
      calm({ zScore: 9, tradeImbalance: -1 }),
      calm({ staleVenues: ['okx'], disruptions: 4 }),
    ]) {
      expect(sentimentSchema.parse(localSentiment(features))).toEqual(localSentiment(features))
      expect(anomalySchema.parse(localAnomaly(features))).toEqual(localAnomaly(features))
      expect(signalSchema.parse(localSignal(features))).toEqual(localSignal(features))
    }
  })
})
