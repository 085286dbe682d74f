import type { TickmeshError } from '../errors'
import { ConfigError, ConnectionError, SubscriptionError } from '../errors'
import type { VenueId } from '../venues'
import { isVenueId } from '../venues'
import { createReconnectingSocket } from './reconnecting-socket'
import type { ReconnectingSocket, ReconnectingSocketOptions } from './socket-types'
import type { ControlFrame, PoolConnection, TopicPool, TopicPoolOptions } from './topic-pool-types'

export const DEFAULT_ACK_TIMEOUT_MS = 10_000

/** Socket settings a pool passes through unchanged to each of its connections. */
const SHARED_SOCKET_KEYS = [
  'WebSocket',
  'openTimeoutMs',
  'backoff',
  'keepAlive',
  'idle',
  'maxMessagesPerSecond',
  'proxy',
  'headers',
  'maxPayloadBytes',
] as const

interface Waiter {
  resolve: () => void
  reject: (error: TickmeshError) => void
}

interface Slot {
  index: number
  socket: ReconnectingSocket
  topics: Set<string>
  chars: number
  connection: PoolConnection
  /** Requests sent on the current connection, oldest first (null-id acks resolve the oldest). */
  sent: PendingRequest[]
  closed: boolean
}

interface PendingRequest {
  id: string
  kind: 'subscribe' | 'unsubscribe'
  topics: readonly string[]
  slot: Slot
  timer: NodeJS.Timeout | null
  /** remove() callers waiting on an unsubscribe ack. */
  waiters: Waiter[]
}

function venueOf(label: string): VenueId | null {
  const prefix = label.split(/[-:/ ]/)[0]
  return isVenueId(prefix) ? prefix : null
}

function unique(topics: readonly string[]): string[] {
  return [...new Set(topics)]
}

/**
 * Plans topics onto as few connections as the venue's limits allow, batches and acks (un)subscribe
 * requests, replays every topic after a reconnect and watches each topic for silence.
 *
 * Failure rule: when add() rejects (refusal, ack timeout, connection never opened) the topic is not
 * in the pool. A topic already acked whose replay after a reconnect is refused is reported via
 * onError and retried on a fresh connection up to MAX_REPLAY_REFUSALS times in a row, then dropped;
 * a replay that is not acked in time reconnects that connection and retries.
 */
/** Consecutive refusals of a replayed topic before it is dropped (a venue glitch vs a delisting). */
const MAX_REPLAY_REFUSALS = 3

