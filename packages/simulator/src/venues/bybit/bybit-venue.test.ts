import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { readFixtureFrame } from '../../../../../test-support/fixtures'
import { expectSameShape } from '../../conformance/index'
import type { Simulator } from '../../server/index'
import { startSimulator } from '../../server/index'
import { BYBIT_SIM_CREDENTIALS, bybitAuthSignature } from './bybit-sim-auth'

const fixture = (file: string): string => readFixtureFrame('bybit', file)

/** Records every text frame; a test waits for one matching a predicate. */
class Client {
  readonly frames: string[] = []
  readonly socket: WebSocket
  private waiters: { test: (frame: string) => boolean; resolve: (frame: string) => void }[] = []

  constructor(url: string) {
    this.socket = new WebSocket(url)
    this.socket.on('message', (data) => {
      const text = data.toString()
      this.frames.push(text)
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test(text)) return true
        waiter.resolve(text)
        return false
      })
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

  next(test: (frame: string) => boolean, after = 0, timeoutMs = 8_000): Promise<string> {
    const existing = this.frames.slice(after).find(test)
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

  close(): void {
    this.socket.terminate()
  }
}

const has = (needle: string) => (frame: string) => frame.includes(needle)
const parse = (frame: string) => JSON.parse(frame) as Record<string, unknown>
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until no frame has arrived for 200 ms (at most 8 s): pending flushes have been sent. */
async function quiet(client: Client): Promise<void> {
  const deadline = Date.now() + 8_000
  let count = -1
  while (Date.now() < deadline && client.frames.length !== count) {
    count = client.frames.length
    await sleep(200)
  }
}

let sim: Simulator
const clients: Client[] = []

async function connect(path: string): Promise<Client> {
  const client = new Client(`${sim.venues.bybit.ws}${path}`)
  clients.push(client)
  await client.open()
  return client
}

/** Steps the market until `done()` or the attempts run out, letting frames flow between steps. */
async function stepUntil(done: () => boolean, attempts = 400): Promise<void> {
  for (let attempt = 0; attempt < attempts && !done(); attempt++) {
    sim.market.step(1)
    await sleep(5)
  }
}

beforeEach(async () => {
  sim = await startSimulator({ venues: ['bybit'], seed: 7, autoStart: false, timeScale: 0.01 })
})

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await sim.close()
})

