import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { readFixture, readFixtureFrame, readFixtureLines } from '../../../../../test-support/fixtures'
import { expectSameShape } from '../../conformance/index'
import { type Simulator, startSimulator } from '../../server/index'
import { COINBASE_SIM_ACCOUNT, coinbaseFeedSignature } from './index'

type Frame = Record<string, unknown> & { type?: string }

/** A test client that queues every frame and waits for the one a predicate wants. */
class FeedClient {
  readonly frames: Frame[] = []
  private cursor = 0
  private waiters: (() => void)[] = []
  closeCode: number | null = null
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame)
      for (const wake of this.waiters.splice(0)) wake()
    })
    socket.on('close', (code) => {
      this.closeCode = code
      for (const wake of this.waiters.splice(0)) wake()
    })
  }
  static async open(url: string): Promise<FeedClient> {
    const socket = new WebSocket(url)
    const client = new FeedClient(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    return client
  }
  send(message: unknown): void {
    this.socket.send(JSON.stringify(message))
  }
  /** The next frame (after the previous match) satisfying `predicate`. */
  async next(predicate: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      while (this.cursor < this.frames.length) {
        const frame = this.frames[this.cursor++] as Frame
        if (predicate(frame)) return frame
      }
      if (this.closeCode !== null) throw new Error(`closed (${this.closeCode}) while waiting`)
      const remaining = deadline - Date.now()
      if (remaining <= 0) throw new Error('timed out waiting for a frame')
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
  /** The first frame received so far or later satisfying `predicate`, regardless of the cursor. */
  async first(predicate: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs
    let checked = 0
    for (;;) {
      for (; checked < this.frames.length; checked++) {
        const frame = this.frames[checked] as Frame
        if (predicate(frame)) return frame
      }
      if (this.closeCode !== null) throw new Error(`closed (${this.closeCode}) while waiting`)
      const remaining = deadline - Date.now()
      if (remaining <= 0) throw new Error('timed out waiting for a frame')
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
  async closed(): Promise<number> {
    if (this.closeCode !== null) return this.closeCode
    await this.next(() => false).catch(() => undefined)
    return this.closeCode ?? -1
  }
  close(): void {
    this.socket.terminate()
  }
}

const ofType = (type: string) => (frame: Frame) => frame.type === type
const fixture = (file: string) => JSON.parse(readFixtureFrame('coinbase', file)) as Frame

let sim: Simulator
let clients: FeedClient[] = []

async function client(): Promise<FeedClient> {
  const feed = await FeedClient.open(sim.venues.coinbase.ws)
  clients.push(feed)
  return feed
}

/** Steps the market until `count` trades of `productId` happened. */
function stepUntilTrades(productId: string, count: number): void {
  const start = sim.trueTrades('coinbase', productId).length
  for (let i = 0; i < 10_000 && sim.trueTrades('coinbase', productId).length < start + count; i++)
    sim.market.step()
}

function signedFields(secret: string, timestampSeconds: number) {
  const timestamp = String(timestampSeconds)
  return {
    key: COINBASE_SIM_ACCOUNT.apiKey,
    passphrase: COINBASE_SIM_ACCOUNT.passphrase,
    timestamp,
    signature: coinbaseFeedSignature(secret, timestamp),
  }
}

beforeEach(async () => {
  sim = await startSimulator({ venues: ['coinbase'], seed: 7, autoStart: false, timeScale: 0.05 })
  sim.market.step(5)
})

afterEach(async () => {
  for (const feed of clients) feed.close()
  clients = []
  await sim.close()
})

describe('coinbase feed conformance', () => {
  it('answers a subscribe with the cumulative subscriptions reply, then snapshot, last_match and ticker', async () => {
    stepUntilTrades('BTC-USD', 1)
    const feed = await client()
    feed.send(fixtureLikeSubscribe())
    const subscriptions = await feed.next(ofType('subscriptions'))
    expectSameShape(subscriptions, fixture('doc_subscriptions_response.json'))
    for (const line of readFixtureLines('coinbase', 'real_subscriptions_responses.jsonl'))
      expectSameShape(subscriptions, line)
    expect(subscriptions.channels).toEqual([
      { name: 'heartbeat', product_ids: ['BTC-USD', 'ETH-USD'] },
      { name: 'level2_batch', product_ids: ['BTC-USD', 'ETH-USD'] },
      { name: 'matches', product_ids: ['BTC-USD', 'ETH-USD'] },
      { name: 'ticker', product_ids: ['BTC-USD'] },
    ])
    const snapshot = await feed.next(ofType('snapshot'))
    expectSameShape(snapshot, fixture('doc_level2_snapshot.json'))
    const lastMatch = await feed.next(
      (frame) => frame.type === 'last_match' && frame.product_id === 'BTC-USD',
    )
    expectSameShape(lastMatch, fixture('real_last_match.json'))
    const ticker = await feed.next(ofType('ticker'))
    expectSameShape(ticker, fixture('doc_ticker.json'))
    stepUntilTrades('BTC-USD', 2)
    const update = await feed.first(ofType('l2update'))
    expectSameShape(update, fixture('doc_l2update_multiple.json'))
    expectSameShape(update, fixture('doc_l2update_single.json'))
    const match = await feed.first(ofType('match'))
    expectSameShape(match, fixture('doc_match.json'))
    expectSameShape(match, fixture('real_match.json'))
    const heartbeat = await feed.first(ofType('heartbeat'))
    expectSameShape(heartbeat, fixture('doc_heartbeat.json'))
  })

  it('sends the maker side on matches and trade ids that step by one', async () => {
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['matches'] })
    await feed.next(ofType('subscriptions'))
    const before = sim.trueTrades('coinbase', 'BTC-USD').length
    stepUntilTrades('BTC-USD', 3)
    const trades = sim.trueTrades('coinbase', 'BTC-USD').slice(before, before + 3)
    for (const trade of trades) {
      const match = await feed.next((frame) => frame.type === 'match' && frame.trade_id === trade.id)
      expect(match.side).toBe(trade.side === 'buy' ? 'sell' : 'buy')
    }
  })

  it('batches level2_batch changes into l2updates that keep the book equal to the true book', async () => {
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['ETH-USD'], channels: ['level2_batch'] })
    const snapshot = await feed.next(ofType('snapshot'))
    const bids = new Map<string, string>((snapshot.bids as [string, string][]).map(([p, s]) => [p, s]))
    const asks = new Map<string, string>((snapshot.asks as [string, string][]).map(([p, s]) => [p, s]))
    const instrument = sim.market.instrument('coinbase', 'ETH-USD')!
    const toNumbers = (levels: readonly (readonly [number, number])[]) =>
      levels.map(([p, s]) => [
        Number((p * instrument.tickSize).toFixed(2)),
        Number((s * instrument.lotSize).toFixed(8)),
      ])
    const sorted = (book: Map<string, string>, descending: boolean) =>
      [...book]
        .map(([p, s]) => [Number(p), Number(s)])
        .sort((a, b) => (descending ? b[0]! - a[0]! : a[0]! - b[0]!))
    const matches = () => {
      const truth = sim.trueBook('coinbase', 'ETH-USD')
      return (
        JSON.stringify(sorted(bids, true)) === JSON.stringify(toNumbers(truth.bids)) &&
        JSON.stringify(sorted(asks, false)) === JSON.stringify(toNumbers(truth.asks))
      )
    }
    // 30 market ticks at once fall into one or two 50 ms windows: far fewer frames than changes.
    sim.market.step(30)
    let updates = 0
    while (!matches()) {
      const frame = await feed.next(ofType('l2update'))
      updates++
      for (const [side, price, size] of frame.changes as [string, string, string][]) {
        const book = side === 'buy' ? bids : asks
        if (Number(size) === 0) book.delete(price)
        else book.set(price, size)
      }
    }
    expect(updates).toBeGreaterThan(0)
    expect(updates).toBeLessThan(30)
  })
})

