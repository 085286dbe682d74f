import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { readFixtureFrame } from '../../../../../test-support/fixtures'
import { expectSameShape } from '../../conformance/index'
import type { Simulator } from '../../server/index'
import { startSimulator } from '../../server/index'
import { BINANCE_SIM_ACCOUNT, binanceSignaturePayload } from './binance-auth'

const fixture = (file: string): string => readFixtureFrame('binance', file)

/** A client that records every text frame and lets a test wait for one matching a predicate. */
class Client {
  readonly frames: string[] = []
  readonly socket: WebSocket
  closeCode: number | null = null
  private waiters: { test: (frame: string) => boolean; resolve: (frame: string) => void }[] = []
  private closeWaiters: (() => void)[] = []

  constructor(url: string, options: { autoPong?: boolean } = {}) {
    this.socket = new WebSocket(url, { autoPong: options.autoPong ?? true })
    this.socket.on('message', (data) => {
      const text = data.toString()
      this.frames.push(text)
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test(text)) return true
        waiter.resolve(text)
        return false
      })
    })
    this.socket.on('close', (code) => {
      this.closeCode = code
      for (const resolve of this.closeWaiters) resolve()
    })
    this.socket.on('error', () => {})
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve())
      this.socket.once('error', reject)
    })
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value))
  }

  next(test: (frame: string) => boolean, timeoutMs = 8_000): Promise<string> {
    const existing = this.frames.find(test)
    if (existing !== undefined) return Promise.resolve(existing)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs)
      this.waiters.push({
        test,
        resolve: (frame) => {
          clearTimeout(timer)
          resolve(frame)
        },
      })
    })
  }

  closed(timeoutMs = 8_000): Promise<number> {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for close')), timeoutMs)
      this.closeWaiters.push(() => {
        clearTimeout(timer)
        resolve(this.closeCode as number)
      })
    })
  }

  close(): void {
    this.socket.terminate()
  }
}

let sim: Simulator
const clients: Client[] = []

async function connect(path: string, options: { autoPong?: boolean } = {}): Promise<Client> {
  const client = new Client(`${sim.venues.binance.ws}${path}`, options)
  clients.push(client)
  await client.open()
  return client
}