describe('bybit simulator: conformance with the real frames', () => {
  it('spot: ack, pong, ticker, trade, kline and book frames have the real shapes', async () => {
    const client = await connect('/v5/public/spot')
    client.send({
      op: 'subscribe',
      args: ['tickers.BTCUSDT', 'publicTrade.BTCUSDT', 'kline.1.BTCUSDT', 'orderbook.50.BTCUSDT'],
    })
    const ack = await client.next(has('"op":"subscribe"'))
    expectSameShape(ack, fixture('real_subscribe_ack_spot.json'))
    expect(parse(ack)).toMatchObject({ success: true, ret_msg: 'subscribe' })
    expectSameShape(
      await client.next(has('"topic":"tickers.')),
      fixture('real_tickers_spot_snapshot_BTCUSDT.json'),
    )
    expectSameShape(await client.next(has('"topic":"kline.')), fixture('real_kline_1_spot_BTCUSDT.json'))
    const snapshot = parse(await client.next(has('"topic":"orderbook.50.')))
    expect(snapshot.type).toBe('snapshot')
    await stepUntil(
      () => client.frames.some(has('"topic":"publicTrade.')) && client.frames.some(has('"type":"delta"')),
    )
    expectSameShape(await client.next(has('"topic":"publicTrade.')), fixture('real_publicTrade_spot.json'))
    expectSameShape(await client.next(has('"type":"delta"')), fixture('doc_orderbook_50_delta_linear.json'))
    client.send({ req_id: '100001', op: 'ping' })
    const pong = await client.next(has('"ret_msg":"pong"'))
    expectSameShape(pong, fixture('doc_pong_public_spot.json'), { ignore: ['req_id'] })
    expect(parse(pong).req_id).toBe('100001')
  })

  it('linear: ack with empty req_id, ticker snapshot then deltas, trade, kline and book', async () => {
    const client = await connect('/v5/public/linear')
    client.send({
      req_id: 'mine',
      op: 'subscribe',
      args: ['tickers.BTCUSDT', 'publicTrade.BTCUSDT', 'kline.1.BTCUSDT', 'orderbook.50.BTCUSDT'],
    })
    const ack = await client.next(has('"op":"subscribe"'))
    expectSameShape(ack, fixture('real_subscribe_ack_linear.json'))
    expect(parse(ack)).toMatchObject({ success: true, ret_msg: '', req_id: '' })
    expectSameShape(
      await client.next(has('"topic":"tickers.')),
      fixture('real_tickers_linear_snapshot_BTCUSDT.json'),
    )
    expectSameShape(await client.next(has('"topic":"kline.')), fixture('real_kline_1_linear_BTCUSDT.json'))
    await stepUntil(
      () =>
        client.frames.some(has('"topic":"publicTrade.')) &&
        client.frames.some((frame) => frame.includes('"topic":"tickers.') && frame.includes('"delta"')) &&
        client.frames.some((frame) => frame.includes('"orderbook.50.') && frame.includes('"delta"')),
    )
    expectSameShape(
      await client.next(has('"topic":"publicTrade.')),
      fixture('real_publicTrade_linear_BTCUSDT.json'),
    )
    const tickerDelta = parse(
      await client.next((frame) => frame.includes('"topic":"tickers.') && frame.includes('"delta"')),
    )
    // A delta names the symbol and only the fields that changed.
    expect(Object.keys(tickerDelta).sort()).toEqual(['cs', 'data', 'topic', 'ts', 'type'])
    expect((tickerDelta.data as Record<string, unknown>).symbol).toBe('BTCUSDT')
    expect(Object.keys(tickerDelta.data as object).length).toBeLessThan(27)
    expectSameShape(
      await client.next((frame) => frame.includes('"orderbook.50.') && frame.includes('"delta"')),
      fixture('doc_orderbook_50_delta_linear.json'),
    )
    client.send({ req_id: '100001', op: 'ping' })
    expectSameShape(await client.next(has('"ret_msg":"pong"')), fixture('doc_pong_public_linear.json'))
  })

  it('refuses unknown topics and symbols with handler not found, echoing req_id', async () => {
    const client = await connect('/v5/public/spot')
    client.send({ req_id: 'dcp.future', op: 'subscribe', args: ['tickers.BTCUSDT', 'orderbook.50.NOPEUSDT'] })
    const reply = await client.next(has('"success":false'))
    expectSameShape(reply, fixture('issue_error_subscribe_handler_not_found.json'))
    expect(parse(reply)).toMatchObject({
      ret_msg: 'error:handler not found,topic:orderbook.50.NOPEUSDT',
      req_id: 'dcp.future',
    })
    // Nothing of the refused request was subscribed.
    await sleep(50)
    expect(client.frames.some(has('"topic":"tickers.'))).toBe(false)
  })

  it('spot refuses more than 10 args per subscribe', async () => {
    const client = await connect('/v5/public/spot')
    const args = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].flatMap((symbol) => [
      `tickers.${symbol}`,
      `publicTrade.${symbol}`,
      `orderbook.1.${symbol}`,
      `kline.1.${symbol}`,
    ])
    client.send({ op: 'subscribe', args })
    expect(parse(await client.next(has('"op":"subscribe"')))).toMatchObject({
      success: false,
      ret_msg: 'args size >10',
    })
  })

  it('refuses a duplicate subscription; unsubscribe stops the data', async () => {
    const client = await connect('/v5/public/linear')
    client.send({ op: 'subscribe', args: ['orderbook.1.ETHUSDT'] })
    await client.next(has('"topic":"orderbook.1.'))
    client.send({ op: 'subscribe', args: ['orderbook.1.ETHUSDT'] })
    expect(parse(await client.next(has('"success":false')))).toMatchObject({
      ret_msg: 'error:already subscribed,topic:orderbook.1.ETHUSDT',
    })
    client.send({ op: 'unsubscribe', args: ['orderbook.1.ETHUSDT'] })
    await client.next(has('"op":"unsubscribe"'))
    const count = client.frames.length
    await stepUntil(() => false, 40)
    await sleep(50)
    expect(client.frames.slice(count).some(has('"topic"'))).toBe(false)
  })
})

