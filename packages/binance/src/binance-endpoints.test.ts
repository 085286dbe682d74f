import { ConfigError, createCredentials } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { createBinance } from './binance-adapter'
import { resolveBinanceEndpoints } from './binance-endpoints'

describe('resolveBinanceEndpoints', () => {
  it('defaults to the live hosts', () => {
    expect(resolveBinanceEndpoints({})).toEqual({
      streamUrls: {
        spot: ['wss://stream.binance.com:9443/stream'],
        linear: ['wss://fstream.binance.com/stream'],
      },
      restUrls: { spot: 'https://api.binance.com', linear: 'https://fapi.binance.com' },
      wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3',
    })
  })

  it('serves futures under /fstream of the same base when only wsUrl/restUrl are given (the simulator)', () => {
    expect(
      resolveBinanceEndpoints({ wsUrl: 'ws://127.0.0.1:9001/', restUrl: 'http://127.0.0.1:9001' }),
    ).toEqual({
      streamUrls: { spot: ['ws://127.0.0.1:9001/stream'], linear: ['ws://127.0.0.1:9001/fstream/stream'] },
      restUrls: { spot: 'http://127.0.0.1:9001', linear: 'http://127.0.0.1:9001' },
      wsApiUrl: 'ws://127.0.0.1:9001/ws-api/v3',
    })
  })

  it('takes explicit futures bases and fallback lists', () => {
    const endpoints = resolveBinanceEndpoints({
      wsUrl: ['wss://a.example', 'wss://b.example'],
      futuresWsUrl: 'wss://f.example',
      futuresRestUrl: 'https://fapi.example',
    })
    expect(endpoints.streamUrls).toEqual({
      spot: ['wss://a.example/stream', 'wss://b.example/stream'],
      linear: ['wss://f.example/stream'],
    })
    expect(endpoints.restUrls.linear).toBe('https://fapi.example')
  })

  it('refuses plain ws:// to a non-loopback host unless allowInsecure', () => {
    expect(() => resolveBinanceEndpoints({ wsUrl: 'ws://proxy.example' })).toThrow(ConfigError)
    expect(() =>
      resolveBinanceEndpoints({
        wsUrl: 'ws://proxy.example',
        restUrl: 'http://proxy.example',
        allowInsecure: true,
      }),
    ).not.toThrow()
  })
})

describe('createBinance: request validation', () => {
  it('refuses a book depth that is not a positive integer', async () => {
    const binance = createBinance({ wsUrl: 'ws://127.0.0.1:1', restUrl: 'http://127.0.0.1:1' })
    await expect(
      binance.subscribe({ channel: 'book', symbols: ['BTC/USDT'], depth: 0 }).ready,
    ).rejects.toBeInstanceOf(ConfigError)
    await binance.close()
  })
})

describe('createBinance: private channel preconditions', () => {
  it('needs credentials, and the spot market', async () => {
    const binance = createBinance({ wsUrl: 'ws://127.0.0.1:1', restUrl: 'http://127.0.0.1:1' })
    await expect(binance.subscribe({ channel: 'orders', symbols: [] }).ready).rejects.toBeInstanceOf(
      ConfigError,
    )
    await binance.close()
    const withKey = createBinance({
      wsUrl: 'ws://127.0.0.1:1',
      restUrl: 'http://127.0.0.1:1',
      credentials: createCredentials({ apiKey: 'k', secret: 's' }),
    })
    await expect(
      withKey.subscribe({ channel: 'balances', symbols: [], market: 'linear' }).ready,
    ).rejects.toMatchObject({
      code: 'SUBSCRIPTION_ERROR',
    })
    await withKey.close()
  })
})
