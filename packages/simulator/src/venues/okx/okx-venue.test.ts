import { OrderBook, type RawLevel } from '@tickmesh/core'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { readFixtureFrame } from '../../../../../test-support/fixtures'
import { expectSameShape } from '../../conformance/index'
import { type Simulator, startSimulator } from '../../server/index'
import { OKX_SIM_CREDENTIALS, okxLoginSign } from './index'

// A minimal client for the tests: collects frames, waits for one matching a predicate.
class TestClient {
  readonly frames: string[] = []
  private waiters: { test: (text: string) => boolean; resolve: (text: string) => void }[] = []
  closeCode: number | null = null
  private readonly closed: Promise<number>

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString()
      this.frames.push(text)
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test(text)) return true
        waiter.resolve(text)
        return false
      })
    })
    this.closed = new Promise((resolve) =>
      socket.once('close', (code) => {
        this.closeCode = code
        resolve(code)
      }),
    )
  }

  static async open(url: string): Promise<TestClient> {
    const socket = new WebSocket(url)
    const client = new TestClient(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    return client
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value))
  }

  waitFor(test: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const found = this.frames.find(test)
    if (found !== undefined) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms`)), timeoutMs)
      this.waiters.push({
        test,
        resolve: (text) => {
          clearTimeout(timer)
          resolve(text)
        },
      })
    })
  }

  /** Waits for the next frame matching `test` that arrives after now. */
  waitForNext(test: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const seen = this.frames.length
    return this.waitFor((text) => test(text) && this.frames.indexOf(text) >= seen, timeoutMs)
  }

  waitClose(): Promise<number> {
    return this.closed
  }

  close(): void {
    this.socket.terminate()
  }
}

const has = (fragment: string) => (text: string) => text.includes(fragment)
const data = (channel: string) => (text: string) => text.startsWith(`{"arg":{"channel":"${channel}"`)

let sim: Simulator | null = null
const clients: TestClient[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await sim?.close()
  sim = null
})

async function start(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  sim = await startSimulator({ venues: ['okx'], seed: 7, autoStart: false, ...options })
  return sim
}

async function connect(path: string): Promise<TestClient> {
  const client = await TestClient.open(`${sim!.venues.okx.ws}${path}`)
  clients.push(client)
  return client
}

async function getJson(
  path: string,
): Promise<{ status: number; body: { code: string; msg: string; data: unknown[] } }> {
  const response = await fetch(`${sim!.venues.okx.rest}${path}`)
  return {
    status: response.status,
    body: (await response.json()) as { code: string; msg: string; data: unknown[] },
  }
}

describe('okx simulator: REST', () => {
  it('serves instruments with tick/lot sizes and SWAP contract values', async () => {
    await start()
    const spot = await getJson('/api/v5/public/instruments?instType=SPOT')
    expect(spot.status).toBe(200)
    expect(spot.body.code).toBe('0')
    expect(spot.body.data).toContainEqual(
      expect.objectContaining({
        instType: 'SPOT',
        instId: 'BTC-USDT',
        baseCcy: 'BTC',
        quoteCcy: 'USDT',
        tickSz: '0.1',
        lotSz: '0.00000001',
      }),
    )
    const swap = await getJson('/api/v5/public/instruments?instType=SWAP')
    expect(swap.body.data).toContainEqual(
      expect.objectContaining({
        instType: 'SWAP',
        instId: 'BTC-USDT-SWAP',
        settleCcy: 'USDT',
        ctVal: '0.01',
        lotSz: '0.01',
      }),
    )
    const missing = await getJson('/api/v5/public/instruments')
    expect(missing).toEqual({
      status: 400,
      body: { code: '50014', msg: 'Parameter instType can not be empty.', data: [] },
    })
  })

  it('serves server time, a book snapshot equal to the true book, and recent trades', async () => {
    const simulator = await start()
    simulator.market.step(20)
    const time = await getJson('/api/v5/public/time')
    expect(Number((time.body.data[0] as { ts: string }).ts)).toBeGreaterThan(1_600_000_000_000)
    const books = await getJson('/api/v5/market/books?instId=BTC-USDT&sz=5')
    const snapshot = books.body.data[0] as { bids: string[][]; asks: string[][] }
    const truth = simulator.trueBook('okx', 'BTC-USDT', 5)
    expect(snapshot.bids.map((level) => Math.round(Number(level[0]) / 0.1))).toEqual(
      truth.bids.map((level) => level[0]),
    )
    expect(snapshot.asks).toHaveLength(5)
    const trades = await getJson('/api/v5/market/trades?instId=BTC-USDT&limit=3')
    expect(trades.body.data.length).toBeGreaterThan(0)
    expect(trades.body.data[0]).toEqual(expect.objectContaining({ instId: 'BTC-USDT', source: '0' }))
    const unknown = await getJson('/api/v5/market/books?instId=BTC-USDC')
    expect(unknown.body.code).toBe('51001')
  })

  it('answers an injected REST 429 with the OKX envelope', async () => {
    const simulator = await start()
    simulator.inject('okx', { kind: 'rest', status: 429 })
    const limited = await getJson('/api/v5/public/time')
    expect(limited.status).toBe(429)
    expect(limited.body.code).toBe('50011')
    expect((await getJson('/api/v5/public/time')).status).toBe(200)
  })
})

describe('okx simulator: public WebSocket protocol', () => {
  it('acks subscribe/unsubscribe in the fixture shapes and streams each channel in the fixture shapes', async () => {
    const simulator = await start()
    const client = await connect('/ws/v5/public')
    client.send({
      id: '1512',
      op: 'subscribe',
      args: ['tickers', 'trades', 'books', 'books5', 'bbo-tbt'].map((channel) => ({
        channel,
        instId: 'BTC-USDT',
      })),
    })
    const ack = await client.waitFor(has('"event":"subscribe"'))
    expectSameShape(ack, readFixtureFrame('okx', 'doc_subscribe_response.json'))
    expect(JSON.parse(ack)).toMatchObject({ id: '1512', arg: { channel: 'tickers', instId: 'BTC-USDT' } })
    const snapshot = await client.waitFor(has('"action":"snapshot"'))
    expectSameShape(snapshot, readFixtureFrame('okx', 'doc_books_snapshot_2026.json'))
    expect(JSON.parse(snapshot).data[0].prevSeqId).toBe(-1)
    simulator.market.step(40)
    const update = await client.waitFor(has('"action":"update"'))
    expectSameShape(update, readFixtureFrame('okx', 'doc_books_update_2026.json'))
    expectSameShape(await client.waitFor(data('tickers')), readFixtureFrame('okx', 'doc_tickers.json'))
    expectSameShape(await client.waitFor(data('trades')), readFixtureFrame('okx', 'doc_trades.json'))
    expectSameShape(await client.waitFor(data('books5')), readFixtureFrame('okx', 'doc_books5.json'))
    expectSameShape(await client.waitFor(data('bbo-tbt')), readFixtureFrame('okx', 'doc_bbo-tbt.json'))
    client.send({ op: 'unsubscribe', args: [{ channel: 'tickers', instId: 'BTC-USDT' }] })
    const unsubscribed = await client.waitFor(has('"event":"unsubscribe"'))
    expectSameShape(unsubscribed, readFixtureFrame('okx', 'doc_unsubscribe_response.json'))
  })

  it('refuses candles on /public with 64001 and serves them on /business in the fixture shape', async () => {
    const simulator = await start()
    const publicClient = await connect('/ws/v5/public')
    publicClient.send({ id: '7', op: 'subscribe', args: [{ channel: 'candle1m', instId: 'BTC-USDT' }] })
    const refused = JSON.parse(await publicClient.waitFor(has('"event":"error"')))
    expect(refused).toMatchObject({ id: '7', event: 'error', code: '64001' })
    const business = await connect('/ws/v5/business')
    business.send({ op: 'subscribe', args: [{ channel: 'candle1m', instId: 'BTC-USDT-SWAP' }] })
    await business.waitFor(has('"event":"subscribe"'))
    simulator.market.step(60)
    const candle = await business.waitFor(data('candle1m'))
    expectSameShape(candle, readFixtureFrame('okx', 'doc_candle1D.json'))
    expect(JSON.parse(candle).data[0]).toHaveLength(9)
  })

  it('answers an unknown instId with 60018 and a malformed request with 60012, in the fixture shape', async () => {
    await start()
    const client = await connect('/ws/v5/public')
    client.send({ id: '1512', op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDX' }] })
    const unknown = await client.waitFor(has('60018'))
    expectSameShape(unknown, readFixtureFrame('okx', 'doc_error_60012_invalid_request.json'))
    expect(JSON.parse(unknown).msg).toContain('instId:BTC-USDX')
    const bad = '{"op": "subscribe", "argss":[{ "channel" : "books", "instId" : "BTC-USD-191227"}]}'
    client.send(bad)
    const invalid = JSON.parse(await client.waitFor(has('60012')))
    expect(invalid).toMatchObject({ event: 'error', code: '60012', msg: `Invalid request: ${bad}` })
  })

  it('limits subscribe/unsubscribe/login ops to 480 per connection per hour (60014)', async () => {
    await start()
    const client = await connect('/ws/v5/public')
    for (let i = 0; i < 481; i++) {
      client.send({ id: `r${i}`, op: 'unsubscribe', args: [{ channel: 'tickers', instId: 'BTC-USDT' }] })
    }
    const refused = JSON.parse(await client.waitFor(has('60014')))
    expect(refused).toMatchObject({ id: 'r480', event: 'error', code: '60014' })
    expect(client.frames.filter((frame) => frame.includes('"event":"unsubscribe"'))).toHaveLength(480)
  })

  it('answers the text ping with pong and closes an idle connection with 4004', async () => {
    await start({ timeScale: 0.01 })
    const client = await connect('/ws/v5/public')
    client.send('ping')
    await client.waitFor((text) => text === 'pong')
    expect(await client.waitClose()).toBe(4004)
  })

  it('sends the 64008 notice before a planned disconnect', async () => {
    const simulator = await start({ timeScale: 0.02 })
    const client = await connect('/ws/v5/public')
    // Keep the connection busy so the 30 s idle close (600 ms here) does not come first.
    const pinger = setInterval(() => client.send('ping'), 50)
    client.socket.once('close', () => clearInterval(pinger))
    client.send({ op: 'subscribe', args: [{ channel: 'tickers', instId: 'BTC-USDT' }] })
    await client.waitFor(has('"event":"subscribe"'))
    simulator.inject('okx', { kind: 'plannedDisconnect' })
    const notice = await client.waitFor(has('"event":"notice"'))
    expectSameShape(notice, readFixtureFrame('okx', 'doc_notice_service_upgrade.json'))
    expect(await client.waitClose()).toBe(1012)
  })
})

function applyOkx(
  book: OrderBook,
  message: { data: { bids: string[][]; asks: string[][]; seqId: number }[] },
): void {
  const data = message.data[0]!
  const toRaw = (levels: string[][]): RawLevel[] => levels.map((level) => [level[0]!, level[1]!] as const)
  book.applyLevels('bid', toRaw(data.bids))
  book.applyLevels('ask', toRaw(data.asks))
  book.sequence = data.seqId
}

describe('okx simulator: books sequence rules', () => {
  it('chains prevSeqId to the previous seqId, sends real checksums when asked, and rebuilds the true book', async () => {
    const simulator = await start({ okxChecksums: true })
    const client = await connect('/ws/v5/public')
    client.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'ETH-USDT-SWAP' }] })
    const snapshot = JSON.parse(await client.waitFor(has('"action":"snapshot"')))
    const book = new OrderBook()
    const toRaw = (levels: string[][]): RawLevel[] => levels.map((level) => [level[0]!, level[1]!] as const)
    book.applySnapshot(toRaw(snapshot.data[0].bids), toRaw(snapshot.data[0].asks), snapshot.data[0].seqId)
    expect(snapshot.data[0].checksum).toBe(book.okxChecksum())
    let updates = 0
    for (let round = 0; round < 5; round++) {
      simulator.market.step(5)
      const text = await client.waitForNext(has('"action":"update"'))
      const update = JSON.parse(text)
      expect(update.data[0].prevSeqId).toBe(book.sequence)
      applyOkx(book, update)
      expect(update.data[0].checksum).toBe(book.okxChecksum())
      updates++
    }
    expect(updates).toBe(5)
    const truth = simulator.trueBook('okx', 'ETH-USDT-SWAP', 400)
    const top = book.top(400)
    expect(top.bids.map((level) => Math.round(level[0] / 0.01))).toEqual(truth.bids.map((level) => level[0]))
    expect(top.asks.map((level) => Math.round(level[1] / 0.01))).toEqual(truth.asks.map((level) => level[1]))
  })

  it('an injected sequence gap loses one increment so the next prevSeqId does not chain', async () => {
    const simulator = await start()
    const client = await connect('/ws/v5/public')
    client.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }] })
    const snapshot = JSON.parse(await client.waitFor(has('"action":"snapshot"')))
    simulator.inject('okx', { kind: 'sequenceGap', symbol: 'BTC-USDT' })
    simulator.market.step(5)
    await new Promise((resolve) => setTimeout(resolve, 250))
    simulator.market.step(5)
    const update = JSON.parse(await client.waitFor(has('"action":"update"')))
    expect(update.data[0].prevSeqId).not.toBe(snapshot.data[0].seqId)
  })

  it('an injected bad checksum is non-zero and wrong', async () => {
    const simulator = await start()
    const client = await connect('/ws/v5/public')
    client.send({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT' }] })
    const snapshot = JSON.parse(await client.waitFor(has('"action":"snapshot"')))
    expect(snapshot.data[0].checksum).toBe(0)
    const book = new OrderBook()
    const toRaw = (levels: string[][]): RawLevel[] => levels.map((level) => [level[0]!, level[1]!] as const)
    book.applySnapshot(toRaw(snapshot.data[0].bids), toRaw(snapshot.data[0].asks), snapshot.data[0].seqId)
    simulator.inject('okx', { kind: 'badChecksum' })
    simulator.market.step(5)
    const update = JSON.parse(await client.waitFor(has('"action":"update"')))
    applyOkx(book, update)
    expect(update.data[0].checksum).not.toBe(0)
    expect(update.data[0].checksum).not.toBe(book.okxChecksum())
  })
})

describe('okx simulator: private stream', () => {
  function loginArgs(timestampSeconds: string, secret: string = OKX_SIM_CREDENTIALS.secret) {
    return {
      op: 'login',
      args: [
        {
          apiKey: OKX_SIM_CREDENTIALS.apiKey,
          passphrase: OKX_SIM_CREDENTIALS.passphrase,
          timestamp: timestampSeconds,
          sign: okxLoginSign(secret, timestampSeconds),
        },
      ],
    }
  }

  it('signs exactly like the documented vector', () => {
    expect(okxLoginSign('22582BD0CFF14C41EDBF1AB98506286D', '1538054050')).toBe(
      '+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=',
    )
  })

  it('logs in, then streams orders and balances', async () => {
    await start({ timeScale: 0.05 })
    const client = await connect('/ws/v5/private')
    client.send({ op: 'subscribe', args: [{ channel: 'orders', instType: 'ANY' }] })
    expect(JSON.parse(await client.waitFor(has('"event":"error"')))).toMatchObject({ code: '60011' })
    client.send(loginArgs(String(Math.floor(Date.now() / 1000))))
    const login = await client.waitFor(has('"event":"login"'))
    expectSameShape(login, readFixtureFrame('okx', 'doc_login_response_success.json'))
    client.send({ op: 'subscribe', args: [{ channel: 'orders', instType: 'ANY' }, { channel: 'account' }] })
    const orderFrame = await client.waitFor((text) => text.startsWith('{"arg":{"channel":"orders"'))
    expect(JSON.parse(orderFrame).data[0]).toEqual(
      expect.objectContaining({ instId: 'BTC-USDT', state: 'live' }),
    )
    const account = JSON.parse(await client.waitFor((text) => text.startsWith('{"arg":{"channel":"account"')))
    expect(account.data[0].details[0]).toEqual(expect.objectContaining({ ccy: 'USDT' }))
  })

  it('refuses a wrong secret with 60007 and a drifted clock with 60006, in the fixture error shape', async () => {
    await start()
    const client = await connect('/ws/v5/private')
    client.send(loginArgs(String(Math.floor(Date.now() / 1000)), 'wrong-secret'))
    const wrongSign = await client.waitFor(has('"event":"error"'))
    expectSameShape(wrongSign, readFixtureFrame('okx', 'doc_login_response_error.json'))
    expect(JSON.parse(wrongSign)).toMatchObject({ code: '60007', msg: 'Invalid sign' })
    client.send(loginArgs(String(Math.floor(Date.now() / 1000) - 120)))
    expect(JSON.parse(await client.waitForNext(has('"event":"error"')))).toMatchObject({
      code: '60006',
      msg: 'Timestamp request expired',
    })
  })
})
