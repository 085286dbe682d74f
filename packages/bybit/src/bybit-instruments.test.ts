import { createRestClient, RestError, SubscriptionError } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { BybitInstruments } from './bybit-instruments'

function fakeFetch(pages: Record<string, unknown>[]): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = []
  const fetcher = (async (input: string | URL | Request) => {
    urls.push(String(input))
    const body = pages[Math.min(urls.length - 1, pages.length - 1)]
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    })
  }) as typeof fetch
  return { fetch: fetcher, urls }
}

const perpetual = (symbol: string, base: string) => ({
  symbol,
  contractType: 'LinearPerpetual',
  status: 'Trading',
  baseCoin: base,
  quoteCoin: 'USDT',
  settleCoin: 'USDT',
  priceFilter: { tickSize: '0.10' },
  lotSizeFilter: { qtyStep: '0.001' },
})

describe('BybitInstruments', () => {
  it('follows the cursor, keeps perpetuals only and caches the result', async () => {
    const { fetch, urls } = fakeFetch([
      {
        retCode: 0,
        retMsg: 'OK',
        result: {
          list: [
            perpetual('BTCUSDT', 'BTC'),
            { ...perpetual('BTCUSDT-27DEC24', 'BTC'), contractType: 'LinearFutures' },
            { ...perpetual('OLDUSDT', 'OLD'), status: 'Closed' },
          ],
          nextPageCursor: 'page2',
        },
      },
      { retCode: 0, retMsg: 'OK', result: { list: [perpetual('ETHUSDT', 'ETH')], nextPageCursor: '' } },
    ])
    const instruments = new BybitInstruments(
      createRestClient({ baseUrl: 'http://127.0.0.1:1', venue: 'bybit', fetch }),
    )
    const list = await instruments.list('linear')
    expect(list.map((item) => item.symbol)).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT'])
    expect(list[0]).toMatchObject({ venueSymbol: 'BTCUSDT', tickSize: 0.1, lotSize: 0.001 })
    expect(urls[1]).toContain('cursor=page2')
    await instruments.list('linear')
    expect(urls).toHaveLength(2)
    expect(instruments.symbolOf('ETHUSDT', 'linear')).toBe('ETH/USDT:USDT')
    await expect(instruments.resolve('ETH/USDT:USDC', 'linear')).rejects.toThrow(SubscriptionError)
  })

  it('a non-zero retCode is a RestError, and the next call retries', async () => {
    const { fetch, urls } = fakeFetch([
      { retCode: 10001, retMsg: 'params error', result: {} },
      { retCode: 0, retMsg: 'OK', result: { list: [perpetual('BTCUSDT', 'BTC')] } },
    ])
    const instruments = new BybitInstruments(
      createRestClient({ baseUrl: 'http://127.0.0.1:1', venue: 'bybit', fetch }),
    )
    await expect(instruments.list('linear')).rejects.toThrow(RestError)
    expect(await instruments.list('linear')).toHaveLength(1)
    expect(urls).toHaveLength(2)
  })
})