describe('bybit simulator: books', () => {
  function applyLevels(side: Map<string, string>, levels: [string, string][]): void {
    for (const [price, size] of levels) {
      if (Number(size) === 0) side.delete(price)
      else side.set(price, size)
    }
  }

  it('snapshot + deltas with u + 1 each rebuild the true book exactly', async () => {
    const client = await connect('/v5/public/linear')
    client.send({ op: 'subscribe', args: ['orderbook.50.BTCUSDT'] })
    await client.next(has('"snapshot"'))
    await stepUntil(() => client.frames.filter(has('"delta"')).length >= 20)
    await quiet(client)
    const bids = new Map<string, string>()
    const asks = new Map<string, string>()
    let lastU: number | null = null
    for (const frame of client.frames) {
      if (!frame.includes('"topic":"orderbook.50.')) continue
      const message = parse(frame) as {
        type: string
        data: { b: [string, string][]; a: [string, string][]; u: number }
      }
      if (message.type === 'snapshot') {
        bids.clear()
        asks.clear()
      } else {
        expect(message.data.u).toBe((lastU as number) + 1)
      }
      applyLevels(bids, message.data.b)
      applyLevels(asks, message.data.a)
      lastU = message.data.u
    }
    const truth = sim.trueBook('bybit', 'BTCUSDT', 50, 'linear')
    const instrument = sim.market.instrument('bybit', 'BTCUSDT', 'linear')!
    const toLevels = (side: Map<string, string>, isBid: boolean) =>
      [...side]
        .map(([price, size]) => [
          Math.round(Number(price) / instrument.tickSize),
          Math.round(Number(size) / instrument.lotSize),
        ])
        .sort((a, b) => (isBid ? b[0]! - a[0]! : a[0]! - b[0]!))
    expect(bids.size).toBe(50)
    expect(toLevels(bids, true)).toEqual(truth.bids.map(([price, size]) => [price, size]))
    expect(toLevels(asks, false)).toEqual(truth.asks.map(([price, size]) => [price, size]))
  })

  it('an injected sequence gap skips one u; a resubscribe gets a fresh snapshot', async () => {
    const client = await connect('/v5/public/spot')
    client.send({ op: 'subscribe', args: ['orderbook.50.ETHUSDT'] })
    await client.next(has('"snapshot"'))
    await stepUntil(() => client.frames.filter(has('"delta"')).length >= 2)
    sim.inject('bybit', { kind: 'sequenceGap', symbol: 'ETHUSDT' })
    const before = client.frames.filter(has('"delta"')).length
    await stepUntil(() => client.frames.filter(has('"delta"')).length >= before + 3)
    const ids = client.frames
      .filter(has('"orderbook.50.'))
      .map((frame) => (parse(frame).data as { u: number }).u)
    const steps = ids.slice(1).map((u, index) => u - (ids[index] as number))
    expect(steps.filter((step) => step === 2)).toHaveLength(1)
    expect(steps.every((step) => step === 1 || step === 2)).toBe(true)
    client.send({ op: 'unsubscribe', args: ['orderbook.50.ETHUSDT'] })
    await client.next(has('"op":"unsubscribe"'))
    const mark = client.frames.length
    client.send({ op: 'subscribe', args: ['orderbook.50.ETHUSDT'] })
    const snapshot = parse(await client.next(has('"snapshot"'), mark))
    expect((snapshot.data as { u: number }).u).toBeGreaterThan(ids.at(-1) as number)
  })
})