function fixtureLikeSubscribe(): Frame {
  // The documented shape: root product_ids for string channels, an object channel with its own.
  return {
    type: 'subscribe',
    product_ids: ['BTC-USD', 'ETH-USD'],
    channels: ['heartbeat', 'level2_batch', 'matches', { name: 'ticker', product_ids: ['BTC-USD'] }],
  }
}

describe('coinbase feed errors and limits', () => {
  it('rejects a subscribe without channels with the real error', async () => {
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: [] })
    expect(await feed.next(ofType('error'))).toEqual(
      JSON.parse(readFixture('coinbase', 'issue_error_no_channels.json')),
    )
  })

  it('rejects unauthenticated level2 with the real error', async () => {
    const feed = await client()
    feed.send(JSON.parse(readFixture('coinbase', 'doc_level2_subscribe_request.json')))
    const error = await feed.next(ofType('error'))
    expect(error).toEqual(fixture('issue_error_level2_requires_auth.json'))
  })

  it('rejects unknown products and channels naming them', async () => {
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['BTC-USDX'], channels: ['ticker'] })
    expect(await feed.next(ofType('error'))).toEqual({
      type: 'error',
      message: 'Failed to subscribe',
      reason: 'BTC-USDX is not a valid product',
    })
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['tickers'] })
    expect(await feed.next(ofType('error'))).toMatchObject({ reason: 'tickers is not a valid channel' })
    feed.send({ type: 'hello' })
    expect(await feed.next(ofType('error'))).toMatchObject({ message: 'Failed to subscribe' })
  })

  it('disconnects a connection that does not subscribe within 5 s (scaled)', async () => {
    const feed = await client()
    expect(await feed.closed()).toBe(1000)
  })

  it('drops the whole channel on an unsubscribe without product ids', async () => {
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD', 'SOL-USD'], channels: ['heartbeat', 'ticker'] })
    await feed.next(ofType('subscriptions'))
    feed.send(JSON.parse(readFixture('coinbase', 'doc_unsubscribe_request.json')))
    expect((await feed.next(ofType('subscriptions'))).channels).toEqual([
      { name: 'ticker', product_ids: ['BTC-USD', 'SOL-USD'] },
    ])
    feed.send({ type: 'unsubscribe', channels: [{ name: 'ticker', product_ids: ['SOL-USD'] }] })
    expect((await feed.next(ofType('subscriptions'))).channels).toEqual([
      { name: 'ticker', product_ids: ['BTC-USD'] },
    ])
  })

  it('answers the next subscribe with an error on an errorReply fault', async () => {
    sim.inject('coinbase', { kind: 'errorReply' })
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['ticker'] })
    expect(await feed.next(ofType('error'))).toMatchObject({ message: 'Failed to subscribe' })
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['ticker'] })
    await feed.next(ofType('subscriptions'))
  })

  it('drops one match on a sequenceGap fault; the heartbeat last_trade_id reveals it', async () => {
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['matches', 'heartbeat'] })
    await feed.next(ofType('subscriptions'))
    const before = sim.trueTrades('coinbase', 'BTC-USD').length
    stepUntilTrades('BTC-USD', 1)
    const first = sim.trueTrades('coinbase', 'BTC-USD')[before]!
    await feed.next((frame) => frame.type === 'match' && frame.trade_id === first.id)
    sim.inject('coinbase', { kind: 'sequenceGap', symbol: 'BTC/USD' })
    stepUntilTrades('BTC-USD', 2)
    const next = await feed.next(ofType('match'))
    expect(next.trade_id).toBe(first.id + 2)
    const heartbeat = await feed.next(ofType('heartbeat'))
    expect(heartbeat.last_trade_id).toBeGreaterThanOrEqual(first.id + 2)
  })

  it('limits inbound messages with a 1000-message burst and answers the excess with an error', async () => {
    const feed = await client()
    for (let i = 0; i < 1_010; i++) feed.send({ type: 'unsubscribe', channels: ['heartbeat'] })
    expect(await feed.first(ofType('error'))).toEqual({
      type: 'error',
      message: 'Rate limit exceeded',
      reason: 'Too many messages; slow down',
    })
    expect(feed.frames.filter((frame) => frame.type === 'subscriptions').length).toBeGreaterThanOrEqual(1_000)
  })

  it('closes connections on paths other than the feed at /', async () => {
    const feed = await FeedClient.open(`${sim.venues.coinbase.ws}/ws`)
    clients.push(feed)
    expect(await feed.closed()).toBe(1008)
  })

  it('disconnects a slow consumer with ErrSlowConsume', async () => {
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['heartbeat'] })
    await feed.next(ofType('subscriptions'))
    const reason = new Promise<string>((resolve) =>
      feed.socket.once('close', (_code, text) => resolve(String(text))),
    )
    sim.inject('coinbase', { kind: 'slowConsumer' })
    expect(await reason).toBe('ErrSlowConsume')
  })

  it('drops connections on a drop fault with the chosen code', async () => {
    const feed = await client()
    feed.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['heartbeat'] })
    await feed.next(ofType('subscriptions'))
    sim.inject('coinbase', { kind: 'drop', code: 4000 })
    expect(await feed.closed()).toBe(4000)
  })
})