async function rest(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sim.venues.binance.rest}${path}`)
  return { status: response.status, body: await response.json() }
}

beforeEach(async () => {
  sim = await startSimulator({ venues: ['binance'], seed: 7, port: 0, timeScale: 0.01 })
})

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await sim.close()
})

describe('binance simulator: REST', () => {
  it('serves exchangeInfo with tick and lot sizes, time, and depth snapshots shaped like the venue', async () => {
    const info = (await rest('/api/v3/exchangeInfo')).body as {
      symbols: { symbol: string; filters: { filterType: string; tickSize?: string; stepSize?: string }[] }[]
    }
    const btc = info.symbols.find((symbol) => symbol.symbol === 'BTCUSDT')
    expect(btc?.filters.find((filter) => filter.filterType === 'PRICE_FILTER')?.tickSize).toBe('0.01000000')
    expect(btc?.filters.find((filter) => filter.filterType === 'LOT_SIZE')?.stepSize).toBe('0.00001000')
    const futures = (await rest('/fapi/v1/exchangeInfo')).body as {
      symbols: { symbol: string; contractType: string }[]
    }
    expect(futures.symbols.map((symbol) => symbol.contractType)).toContain('PERPETUAL')
    const time = (await rest('/api/v3/time')).body as { serverTime: number }
    expect(Math.abs(time.serverTime - Date.now())).toBeLessThan(5_000)
    const depth = await rest('/api/v3/depth?symbol=BTCUSDT&limit=5')
    expect(depth.status).toBe(200)
    expectSameShape(depth.body, fixture('doc_rest_depth_snapshot.json'))
    const body = depth.body as { bids: unknown[]; lastUpdateId: number }
    expect(body.bids).toHaveLength(5)
    expect(Number.isInteger(body.lastUpdateId)).toBe(true)
  })

  it('answers an unknown symbol with -1121 and a missing one with -1102', async () => {
    expect(await rest('/api/v3/depth?symbol=NOPEUSDT')).toEqual({
      status: 400,
      body: { code: -1121, msg: 'Invalid symbol.' },
    })
    expect((await rest('/api/v3/depth')).body).toMatchObject({ code: -1102 })
  })

  it('serves recent aggTrades shaped like the stream payload (without e, E, s)', async () => {
    // Polls until the market has printed a trade (no fixed wait: a loaded machine may take longer).
    let trades: Record<string, unknown>[] = []
    const deadline = Date.now() + 20_000
    while (trades.length === 0 && Date.now() < deadline) {
      trades = (await rest('/api/v3/aggTrades?symbol=BTCUSDT&limit=3')).body as Record<string, unknown>[]
      if (trades.length === 0) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(trades.length).toBeGreaterThan(0)
    const {
      e: _e,
      E: _E,
      s: _s,
      ...payload
    } = JSON.parse(fixture('doc_aggTrade.json')) as Record<string, unknown>
    expectSameShape(trades[0], payload)
  })

  it('injects REST 429 with the Binance error body, then recovers', async () => {
    sim.inject('binance', { kind: 'rest', status: 429, count: 1 })
    const limited = await rest('/api/v3/time')
    expect(limited).toEqual({
      status: 429,
      body: { code: -1003, msg: expect.stringContaining('Too many requests') },
    })
    expect((await rest('/api/v3/time')).status).toBe(200)
  })
})

describe('binance simulator: market streams', () => {
  it('acks SUBSCRIBE / LIST_SUBSCRIPTIONS / UNSUBSCRIBE exactly like the venue', async () => {
    const client = await connect('/stream')
    client.send(JSON.parse(fixture('doc_subscribe_request.json')))
    const ack = await client.next((frame) => frame.includes('"id":1'))
    expect(ack).toBe(fixture('doc_subscribe_response.json'))
    client.send(JSON.parse(fixture('doc_list_subscriptions_request.json')))
    const list = JSON.parse(await client.next((frame) => frame.includes('"id":3')))
    expect(list).toEqual({ result: ['btcusdt@aggTrade', 'btcusdt@depth'], id: 3 })
    expectSameShape(list, fixture('doc_list_subscriptions_response.json'))
    client.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@depth'], id: 312 })
    expect(await client.next((frame) => frame.includes('"id":312'))).toBe(
      fixture('doc_unsubscribe_response.json'),
    )
  })

  it('refuses an uppercase stream and an unknown symbol with the real error', async () => {
    const client = await connect('/stream')
    client.send({ method: 'SUBSCRIBE', params: ['BTCUSDT@ticker'], id: 2 })
    expect(await client.next((frame) => frame.includes('"id":2'))).toBe(
      fixture('real_error_invalid_stream.json'),
    )
    client.send({ method: 'SUBSCRIBE', params: ['nopeusdt@ticker'], id: 4 })
    expect(JSON.parse(await client.next((frame) => frame.includes('"id":4')))).toEqual({
      error: { code: 2, msg: 'Invalid request: invalid stream' },
      id: 4,
    })
    client.send('{oops')
    expect(JSON.parse(await client.next((frame) => frame.includes('"code":3')))).toMatchObject({
      error: { code: 3 },
      id: null,
    })
  })

  it('streams every channel in the fixtures shapes (combined envelope)', async () => {
    const client = await connect(
      '/stream?streams=btcusdt@aggTrade/btcusdt@bookTicker/btcusdt@ticker/btcusdt@kline_1m/btcusdt@depth@100ms/btcusdt@trade',
    )
    const byStream = async (name: string): Promise<string> =>
      client.next((frame) => frame.startsWith(`{"stream":"${name}"`))
    expectSameShape(await byStream('btcusdt@aggTrade'), fixture('real_aggTrade_combined.json'))
    expectSameShape(await byStream('btcusdt@bookTicker'), fixture('real_bookTicker_combined.json'))
    expectSameShape(await byStream('btcusdt@ticker'), fixture('real_ticker_24hr_combined.json'))
    expectSameShape(await byStream('btcusdt@kline_1m'), fixture('real_kline_1m_combined.json'))
    const depth = JSON.parse(await byStream('btcusdt@depth@100ms')) as { stream: string; data: unknown }
    expectSameShape(depth.data, fixture('doc_depthUpdate.json'))
    expectSameShape(JSON.parse(await byStream('btcusdt@trade')).data, fixture('doc_trade.json'))
  })

  it('streams miniTicker and partial depth in the fixtures shapes', async () => {
    const client = await connect('/stream?streams=btcusdt@miniTicker/btcusdt@depth5@100ms')
    const mini = JSON.parse(await client.next((frame) => frame.startsWith('{"stream":"btcusdt@miniTicker"')))
    expectSameShape(mini.data, fixture('doc_miniTicker.json'))
    const partial = JSON.parse(
      await client.next((frame) => frame.startsWith('{"stream":"btcusdt@depth5@100ms"')),
    )
    expectSameShape(partial.data, fixture('doc_partial_depth.json'))
    expect(partial.data.bids).toHaveLength(5)
  })

  it('switches a /ws connection to the combined envelope with SET_PROPERTY', async () => {
    const client = await connect('/ws')
    client.send({ method: 'SET_PROPERTY', params: ['combined', true], id: 5 })
    expect(JSON.parse(await client.next((frame) => frame.includes('"id":5')))).toEqual({
      result: null,
      id: 5,
    })
    client.send({ method: 'GET_PROPERTY', params: ['combined'], id: 6 })
    expect(JSON.parse(await client.next((frame) => frame.includes('"id":6')))).toEqual({
      result: true,
      id: 6,
    })
    client.send({ method: 'SUBSCRIBE', params: ['btcusdt@bookTicker'], id: 7 })
    expectSameShape(
      await client.next((frame) => frame.startsWith('{"stream":"btcusdt@bookTicker"')),
      fixture('real_bookTicker_combined.json'),
    )
  })

  it('accepts a raw connection whose path names no valid stream (ccxt opens /ws/0)', async () => {
    const client = await connect('/ws/0')
    client.send({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 10 })
    expect(await client.next((frame) => frame.includes('"id":10'))).toBe('{"result":null,"id":10}')
    expectSameShape(
      await client.next((frame) => frame.startsWith('{"e":"aggTrade"')),
      fixture('doc_aggTrade.json'),
    )
  })

  it('answers the next request with an error on an injected errorReply', async () => {
    const client = await connect('/stream')
    sim.inject('binance', { kind: 'errorReply' })
    client.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 8 })
    const reply = await client.next((frame) => frame.includes('"id":8'))
    expectSameShape(reply, fixture('real_error_invalid_stream.json'))
    client.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 9 })
    expect(await client.next((frame) => frame.includes('"id":9'))).toBe('{"result":null,"id":9}')
  })

  it('sends bare events on /ws/<stream> (raw streams)', async () => {
    const client = await connect('/ws/btcusdt@depth@100ms')
    expectSameShape(
      await client.next((frame) => frame.startsWith('{"e":"depthUpdate"')),
      fixture('doc_depthUpdate.json'),
    )
  })

  it('keeps depth ids contiguous (U = previous u + 1) and breaks them on an injected gap', async () => {
    const client = await connect('/ws/btcusdt@depth@100ms')
    const ids = async (count: number): Promise<{ U: number; u: number }[]> => {
      const start = client.frames.length
      await client.next(() => client.frames.length >= start + count, 8_000).catch(() => '')
      while (client.frames.length < start + count) await new Promise((resolve) => setTimeout(resolve, 20))
      return client.frames
        .slice(start, start + count)
        .map((frame) => JSON.parse(frame) as { U: number; u: number })
    }
    const before = await ids(4)
    for (let index = 1; index < before.length; index++)
      expect(before[index]?.U).toBe((before[index - 1]?.u ?? 0) + 1)
    sim.inject('binance', { kind: 'sequenceGap', symbol: 'BTC/USDT' })
    const after = await ids(3)
    const chain = [before[before.length - 1] as { U: number; u: number }, ...after]
    let gaps = 0
    for (let index = 1; index < chain.length; index++) {
      if (chain[index]?.U !== (chain[index - 1]?.u ?? 0) + 1) gaps++
    }
    expect(gaps).toBe(1)
  })

  it('chains futures depth with pu on /fstream', async () => {
    const client = await connect('/fstream/stream?streams=btcusdt@depth@100ms')
    await client.next(() => client.frames.length >= 3)
    const events = client.frames
      .slice(0, 3)
      .map((frame) => (JSON.parse(frame) as { data: { U: number; u: number; pu: number } }).data)
    expect(events[1]?.pu).toBe(events[0]?.u)
    expect(events[2]?.pu).toBe(events[1]?.u)
  })

  it('disconnects a client sending more than 5 messages a second', async () => {
    const client = await connect('/ws')
    for (let id = 1; id <= 8; id++) client.send({ method: 'LIST_SUBSCRIPTIONS', id })
    expect(await client.closed()).toBe(1008)
  })

  it('pings and disconnects a client that stops answering with pongs', async () => {
    // timeScale 0.01: ping every 200 ms, disconnect after 600 ms without a pong.
    const client = await connect('/ws', { autoPong: false })
    let pings = 0
    client.socket.on('ping', () => pings++)
    expect(await client.closed()).toBe(1008)
    expect(pings).toBeGreaterThan(0)
  })

  it('announces serverShutdown as in the fixture, then closes', async () => {
    const client = await connect('/stream?streams=btcusdt@aggTrade')
    sim.inject('binance', { kind: 'plannedDisconnect' })
    expectSameShape(
      await client.next((frame) => frame.includes('serverShutdown')),
      fixture('doc_server_shutdown_combined.json'),
    )
    expect(await client.closed()).toBe(1001)
  })
})

describe('binance simulator: WebSocket API auth', () => {
  function signedRequest(overrides: { secret?: string; timestamp?: number; apiKey?: string } = {}) {
    const params: Record<string, unknown> = {
      apiKey: overrides.apiKey ?? BINANCE_SIM_ACCOUNT.apiKey,
      timestamp: overrides.timestamp ?? Date.now(),
    }
    const secret = overrides.secret ?? (BINANCE_SIM_ACCOUNT.secret as string)
    params.signature = createHmac('sha256', secret).update(binanceSignaturePayload(params)).digest('hex')
    return { id: 'req-1', method: 'userDataStream.subscribe.signature', params }
  }

  it('builds the signature payload of the official HMAC test vector', () => {
    const request = JSON.parse(fixture('doc_wsapi_signed_request_hmac_testvector.json')) as {
      params: Record<string, unknown>
    }
    const vectors = JSON.parse(readFixtureFrame('binance', 'auth_test_vectors.json')) as {
      hmac_sha256_hex: { payload: string; signature: string; secretKey: string }
    }
    expect(binanceSignaturePayload(request.params)).toBe(vectors.hmac_sha256_hex.payload)
    expect(
      createHmac('sha256', vectors.hmac_sha256_hex.secretKey)
        .update(vectors.hmac_sha256_hex.payload)
        .digest('hex'),
    ).toBe(request.params.signature)
  })

  it('accepts a valid signature and then streams orders and balances', async () => {
    const client = await connect('/ws-api/v3')
    client.send(signedRequest())
    const reply = JSON.parse(await client.next((frame) => frame.includes('"req-1"')))
    expect(reply).toEqual({ id: 'req-1', status: 200, result: { subscriptionId: 0 } })
    expectSameShape(reply, fixture('doc_wsapi_userDataStream_subscribe_response.json'))
    const order = JSON.parse(await client.next((frame) => frame.includes('executionReport')))
    expect(order).toMatchObject({
      subscriptionId: 0,
      event: { e: 'executionReport', s: 'BTCUSDT', X: 'NEW' },
    })
    const balance = JSON.parse(await client.next((frame) => frame.includes('outboundAccountPosition')))
    expect(balance.event.B).toHaveLength(2)
  })

  it('refuses a wrong secret (-1022), a drifted clock (-1021) and an unknown key (-2015)', async () => {
    const client = await connect('/ws-api/v3')
    client.send({ ...signedRequest({ secret: 'wrong' }), id: 'a' })
    expect(JSON.parse(await client.next((frame) => frame.includes('"a"')))).toEqual({
      id: 'a',
      status: 400,
      error: { code: -1022, msg: 'Signature for this request is not valid.' },
    })
    client.send({ ...signedRequest({ timestamp: Date.now() - 30_000 }), id: 'b' })
    expect(JSON.parse(await client.next((frame) => frame.includes('"b"')))).toMatchObject({
      status: 400,
      error: { code: -1021 },
    })
    client.send({ ...signedRequest({ timestamp: Date.now() + 5_000 }), id: 'c' })
    expect(JSON.parse(await client.next((frame) => frame.includes('"c"')))).toMatchObject({
      error: { code: -1021, msg: expect.stringContaining('ahead') },
    })
    client.send({ ...signedRequest({ apiKey: 'nobody' }), id: 'd' })
    const unknown = await client.next((frame) => frame.includes('"d"'))
    expect(JSON.parse(unknown)).toMatchObject({ status: 401, error: { code: -2015 } })
    expectSameShape(unknown, fixture('doc_wsapi_error_session_revoked.json'), { nullMatchesAnything: true })
  })
})
