import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AnalysisRecord } from './analysis-record'
import { CostLedger } from './cost-ledger'
import { GatewayClient } from './gateway-client'
import { ModelAnalyst } from './model-analyst'
import { DEFAULT_ROUTING } from './model-routing'
import type { OpenAiTestServer } from './openai-test-server'
import { startOpenAiTestServer } from './openai-test-server'
import { DEFAULT_PRICES } from './price-table'
import type { SymbolFeatures } from './symbol-features'

function features(symbol: string, zScore: number | null): SymbolFeatures {
  return {
    symbol,
    asOf: Date.UTC(2026, 10, 25, 12),
    windowMs: 300_000,
    historyMs: 300_000,
    mid: 100,
    return: 0.001,
    realizedVolatility: 0.002,
    zScore,
    midSamples: 100,
    dispersionBps: 2,
    spreadBps: 1,
    spreadRatio: 1,
    volume: 10,
    volumeRatio: 1,
    tradeImbalance: 0.1,
    bookImbalance: 0,
    venues: ['binance', 'okx'],
    staleVenues: [],
    disruptions: 0,
  }
}

describe('model analyst', () => {
  let server: OpenAiTestServer
  let gateway: GatewayClient
  let ledger: CostLedger
  let analyst: ModelAnalyst

  beforeEach(async () => {
    ;(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false
    server = await startOpenAiTestServer()
    gateway = new GatewayClient({
      baseUrl: server.baseUrl,
      prices: DEFAULT_PRICES,
      sleep: async () => undefined,
    })
    ledger = new CostLedger(null)
    analyst = new ModelAnalyst({ gateway, routing: DEFAULT_ROUTING, ledger })
  })
  afterEach(async () => {
    gateway.close()
    await server.close()
  })

  it('keeps the local z-score in anomaly results and fails a symbol the model left out', async () => {
    server.enqueue({
      content: { analyses: [{ symbol: 'BTC/USDT', isAnomaly: true, reason: 'Price far above its mean.' }] },
      promptTokens: 1_000,
      completionTokens: 100,
    })
    const records = (await analyst.analyze(
      'anomaly',
      [features('BTC/USDT', 4.2), features('ETH/USDT', 0.3)],
      'anomaly',
    )) as AnalysisRecord[]
    expect(server.requests[0]!.model).toBe('deepseek-v3.2')
    expect(records[0]).toMatchObject({
      symbol: 'BTC/USDT',
      source: 'model',
      status: 'ok',
      result: { isAnomaly: true, zScore: 4.2, reason: 'Price far above its mean.' },
    })
    expect(records[1]).toMatchObject({ symbol: 'ETH/USDT', status: 'failed', result: null })
    expect(records[1]!.error!.message).toContain('left out ETH/USDT')
    // deepseek-v3.2 at $0.28/$0.42 per MTok: 1000 × 0.28e-6 + 100 × 0.42e-6, shared by two symbols.
    const callCost = (1_000 * 0.28 + 100 * 0.42) / 1e6
    expect(records[0]!.call!.costUsd).toBeCloseTo(callCost, 12)
    expect(records[0]!.costUsd + records[1]!.costUsd).toBeCloseTo(callCost, 12)
    expect(ledger.summary().totalCostUsd).toBeCloseTo(callCost, 8)
  })

  it('reports a call that failed for every symbol of the batch, with the reason', async () => {
    server.enqueue({ status: 400, body: '{"error":{"message":"model not found"}}' })
    const records = (await analyst.analyze(
      'signal',
      [features('BTC/USDT', 0), features('ETH/USDT', 0)],
      'digest',
    )) as AnalysisRecord[]
    expect(records.map((record) => [record.status, record.error?.reason])).toEqual([
      ['failed', 'http'],
      ['failed', 'http'],
    ])
    expect(ledger.summary().models).toEqual([
      { model: 'gpt-4.1', calls: 1, failedCalls: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    ])
  })
})
