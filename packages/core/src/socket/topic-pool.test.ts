import { afterEach, describe, expect, it } from 'vitest'
import type { TickmeshError } from '../errors'
import { SubscriptionError } from '../errors'
import type { TestServer } from './socket-test-helpers'
import { activeResourceCounts, sleep, startTestServer, waitFor } from './socket-test-helpers'
import type { SocketStatusChange } from './socket-types'
import { createTopicPool } from './topic-pool'
import type { ControlFrame, TopicPool, TopicPoolOptions } from './topic-pool-types'

/**
 * A toy venue: `{"op":"sub"|"unsub","id","args":[…]}`; acks `{"ack":id,"ok":true}`; refuses topics
 * starting with `bad` (naming them); never answers topics starting with `slow`; with `nullIds`,
 * acks carry no id (Coinbase style).
 */
async function venueServer(settings: { nullIds?: boolean } = {}): Promise<TestServer> {
  const server = await startTestServer()
  server.wss.on('connection', (client) => {
    // `flaky` topics are accepted on the first connection only; `lazy` ones are not answered after it.
    const later = server.clients.length > 1
    client.on('message', (data) => {
      const request = JSON.parse(data.toString()) as { op: string; id: string; args: string[] }
      if (request.op === 'auth') return
      if (request.args.some((topic) => topic.startsWith('slow') || (later && topic.startsWith('lazy'))))
        return
      const bad = request.args.filter(
        (topic) => topic.startsWith('bad') || (later && topic.startsWith('flaky')),
      )
      const ack = settings.nullIds ? null : request.id
      client.send(
        JSON.stringify(
          bad.length > 0
            ? { ack, ok: false, msg: `unknown topic ${bad.join(',')}`, topics: bad }
            : { ack, ok: true },
        ),
      )
    })
  })
  cleanups.push(() => server.close())
  return server
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

function parseControl(text: string): ControlFrame | null {
  if (!text.startsWith('{"ack"')) return null
  const frame = JSON.parse(text) as { ack: string | null; ok: boolean; msg?: string; topics?: string[] }
  const control: ControlFrame = { requestId: frame.ack, ok: frame.ok }
  if (frame.msg !== undefined) control.message = frame.msg
  if (frame.topics !== undefined) control.topics = frame.topics
  return control
}

interface PoolHarness {
  pool: TopicPool
  data: { text: string; connection: number }[]
  statuses: { change: SocketStatusChange; connection: number }[]
  errors: TickmeshError[]
}

function makePool(server: TestServer, overrides: Partial<TopicPoolOptions> = {}): PoolHarness {
  const harness: PoolHarness = { pool: undefined as unknown as TopicPool, data: [], statuses: [], errors: [] }
  harness.pool = createTopicPool({
    label: 'binance-test',
    urls: [server.url],
    maxTopicsPerConnection: 10,
    maxTopicsPerRequest: 10,
    backoff: { baseDelayMs: 20, maxDelayMs: 100 },
    openTimeoutMs: 2_000,
    ackTimeoutMs: 5_000,
    buildSubscribe: (topics, id) => JSON.stringify({ op: 'sub', id, args: topics }),
    buildUnsubscribe: (topics, id) => JSON.stringify({ op: 'unsub', id, args: topics }),
    parseControl,
    onMessage: (text, _receivedAt, connection) => harness.data.push({ text, connection: connection.index }),
    onStatus: (change, connection) => harness.statuses.push({ change, connection: connection.index }),
    onError: (error) => harness.errors.push(error),
    ...overrides,
  })
  cleanups.push(() => harness.pool.close())
  return harness
}

function requestsOf(server: TestServer, index?: number): { op: string; id: string; args: string[] }[] {
  return server.received
    .filter((item) => index === undefined || item.index === index)
    .map((item) => JSON.parse(item.text) as { op: string; id: string; args: string[] })
}

describe('createTopicPool', () => {
  it('batches subscribes by maxTopicsPerRequest, matches acks by id, forwards only data frames', async () => {
    const server = await venueServer()
    const h = makePool(server, { maxTopicsPerRequest: 2 })
    await h.pool.add(['a', 'b', 'c', 'a'])
    const subs = requestsOf(server)
    expect(subs.map((request) => request.args)).toEqual([['a', 'b'], ['c']])
    expect(new Set(subs.map((request) => request.id)).size).toBe(2)
    expect(h.pool.has('a') && h.pool.has('c')).toBe(true)
    server.clients[0]?.send('{"topic":"a","price":1}')
    await waitFor(() => h.data.length === 1)
    expect(h.data[0]).toEqual({ text: '{"topic":"a","price":1}', connection: 0 })
    // Adding a known topic again sends nothing.
    await h.pool.add(['a'])
    expect(requestsOf(server)).toHaveLength(2)
  })

  it('rejects a refused topic with SubscriptionError carrying the venue text; the others stay', async () => {
    const server = await venueServer()
    const h = makePool(server)
    const error = await h.pool.add(['good', 'bad.FOO']).catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(SubscriptionError)
    expect((error as SubscriptionError).venueMessage).toBe('unknown topic bad.FOO')
    expect((error as SubscriptionError).venue).toBe('binance')
    expect(h.pool.has('good')).toBe(true)
    expect(h.pool.has('bad.FOO')).toBe(false)
  })

  it('fails with SubscriptionError when the ack does not come in time', async () => {
    const server = await venueServer()
    const h = makePool(server, { ackTimeoutMs: 200 })
    await expect(h.pool.add(['slow.X'])).rejects.toThrow(
      /did not acknowledge subscribe of slow\.X within 200 ms/,
    )
    expect(h.pool.has('slow.X')).toBe(false)
  })

  it('resolves the oldest pending request when the venue echoes no id', async () => {
    const server = await venueServer({ nullIds: true })
    const h = makePool(server, { maxTopicsPerRequest: 1 })
    await h.pool.add(['x', 'y'])
    expect(h.pool.has('x') && h.pool.has('y')).toBe(true)
  })

  it('splits topics across connections by topic count and by characters', async () => {
    const server = await venueServer()
    const h = makePool(server, { maxTopicsPerConnection: 2 })
    await h.pool.add(['t1', 't2', 't3', 't4', 't5'])
    expect(h.pool.connections.map((connection) => [...connection.topics])).toEqual([
      ['t1', 't2'],
      ['t3', 't4'],
      ['t5'],
    ])
    expect(server.clients).toHaveLength(3)

    const byChars = makePool(server, { maxTopicCharsPerConnection: 10 })
    await byChars.pool.add(['aaaa', 'bbbb', 'cccc'])
    expect(byChars.pool.connections.map((connection) => [...connection.topics])).toEqual([
      ['aaaa', 'bbbb'],
      ['cccc'],
    ])
  })

  it('after the server kills every socket, reconnects, sends auth first and replays every topic', async () => {
    const server = await venueServer()
    const opens: { index: number; isReconnect: boolean }[] = []
    const h = makePool(server, {
      maxTopicsPerConnection: 2,
      onOpen: (connection, isReconnect) => {
        opens.push({ index: connection.index, isReconnect })
        connection.send(JSON.stringify({ op: 'auth', id: 'auth', args: [] }))
      },
    })
    await h.pool.add(['a', 'b', 'c'])
    for (const client of server.clients) client.terminate()
    await waitFor(() => server.clients.length === 4, 10_000, 'both connections back')
    await waitFor(() => requestsOf(server, 2).length >= 2 && requestsOf(server, 3).length >= 2)
    const replayed = [requestsOf(server, 2), requestsOf(server, 3)]
    for (const requests of replayed) expect(requests[0]?.op).toBe('auth')
    const topics = replayed.flatMap((requests) =>
      requests.filter((r) => r.op === 'sub').flatMap((r) => r.args),
    )
    expect(topics.sort()).toEqual(['a', 'b', 'c'])
    expect(opens.filter((open) => open.isReconnect)).toHaveLength(2)
    // The pool works after the replay: new topics go on the connection with room.
    await h.pool.add(['d'])
    expect(h.pool.connections[1]?.topics.has('d')).toBe(true)
  })

  it('reports a replay refused after a reconnect via onError, retries it, then drops only that topic', async () => {
    const server = await venueServer()
    const h = makePool(server)
    await h.pool.add(['steady', 'flaky.X'])
    server.clients[0]?.terminate()
    // A refused replay is retried on fresh connections (a passing glitch) before the topic is dropped.
    await waitFor(() => !h.pool.has('flaky.X'), 10_000, 'dropped after repeated refusals')
    const refusals = h.errors.filter((error) => error instanceof SubscriptionError) as SubscriptionError[]
    expect(refusals).toHaveLength(3)
    for (const refusal of refusals) expect(refusal.venueMessage).toBe('unknown topic flaky.X')
    expect(h.pool.has('steady')).toBe(true)
  })

  it('reconnects when a replay goes unanswered', async () => {
    const server = await venueServer()
    const h = makePool(server, { ackTimeoutMs: 300 })
    await h.pool.add(['lazy.X'])
    server.clients[0]?.terminate()
    await waitFor(() => server.clients.length >= 3, 10_000, 'a second reconnect')
    expect(
      h.statuses.some((status) => /subscription replay not acknowledged/.test(status.change.reason)),
    ).toBe(true)
    expect(h.pool.has('lazy.X')).toBe(true)
  })

  it('unsubscribes removed topics and closes a connection left with none', async () => {
    const server = await venueServer()
    const h = makePool(server, { maxTopicsPerConnection: 2 })
    await h.pool.add(['a', 'b', 'c'])
    await h.pool.remove(['a'])
    expect(requestsOf(server, 0).at(-1)).toMatchObject({ op: 'unsub', args: ['a'] })
    expect(h.pool.has('a')).toBe(false)
    await h.pool.remove(['c'])
    expect(h.pool.connections).toHaveLength(1)
    await waitFor(() => server.clients[1]?.readyState === server.clients[1]?.CLOSED, 5_000, 'close')
    expect(requestsOf(server, 1).some((request) => request.op === 'unsub')).toBe(false)
  })

  it('reconnects a connection whose topic goes stale (learned idle timeout) and resubscribes', async () => {
    const server = await venueServer()
    const h = makePool(server, { idle: { minMs: 150, maxMs: 5_000 } })
    await h.pool.add(['trades.X'])
    for (let index = 0; index < 20; index++) {
      h.pool.touch('trades.X', performance.timeOrigin + performance.now())
      await sleep(10)
    }
    await waitFor(() => h.statuses.some((status) => status.change.state === 'stale'), 10_000, 'stale')
    await waitFor(() => requestsOf(server, 1).some((request) => request.args.includes('trades.X')))
  })

  it('close() rejects pending adds, closes every connection and leaves no handles', async () => {
    const server = await venueServer()
    await sleep(50)
    const before = activeResourceCounts()
    const h = makePool(server, { maxTopicsPerConnection: 1, keepAlive: { intervalMs: 50 } })
    await h.pool.add(['a', 'b'])
    const pending = h.pool.add(['slow.1']).catch((error: unknown) => error)
    await h.pool.close()
    expect(await pending).toBeInstanceOf(SubscriptionError)
    expect(h.pool.connections).toHaveLength(0)
    await waitFor(
      () => [...activeResourceCounts()].every(([name, count]) => count <= (before.get(name) ?? 0)),
      5_000,
      'handles to drain',
    )
    await expect(h.pool.add(['c'])).rejects.toThrow(/closed/)
  })
})