export function createTopicPool(options: TopicPoolOptions): TopicPool {
  if (options.urls.length === 0) {
    throw new ConfigError(`Topic pool ${options.label} needs at least one URL.`)
  }
  if (options.maxTopicsPerConnection < 1 || options.maxTopicsPerRequest < 1) {
    throw new ConfigError(`Topic pool ${options.label} needs positive topic limits.`, {
      details: {
        maxTopicsPerConnection: options.maxTopicsPerConnection,
        maxTopicsPerRequest: options.maxTopicsPerRequest,
      },
    })
  }
  const label = options.label
  const venue = venueOf(label)
  const ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS
  const maxChars = options.maxTopicCharsPerConnection ?? Number.POSITIVE_INFINITY
  const slots: Slot[] = []
  const topicSlot = new Map<string, Slot>()
  const topicWaiters = new Map<string, Waiter[]>()
  /** Consecutive refusals of each replayed topic (reset when the venue acks it). */
  const replayRefusals = new Map<string, number>()
  const requests = new Map<string, PendingRequest>()
  const closing = new Set<Promise<void>>()
  let nextSlotIndex = 0
  let nextRequestId = 0
  let closed = false

  function report(error: TickmeshError): void {
    if (options.onError === undefined) return
    try {
      options.onError(error)
    } catch {
      // A throwing error handler must not break the pool.
    }
  }

  function waitForTopic(topic: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = topicWaiters.get(topic)
      if (list === undefined) topicWaiters.set(topic, [{ resolve, reject }])
      else list.push({ resolve, reject })
    })
  }

  function resolveTopic(topic: string): void {
    const list = topicWaiters.get(topic)
    if (list === undefined) return
    topicWaiters.delete(topic)
    for (const waiter of list) waiter.resolve()
  }

  /** Rejects the topic's add() callers; returns false when nobody was waiting (a replayed topic). */
  function rejectTopic(topic: string, error: TickmeshError): boolean {
    const list = topicWaiters.get(topic)
    if (list === undefined) return false
    topicWaiters.delete(topic)
    for (const waiter of list) waiter.reject(error)
    return true
  }

  /** Takes a topic off its connection (no message sent). */
  function detachTopic(topic: string): Slot | undefined {
    const slot = topicSlot.get(topic)
    if (slot === undefined) return undefined
    replayRefusals.delete(topic)
    topicSlot.delete(topic)
    slot.topics.delete(topic)
    slot.chars -= topic.length
    slot.socket.unwatch(topic)
    return slot
  }

  function forgetRequest(request: PendingRequest): void {
    if (request.timer !== null) clearTimeout(request.timer)
    request.timer = null
    requests.delete(request.id)
    const position = request.slot.sent.indexOf(request)
    if (position >= 0) request.slot.sent.splice(position, 1)
  }

  function createSlot(): Slot {
    const index = nextSlotIndex++
    const socketOptions: ReconnectingSocketOptions = {
      urls: options.urls,
      label: `${label}/${index}`,
      dropQueueOnDisconnect: true,
      onOpen: (context) => handleOpen(slot, context.isReconnect),
      onMessage: (text, receivedAt) => handleMessage(slot, text, receivedAt),
      onStatus: (change) => {
        if (change.state !== 'open' && change.state !== 'connecting') handleDisconnect(slot)
        if (options.onStatus === undefined) return
        try {
          options.onStatus(change, slot.connection)
        } catch (error) {
          report(new ConnectionError(`onStatus of ${label} threw.`, { venue, cause: error }))
        }
      },
    }
    if (options.onError !== undefined) socketOptions.onError = options.onError
    for (const key of SHARED_SOCKET_KEYS) {
      if (options[key] !== undefined)
        (socketOptions as unknown as Record<string, unknown>)[key] = options[key]
    }
    const socket = createReconnectingSocket(socketOptions)
    const topics = new Set<string>()
    const slot: Slot = {
      index,
      socket,
      topics,
      chars: 0,
      sent: [],
      closed: false,
      connection: {
        index,
        get url() {
          return socket.url
        },
        send: (text) => socket.send(text),
        reconnect: (reason) => socket.reconnect(reason),
        topics,
      },
    }
    slots.push(slot)
    socket.connect().catch((error: unknown) => {
      // No endpoint opened: every add() waiting on this connection fails and its topics leave the pool.
      if (slot.closed) return
      const cause = error as TickmeshError
      for (const topic of [...slot.topics]) {
        detachTopic(topic)
        rejectTopic(
          topic,
          new SubscriptionError(`Could not subscribe ${topic} on ${label}: the connection did not open.`, {
            venue,
            cause,
            isRetryable: true,
            details: { topic, urls: options.urls },
            hint: cause.hint ?? 'Check the network or the venue URL.',
          }),
        )
      }
      closeSlot(slot)
    })
    return slot
  }

  function closeSlot(slot: Slot): void {
    if (slot.closed) return
    slot.closed = true
    for (const request of [...slot.sent]) {
      forgetRequest(request)
      for (const waiter of request.waiters) waiter.resolve()
    }
    const position = slots.indexOf(slot)
    if (position >= 0) slots.splice(position, 1)
    const done = slot.socket.close(1000, 'no topics left')
    closing.add(done)
    void done.finally(() => closing.delete(done))
  }

  function findSlot(topic: string): Slot {
    for (const slot of slots) {
      if (
        slot.topics.size < options.maxTopicsPerConnection &&
        slot.chars + topic.length <= maxChars &&
        !slot.closed
      ) {
        return slot
      }
    }
    return createSlot()
  }

  function sendRequests(
    slot: Slot,
    kind: 'subscribe' | 'unsubscribe',
    topics: readonly string[],
  ): PendingRequest[] {
    const sent: PendingRequest[] = []
    for (let start = 0; start < topics.length; start += options.maxTopicsPerRequest) {
      const batch = topics.slice(start, start + options.maxTopicsPerRequest)
      const id = String(++nextRequestId)
      const request: PendingRequest = { id, kind, topics: batch, slot, timer: null, waiters: [] }
      try {
        const text =
          kind === 'subscribe' ? options.buildSubscribe(batch, id) : options.buildUnsubscribe(batch, id)
        slot.socket.send(text)
      } catch (error) {
        failRequest(
          request,
          new SubscriptionError(`Could not send the ${kind} request for ${batch.join(', ')} on ${label}.`, {
            venue,
            cause: error,
            details: { topics: batch },
            hint: 'The outbound queue is full or the request builder threw; retry later.',
          }),
        )
        continue
      }
      requests.set(id, request)
      slot.sent.push(request)
      request.timer = setTimeout(() => onAckTimeout(request), ackTimeoutMs)
      request.timer.unref()
      sent.push(request)
    }
    return sent
  }

  function failRequest(request: PendingRequest, error: TickmeshError): void {
    forgetRequest(request)
    if (request.kind === 'unsubscribe') {
      for (const waiter of request.waiters) waiter.reject(error)
      return
    }
    for (const topic of request.topics) {
      if (topicSlot.get(topic) !== request.slot) continue
      if (topicWaiters.has(topic)) {
        detachTopic(topic)
        rejectTopic(topic, error)
      } else {
        report(error)
      }
    }
    closeIfEmpty(request.slot)
  }

  function onAckTimeout(request: PendingRequest): void {
    request.timer = null
    if (!requests.has(request.id)) return
    const error = new SubscriptionError(
      `${label} did not acknowledge ${request.kind} of ${request.topics.join(', ')} within ${ackTimeoutMs} ms.`,
      {
        venue,
        isRetryable: true,
        details: { requestId: request.id, topics: request.topics, ackTimeoutMs },
        hint: 'The venue may be overloaded or the topic name wrong; try again.',
      },
    )
    const replayed = request.kind === 'subscribe' && request.topics.some((topic) => !topicWaiters.has(topic))
    failRequest(request, error)
    // A replay that goes unanswered means this connection is not working: start over on a new one.
    if (replayed && !request.slot.closed)
      request.slot.socket.reconnect('subscription replay not acknowledged')
  }

  function closeIfEmpty(slot: Slot): void {
    if (slot.topics.size === 0 && !slot.closed) closeSlot(slot)
  }

  function handleOpen(slot: Slot, isReconnect: boolean): void {
    if (options.onOpen !== undefined) {
      try {
        options.onOpen(slot.connection, isReconnect)
      } catch (error) {
        report(new ConnectionError(`onOpen of ${label} threw.`, { venue, cause: error }))
      }
    }
    if (slot.topics.size > 0) sendRequests(slot, 'subscribe', [...slot.topics])
  }

  /** The connection dropped: its in-flight requests will never be answered; the replay supersedes them. */
  function handleDisconnect(slot: Slot): void {
    for (const request of [...slot.sent]) {
      forgetRequest(request)
      // The topics are already off this connection, and the new one will not subscribe them.
      for (const waiter of request.waiters) waiter.resolve()
    }
  }

  function handleMessage(slot: Slot, text: string, receivedAt: number): void {
    let control: ControlFrame | null = null
    try {
      control = options.parseControl(text)
    } catch (error) {
      report(
        new ConnectionError(`parseControl of ${label} threw; frame treated as data.`, {
          venue,
          cause: error,
        }),
      )
    }
    if (control === null) {
      options.onMessage(text, receivedAt, slot.connection)
      return
    }
    const request = control.requestId === null ? slot.sent[0] : requests.get(control.requestId)
    if (request === undefined || request.slot !== slot) return
    settle(request, control)
  }

  function settle(request: PendingRequest, control: ControlFrame): void {
    forgetRequest(request)
    const slot = request.slot
    let refused: readonly string[] = []
    if (!control.ok) {
      const named =
        control.topics === undefined ? [] : request.topics.filter((t) => control.topics?.includes(t))
      refused = named.length > 0 ? named : request.topics
    }
    if (request.kind === 'unsubscribe') {
      const error =
        refused.length === 0
          ? null
          : new SubscriptionError(`${label} refused to unsubscribe ${refused.join(', ')}.`, {
              venue,
              venueMessage: control.message ?? null,
              details: { requestId: request.id, topics: refused },
            })
      for (const waiter of request.waiters) {
        if (error === null) waiter.resolve()
        else waiter.reject(error)
      }
      return
    }
    let retryReplay = false
    for (const topic of request.topics) {
      // Removed, or moved, while the request was in flight.
      if (topicSlot.get(topic) !== slot) continue
      if (refused.includes(topic)) {
        const refusals = (replayRefusals.get(topic) ?? 0) + 1
        if (!topicWaiters.has(topic) && refusals < MAX_REPLAY_REFUSALS) {
          // The venue accepted this topic before: a refused replay is most likely passing (an error
          // reply, maintenance). Keep it and replay again on a fresh connection, paced by the backoff.
          replayRefusals.set(topic, refusals)
          retryReplay = true
          report(
            new SubscriptionError(`${label} refused the replay of ${topic}; retrying on a new connection.`, {
              venue,
              venueMessage: control.message ?? null,
              details: { topic, requestId: request.id, refusals },
            }),
          )
          continue
        }
        detachTopic(topic)
        const error = new SubscriptionError(`${label} refused the subscription to ${topic}.`, {
          venue,
          venueMessage: control.message ?? null,
          details: { topic, requestId: request.id },
          hint: 'Check the symbol and channel exist on this venue and market.',
        })
        if (!rejectTopic(topic, error)) report(error)
      } else {
        replayRefusals.delete(topic)
        slot.socket.watch(topic)
        resolveTopic(topic)
      }
    }
    if (retryReplay && !slot.closed) slot.socket.reconnect('subscription replay refused')
    closeIfEmpty(slot)
  }

  return {
    add(topics: readonly string[]): Promise<void> {
      if (closed) {
        return Promise.reject(
          new SubscriptionError(`Topic pool ${label} is closed.`, { venue, hint: 'Create a new pool.' }),
        )
      }
      const waits: Promise<void>[] = []
      const newBySlot = new Map<Slot, string[]>()
      for (const topic of unique(topics)) {
        if (topicSlot.has(topic)) {
          if (topicWaiters.has(topic)) waits.push(waitForTopic(topic))
          continue
        }
        if (topic.length > maxChars) {
          waits.push(
            Promise.reject(
              new SubscriptionError(`Topic ${topic} is longer than ${label}'s per-connection limit.`, {
                venue,
                details: { topic, maxTopicCharsPerConnection: maxChars },
              }),
            ),
          )
          continue
        }
        const slot = findSlot(topic)
        slot.topics.add(topic)
        slot.chars += topic.length
        topicSlot.set(topic, slot)
        waits.push(waitForTopic(topic))
        const list = newBySlot.get(slot)
        if (list === undefined) newBySlot.set(slot, [topic])
        else list.push(topic)
      }
      // A connection not yet open subscribes all its topics from its open handler.
      for (const [slot, list] of newBySlot) {
        if (slot.socket.state === 'open') sendRequests(slot, 'subscribe', list)
      }
      return Promise.all(waits).then(() => undefined)
    },

    remove(topics: readonly string[]): Promise<void> {
      const waits: Promise<void>[] = []
      const bySlot = new Map<Slot, string[]>()
      for (const topic of unique(topics)) {
        const slot = detachTopic(topic)
        if (slot === undefined) continue
        rejectTopic(
          topic,
          new SubscriptionError(`Subscription to ${topic} was removed before the venue acknowledged it.`, {
            venue,
            details: { topic },
          }),
        )
        const list = bySlot.get(slot)
        if (list === undefined) bySlot.set(slot, [topic])
        else list.push(topic)
      }
      for (const [slot, list] of bySlot) {
        // A connection left with no topics is closed instead: no point unsubscribing first.
        if (slot.topics.size === 0) {
          closeSlot(slot)
          continue
        }
        if (slot.socket.state !== 'open') continue
        for (const request of sendRequests(slot, 'unsubscribe', list)) {
          waits.push(new Promise<void>((resolve, reject) => request.waiters.push({ resolve, reject })))
        }
      }
      return Promise.all(waits).then(() => undefined)
    },

    has(topic: string): boolean {
      return topicSlot.has(topic)
    },

    touch(topic: string, receivedAt: number): void {
      topicSlot.get(topic)?.socket.touch(topic, receivedAt)
    },

    get connections(): readonly PoolConnection[] {
      return slots.map((slot) => slot.connection)
    },

    async close(): Promise<void> {
      closed = true
      const error = new SubscriptionError(`Topic pool ${label} was closed.`, { venue })
      for (const topic of [...topicWaiters.keys()]) rejectTopic(topic, error)
      for (const slot of [...slots]) closeSlot(slot)
      topicSlot.clear()
      await Promise.all([...closing])
    },
  }
}
