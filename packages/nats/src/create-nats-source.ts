import type { NatsConnection } from '@nats-io/transport-node'
import {
  type Channel,
  ConnectionError,
  EventStream,
  type Instrument,
  type MarketEvent,
  type MarketEventKind,
  nowMs,
  type SubscribeRequest,
  type Subscription,
  type SubscriptionHandlers,
  type TickmeshError,
  type VenueAdapter,
  type VenueId,
} from '@tickmesh/core'
import { connectNats } from './connect-nats'
import { type EventSubscription, type SubscribeEventsOptions, subscribeEvents } from './subscribe-events'

/** The event kind each channel carries. */
export const CHANNEL_KINDS: Readonly<Record<Channel, MarketEventKind>> = {
  ticker: 'ticker',
  trades: 'trade',
  bbo: 'bbo',
  book: 'book',
  candles: 'candle',
  orders: 'order',
  balances: 'balance',
}

interface ReaderHandle {
  stop(): Promise<void>
}

export type NatsSourceOptions = Omit<SubscribeEventsOptions, 'onReady'>

/**
 * A `VenueAdapter` that reads a venue's events from JetStream instead of the venue: what collectors
 * stored, starting (by default) from the latest event of every subject, so an aggregator or dashboard
 * rebuilds its state at once and then follows live. Anything built on adapters (the multi-venue
 * client, `tickmesh watch`, the AI worker) runs unchanged on top. `source` is a `nats://` URL (one
 * connection per adapter, closed by `close()`) or an open connection (left open).
 */
export function createNatsSource(
  source: string | NatsConnection,
  venue: VenueId,
  options: NatsSourceOptions = {},
): VenueAdapter {
  const global = new EventStream({ venue })
  const readers = new Set<EventSubscription>()
  let connecting: Promise<NatsConnection> | null = null
  let statusReader: ReaderHandle | null = null
  let nextId = 0
  let closed = false

  const connection = (): Promise<NatsConnection> => {
    connecting ??=
      typeof source === 'string'
        ? connectNats(source, { name: `tickmesh-source-${venue}` })
        : Promise.resolve(source)
    return connecting
  }

  const errorEvent = (error: TickmeshError): MarketEvent => ({
    kind: 'error',
    venue,
    market: null,
    symbol: null,
    code: error.code,
    message: error.shortMessage,
    hint: error.hint,
    raw: null,
    receivedAt: nowMs(),
  })

  const reportError = (error: TickmeshError): void => {
    global.push(errorEvent(error))
    options.onError?.(error)
  }

  /** Reads into `targets` until closed; resolves `ready` when the consumer exists. */
  const pump = (
    filter: Parameters<typeof subscribeEvents>[1],
    from: SubscribeEventsOptions['from'],
    targets: readonly EventStream[],
    ready: { resolve: () => void; reject: (error: unknown) => void },
  ): ReaderHandle => {
    let reader: EventSubscription | null = null
    let stopped = false
    void (async () => {
      try {
        const nc = await connection()
        if (closed || stopped) return ready.resolve()
        reader = subscribeEvents(nc, filter, {
          ...options,
          ...(from === undefined ? {} : { from }),
          onError: reportError,
          onReady: ready.resolve,
        })
        readers.add(reader)
        for await (const event of reader) {
          for (const target of targets) target.push(event)
        }
      } catch (error) {
        const failure =
          error instanceof ConnectionError
            ? error
            : new ConnectionError(`Reading ${venue} events from NATS failed.`, { cause: error })
        ready.reject(failure)
        for (const target of targets) target.push(errorEvent(failure))
      } finally {
        if (reader !== null) readers.delete(reader)
      }
    })()
    return {
      stop: async () => {
        stopped = true
        await reader?.close()
      },
    }
  }

  return {
    venue,
    subscribe(request: SubscribeRequest, handlers: SubscriptionHandlers = {}): Subscription {
      const market = request.market ?? 'spot'
      const stream = new EventStream({ venue })
      const { onEvent, onStatus } = handlers
      if (onEvent || onStatus) {
        stream.on((event) => {
          onEvent?.(event)
          if (event.kind === 'status') onStatus?.(event)
        })
      }
      let resolve!: () => void
      let reject!: (error: unknown) => void
      const ready = new Promise<void>((res, rej) => {
        resolve = res
        reject = rej
      })
      ready.catch((error: unknown) => handlers.onError?.(error as TickmeshError))
      let handle: ReaderHandle | null = null
      if (closed)
        reject(new ConnectionError(`The NATS source for ${venue} is closed.`, { hint: 'Create a new one.' }))
      else {
        // The collector's connection status for this venue, once per adapter.
        if (statusReader === null) {
          const ignore = { resolve: () => undefined, reject: () => undefined }
          statusReader = pump({ kinds: ['status', 'error'], venues: [venue] }, 'new', [global], ignore)
        }
        handle = pump(
          {
            kinds: [CHANNEL_KINDS[request.channel]],
            venues: [venue],
            markets: [market],
            symbols: request.symbols,
          },
          undefined,
          [stream, global],
          { resolve, reject },
        )
      }
      const id = `nats-${venue}-${++nextId}`
      return {
        id,
        request: Object.freeze({ ...request, symbols: [...request.symbols] }),
        ready,
        unsubscribe: async () => {
          await handle?.stop()
          stream.close()
        },
        [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
      }
    },
    onEvent: (listener) => global.on(listener),
    instruments: async (): Promise<readonly Instrument[]> => [],
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await Promise.allSettled([...readers].map((reader) => reader.close()))
      readers.clear()
      global.close()
      if (typeof source === 'string' && connecting !== null) {
        await connecting.then((nc) => nc.close()).catch(() => undefined)
      }
    },
  }
}