describe('coinbase feed authentication', () => {
  it('matches the derived test vector', () => {
    const vector = JSON.parse(readFixture('coinbase', 'derived_auth_test_vector.json'))
    expect(coinbaseFeedSignature(vector.secret_base64, vector.timestamp)).toBe(vector.signature_base64)
    expect(COINBASE_SIM_ACCOUNT.secret).toBe(vector.secret_base64)
  })

  it('accepts a signed level2/user/balance subscribe and streams synthetic orders and balances', async () => {
    const feed = await client()
    feed.send({
      type: 'subscribe',
      channels: [
        { name: 'level2', product_ids: ['BTC-USD'] },
        { name: 'user', product_ids: ['BTC-USD'] },
        { name: 'balance', product_ids: ['BTC-USD'] },
      ],
      ...signedFields(COINBASE_SIM_ACCOUNT.secret, Math.floor(Date.now() / 1000)),
    })
    const subscriptions = await feed.next(ofType('subscriptions'))
    expect(subscriptions.channels).toHaveLength(3)
    await feed.next(ofType('snapshot'))
    stepUntilTrades('BTC-USD', 6)
    const received = await feed.next(ofType('received'))
    expect(received).toMatchObject({
      product_id: 'BTC-USD',
      order_type: 'limit',
      user_id: expect.any(String),
    })
    const done = await feed.next(ofType('done'))
    expect(done).toMatchObject({ order_id: received.order_id, reason: 'filled' })
    expect(await feed.next(ofType('balance'))).toMatchObject({
      currency: expect.any(String),
      available: expect.any(String),
    })
  })

  it('refuses a wrong secret and a drifted clock with the venue errors', async () => {
    const feed = await client()
    const wrongSecret = Buffer.from('not-the-secret').toString('base64')
    feed.send({
      type: 'subscribe',
      channels: [{ name: 'level2', product_ids: ['BTC-USD'] }],
      ...signedFields(wrongSecret, Math.floor(Date.now() / 1000)),
    })
    expect(await feed.next(ofType('error'))).toEqual({
      type: 'error',
      message: 'Authentication Failed',
      reason: 'invalid signature',
    })
    feed.send({
      type: 'subscribe',
      channels: [{ name: 'level2', product_ids: ['BTC-USD'] }],
      ...signedFields(COINBASE_SIM_ACCOUNT.secret, Math.floor(Date.now() / 1000) - 120),
    })
    expect(await feed.next(ofType('error'))).toEqual({
      type: 'error',
      message: 'Authentication Failed',
      reason: 'request timestamp expired',
    })
  })
})