describe('bybit simulator: keepalive and lifetime', () => {
  it('orderbook.1 re-sends its snapshot with the same u after a quiet spell', async () => {
    const client = await connect('/v5/public/linear')
    client.send({ op: 'subscribe', args: ['orderbook.1.BTCUSDT'] })
    await client.next(has('"topic":"orderbook.1.'))
    // No market steps: nothing changes, so the top of book is re-sent (3 s × timeScale 0.01). Waits
    // for the re-send itself (bounded), not a fixed time a loaded machine might not give it.
    const deadline = Date.now() + 10_000
    while (client.frames.filter(has('"topic":"orderbook.1.')).length < 2 && Date.now() < deadline)
      await sleep(20)
    const frames = client.frames.filter(has('"topic":"orderbook.1.')).map(parse)
    expect(frames.length).toBeGreaterThanOrEqual(2)
    expect(new Set(frames.map((frame) => (frame.data as { u: number }).u)).size).toBe(1)
    expect(frames.every((frame) => frame.type === 'snapshot')).toBe(true)
  })

  it('cuts a connection that sends nothing and subscribes nothing for 10 min (scaled)', async () => {
    await sim.close()
    sim = await startSimulator({ venues: ['bybit'], seed: 7, autoStart: false, timeScale: 0.001 })
    const idle = await connect('/v5/public/spot')
    const closed = new Promise<number>((resolve) => idle.socket.once('close', (code) => resolve(code)))
    expect(await closed).toBe(1000)
  })

  it('a stalled connection answers no ping until the stall ends', async () => {
    const client = await connect('/v5/public/spot')
    sim.inject('bybit', { kind: 'stall', durationMs: 300 })
    client.send({ op: 'ping' })
    await sleep(150)
    expect(client.frames.some(has('"pong"'))).toBe(false)
    await client.next(has('"ret_msg":"pong"'))
  })
})

describe('bybit simulator: private stream', () => {
  function authArgs(secret: string, expires: number): [string, number, string] {
    return [BYBIT_SIM_CREDENTIALS.apiKey, expires, bybitAuthSignature(secret, expires)]
  }

  it('signs the derived test vector', () => {
    expect(bybitAuthSignature('bybit_test_secret', 1662350400000)).toBe(
      '45e9dff2c95bef2550b506cc8ea9f007229d3d1d51b01d81e04b70f779797cb6',
    )
  })

  it('auth succeeds, then order and wallet updates arrive', async () => {
    const client = await connect('/v5/private')
    client.send({
      req_id: '10001',
      op: 'auth',
      args: authArgs(BYBIT_SIM_CREDENTIALS.secret, Date.now() + 10_000),
    })
    const reply = await client.next(has('"op":"auth"'))
    expectSameShape(reply, fixture('doc_auth_response.json'), { ignore: ['req_id'] })
    expect(parse(reply).success).toBe(true)
    client.send({ op: 'subscribe', args: ['order', 'wallet'] })
    expectSameShape(
      await client.next(has('"op":"subscribe"')),
      fixture('doc_subscribe_response_private.json'),
    )
    const order = parse(await client.next(has('"topic":"order"')))
    expect((order.data as { orderStatus: string }[])[0]?.orderStatus).toBe('New')
    const wallet = parse(await client.next(has('"topic":"wallet"')))
    expect((wallet.data as { coin: unknown[] }[])[0]?.coin.length).toBeGreaterThan(0)
    client.send({ req_id: 'test', op: 'ping' })
    expectSameShape(await client.next(has('"op":"pong"')), fixture('doc_pong_private.json'))
  })

  it('a wrong secret gets Request not authorized; an expired timestamp gets Params Error', async () => {
    const wrong = await connect('/v5/private')
    wrong.send({ op: 'auth', args: authArgs('not-the-secret', Date.now() + 10_000) })
    expect(parse(await wrong.next(has('"op":"auth"')))).toMatchObject({
      success: false,
      ret_msg: 'Request not authorized',
    })
    const late = await connect('/v5/private')
    late.send({ op: 'auth', args: authArgs(BYBIT_SIM_CREDENTIALS.secret, Date.now() - 30_000) })
    expect(parse(await late.next(has('"op":"auth"')))).toMatchObject({
      success: false,
      ret_msg: 'Params Error',
    })
  })

  it('refuses private topics before auth', async () => {
    const client = await connect('/v5/private')
    client.send({ op: 'subscribe', args: ['order'] })
    expect(parse(await client.next(has('"op":"subscribe"')))).toMatchObject({
      success: false,
      ret_msg: 'Request not authorized',
    })
  })
})