describe('coinbase REST', () => {
  const get = async (path: string) => {
    const response = await fetch(`${sim.venues.coinbase.rest}${path}`)
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown }
  }

  it('lists products with tick and lot sizes', async () => {
    const { body } = await get('/products')
    expect(body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'BTC-USD',
          base_currency: 'BTC',
          quote_currency: 'USD',
          quote_increment: '0.01',
          base_increment: '0.00000001',
        }),
        expect.objectContaining({ id: 'SOL-USD', base_increment: '0.001' }),
      ]),
    )
    expect((await get('/products/NOPE-USD')).status).toBe(404)
  })

  it('serves the time, the book with its sequence and newest-first trades with cursors', async () => {
    const time = (await get('/time')).body as { iso: string; epoch: number }
    expect(Math.abs(time.epoch * 1000 - Date.now())).toBeLessThan(5_000)
    const book = (await get('/products/BTC-USD/book?level=2')).body as { bids: unknown[]; sequence: number }
    expect(book.bids.length).toBe(sim.trueBook('coinbase', 'BTC-USD').bids.length)
    expect(book.sequence).toBeGreaterThan(0)
    stepUntilTrades('BTC-USD', 5)
    const truth = sim.trueTrades('coinbase', 'BTC-USD')
    const newest = truth[truth.length - 1]!
    const page = await get('/products/BTC-USD/trades?limit=2')
    expect((page.body as { trade_id: number }[]).map((t) => t.trade_id)).toEqual([newest.id, newest.id - 1])
    expect(page.headers.get('cb-after')).toBe(String(newest.id - 1))
    const older = await get(`/products/BTC-USD/trades?limit=2&after=${newest.id - 1}`)
    expect((older.body as { trade_id: number }[]).map((t) => t.trade_id)).toEqual([
      newest.id - 2,
      newest.id - 3,
    ])
  })

  it('fails REST requests on a rest fault with the venue error body', async () => {
    sim.inject('coinbase', { kind: 'rest', status: 503, count: 1, path: '/products' })
    const failed = await get('/products')
    expect(failed).toMatchObject({ status: 503, body: { message: 'Service Unavailable' } })
    expect((await get('/products')).status).toBe(200)
  })
})