describe('bybit simulator: klines', () => {
  it('the open candle is built from the true trades of its interval', async () => {
    // A frozen clock mid-minute: no minute boundary can fall between the trades and the subscribe.
    await sim.close()
    sim = await startSimulator({
      venues: ['bybit'],
      seed: 7,
      autoStart: false,
      market: { clock: () => 1_800_000_030_000 },
    })
    sim.market.step(200)
    const client = await connect('/v5/public/spot')
    client.send({ op: 'subscribe', args: ['kline.1.BTCUSDT'] })
    const frame = parse(await client.next(has('"topic":"kline.'))) as { data: Record<string, unknown>[] }
    const candle = frame.data[0] as { start: number; open: string; close: string; high: string; low: string }
    const instrument = sim.market.instrument('bybit', 'BTCUSDT', 'spot')!
    const inInterval = sim
      .trueTrades('bybit', 'BTCUSDT', 'spot')
      .filter((trade) => trade.time >= candle.start)
    expect(inInterval.length).toBeGreaterThan(0)
    const price = (ticks: number) => Number((ticks * instrument.tickSize).toFixed(instrument.priceDecimals))
    expect(Number(candle.open)).toBe(price(inInterval[0]!.priceTicks))
    expect(Number(candle.close)).toBe(price(inInterval.at(-1)!.priceTicks))
    expect(Number(candle.high)).toBe(price(Math.max(...inInterval.map((trade) => trade.priceTicks))))
    expect(Number(candle.low)).toBe(price(Math.min(...inInterval.map((trade) => trade.priceTicks))))
  })
})

describe('bybit simulator: REST', () => {
  async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${sim.venues.bybit.rest}${path}`)
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  it('serves time, instruments with tick/lot sizes, order book and recent trades', async () => {
    sim.market.step(40)
    const time = await get('/v5/market/time')
    expect(time.body).toMatchObject({ retCode: 0, retMsg: 'OK' })
    expect(Number((time.body.result as { timeSecond: string }).timeSecond)).toBeGreaterThan(1_600_000_000)
    const linear = await get('/v5/market/instruments-info?category=linear')
    const btc = (linear.body.result as { list: Record<string, unknown>[] }).list.find(
      (item) => item.symbol === 'BTCUSDT',
    )
    expect(btc).toMatchObject({
      baseCoin: 'BTC',
      quoteCoin: 'USDT',
      priceFilter: { tickSize: '0.1' },
      lotSizeFilter: { qtyStep: '0.001' },
    })
    const spot = await get('/v5/market/instruments-info?category=spot&symbol=ETHUSDT')
    expect((spot.body.result as { list: unknown[] }).list).toEqual([
      expect.objectContaining({ symbol: 'ETHUSDT', priceFilter: { tickSize: '0.01' } }),
    ])
    const book = await get('/v5/market/orderbook?category=spot&symbol=BTCUSDT&limit=5')
    expect((book.body.result as { b: unknown[] }).b).toHaveLength(5)
    const trades = await get('/v5/market/recent-trade?category=linear&symbol=BTCUSDT&limit=3')
    const truth = sim.trueTrades('bybit', 'BTCUSDT', 'linear')
    const list = (trades.body.result as { list: { seq: string }[] }).list
    expect(list[0]?.seq).toBe(String(truth.at(-1)?.id))
    const bad = await get('/v5/market/instruments-info?category=nope')
    expect(bad.body.retCode).toBe(10001)
  })

  it('answers an injected 429 with the Bybit body', async () => {
    sim.inject('bybit', { kind: 'rest', status: 429, count: 1 })
    const limited = await get('/v5/market/time')
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ retCode: 10006 })
    expect((await get('/v5/market/time')).status).toBe(200)
  })
})
