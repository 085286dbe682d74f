import { HttpsProxyAgent } from 'https-proxy-agent'
import type { RawData } from 'ws'
import { WebSocket as WsWebSocket } from 'ws'
import type { WebSocketConstructor } from '../adapter/adapter-types'
import {
  ConfigError,
  ConnectionError,
  ConnectionTimeoutError,
  RateLimitError,
  TickmeshError,
} from '../errors'
import type { ConnectionState } from '../events'
import { nowMs } from '../events'
import type { VenueId } from '../venues'
import { isVenueId } from '../venues'
import { backoffDelayMs, DEFAULT_STABLE_AFTER_MS } from './backoff'
import { resolveProxy } from './resolve-proxy'
import { SendPacer } from './send-pacer'
import type { ReconnectingSocket, ReconnectingSocketOptions, SocketStatusChange } from './socket-types'
import { TopicIdleTracker } from './topic-idle-tracker'

export const DEFAULT_OPEN_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_QUEUED_MESSAGES = 10_000
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
/** How long close() waits for the peer's close frame before cutting the TCP connection. */
const CLOSE_GRACE_MS = 1_000

type Socket = InstanceType<WebSocketConstructor>
/** Queue marker for a keepalive ping; written as `buildPing()` text or a protocol ping frame. */
const PING: unique symbol = Symbol('ping')
type Outbound = string | typeof PING

function noop(): void {}

function venueOf(label: string | undefined): VenueId | null {
  if (label === undefined) return null
  const prefix = label.split(/[-:/ ]/)[0]
  return isVenueId(prefix) ? prefix : null
}

function rawToText(data: RawData | string): string {
  if (typeof data === 'string') return data
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref()
  return timer
}

/**
 * A WebSocket that stays connected: open timeout, full-jitter backoff, ordered endpoint fallback,
 * keepalive (app or protocol pings, pong timeout, server-silence), learned per-topic idle detection,
 * paced and bounded outbound queue. See packages/core/docs-socket.md.
 */
export function createReconnectingSocket(options: ReconnectingSocketOptions): ReconnectingSocket {
  const urls = options.urls
  if (urls.length === 0) {
    throw new ConfigError('A reconnecting socket needs at least one URL.', {
      hint: 'Pass `urls: ["wss://…"]`.',
    })
  }
  for (const url of urls) {
    if (!/^wss?:\/\//i.test(url)) {
      throw new ConfigError(`Invalid WebSocket URL ${JSON.stringify(url)}.`, {
        hint: 'WebSocket URLs start with wss:// (or ws:// for a local simulator).',
        details: { url },
      })
    }
  }
  const venue = venueOf(options.label)
  const label = options.label ?? 'socket'
  const Ctor: WebSocketConstructor = options.WebSocket ?? WsWebSocket
  const openTimeoutMs = options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS
  const backoff = options.backoff ?? {}
  const stableAfterMs = backoff.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS
  const keepAlive = options.keepAlive ?? {}
  const maxQueued = options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES
  const maxPayload = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES
  const random = options.random ?? Math.random
  const pacer =
    options.maxMessagesPerSecond !== undefined && options.maxMessagesPerSecond > 0
      ? new SendPacer(options.maxMessagesPerSecond)
      : null
  const tracker = new TopicIdleTracker(options.idle)
  const idleSweepMs = Math.min(1_000, Math.max(20, Math.floor(tracker.minMs / 4)))
  const onMessage = options.onMessage
  const isPong = keepAlive.isPong
  const agents = new Map<string, HttpsProxyAgent<string>>()

  let state: ConnectionState = 'closed'
  let started = false
  let closedForGood = false
  let closePromise: Promise<void> | null = null
  let ws: Socket | null = null
  let urlIndex = 0
  let attempt = 0
  let everOpened = false
  let failuresBeforeOpen = 0
  let openedAt = 0
  let lastFrameAt = 0
  let pingSentAt = 0
  /** Send time of the oldest ping the running pong timer is waiting on. */
  let pongAwaitedSince = 0
  let pingQueued = false

  // Outbound queue: an array consumed from `head`, compacted now and then (no shift() per send).
  let queue: Outbound[] = []
  let head = 0

  let retryTimer: NodeJS.Timeout | null = null
  let openTimer: NodeJS.Timeout | null = null
  let keepAliveTimer: NodeJS.Timeout | null = null
  let pongTimer: NodeJS.Timeout | null = null
  let silenceTimer: NodeJS.Timeout | null = null
  let idleTimer: NodeJS.Timeout | null = null
  let flushTimer: NodeJS.Timeout | null = null
  const deferredChecks = new Set<NodeJS.Immediate>()

  let resolveFirstOpen: () => void = noop
  let rejectFirstOpen: (error: TickmeshError) => void = noop
  let firstOpenSettled = false
  const firstOpen = new Promise<void>((resolve, reject) => {
    resolveFirstOpen = resolve
    rejectFirstOpen = reject
  })
  // A caller that never awaits connect() must not crash the process with an unhandled rejection.
  firstOpen.catch(noop)

  function report(error: TickmeshError): void {
    if (options.onError === undefined) return
    try {
      options.onError(error)
    } catch {
      // A throwing error handler must not break the connection loop.
    }
  }

  function setState(next: ConnectionState, reason: string, closeCode?: number): void {
    state = next
    if (options.onStatus === undefined) return
    const change: SocketStatusChange = { state: next, reason, url: currentUrl(), attempt }
    if (closeCode !== undefined) change.closeCode = closeCode
    try {
      options.onStatus(change)
    } catch (error) {
      report(
        new TickmeshError(`onStatus of ${label} threw.`, {
          venue,
          cause: error,
          hint: 'Status handlers must not throw; the socket carries on.',
        }),
      )
    }
  }

  function currentUrl(): string {
    return urls[urlIndex] ?? urls[0] ?? ''
  }

  function agentFor(url: string): HttpsProxyAgent<string> | undefined {
    const proxy = resolveProxy(url, options.proxy)
    if (proxy === null) return undefined
    let agent = agents.get(proxy)
    if (agent === undefined) {
      agent = new HttpsProxyAgent(proxy)
      agents.set(proxy, agent)
    }
    return agent
  }

  function clearConnectionTimers(): void {
    if (openTimer !== null) clearTimeout(openTimer)
    if (keepAliveTimer !== null) clearTimeout(keepAliveTimer)
    if (pongTimer !== null) clearTimeout(pongTimer)
    if (silenceTimer !== null) clearTimeout(silenceTimer)
    if (idleTimer !== null) clearInterval(idleTimer)
    if (flushTimer !== null) clearTimeout(flushTimer)
    openTimer = keepAliveTimer = pongTimer = silenceTimer = idleTimer = flushTimer = null
    for (const handle of deferredChecks) clearImmediate(handle)
    deferredChecks.clear()
  }

  /**
   * Runs a dead-peer verdict after the poll phase: when the event loop was blocked (GC, a heavy
   * decode), timers fire before the frames already waiting in the socket are read, and those frames
   * prove the peer alive.
   */
  function afterPendingIo(check: () => void): void {
    const handle = setImmediate(() => {
      deferredChecks.delete(handle)
      check()
    })
    deferredChecks.add(handle)
  }

  /** Forgets the current socket (its late events are ignored) and cuts it. */
  function discardSocket(): void {
    const old = ws
    ws = null
    clearConnectionTimers()
    pingQueued = false
    if (options.dropQueueOnDisconnect === true) {
      queue = []
      head = 0
    }
    if (old === null) return
    old.removeAllListeners()
    old.on('error', noop)
    old.terminate()
  }

  function openConnection(): void {
    if (closedForGood) return
    const url = currentUrl()
    setState('connecting', `connecting to ${url}`)
    let socket: Socket
    try {
      const agent = agentFor(url)
      socket = new Ctor(url, {
        headers: options.headers ?? {},
        maxPayload,
        perMessageDeflate: false,
        ...(agent === undefined ? {} : { agent }),
      })
    } catch (error) {
      attemptFailed(
        new ConnectionError(`Could not open a WebSocket to ${url}.`, {
          venue,
          cause: error,
          details: { url },
          hint: 'Check the URL and proxy settings.',
        }),
      )
      return
    }
    ws = socket
    let lastError: Error | null = null
    socket.on('open', () => {
      if (socket === ws) handleOpen(url)
    })
    socket.on('message', (data: RawData) => {
      if (socket === ws) handleMessage(data)
    })
    socket.on('ping', () => {
      lastFrameAt = nowMs()
    })
    socket.on('pong', () => {
      lastFrameAt = nowMs()
    })
    socket.on('error', (error: Error) => {
      lastError = error
    })
    socket.on('close', (code: number, reason: Buffer) => {
      if (socket === ws) handleClose(url, code, reason.toString('utf8'), lastError)
    })
    openTimer = setTimeout(() => {
      openTimer = null
      if (socket !== ws) return
      discardSocket()
      attemptFailed(new ConnectionTimeoutError(url, openTimeoutMs, { venue }))
    }, openTimeoutMs)
  }

  function handleOpen(url: string): void {
    if (openTimer !== null) clearTimeout(openTimer)
    openTimer = null
    const now = nowMs()
    const isReconnect = everOpened
    everOpened = true
    failuresBeforeOpen = 0
    openedAt = now
    lastFrameAt = now
    tracker.restart(now)
    // Messages sent from onOpen (auth, subscription replay) go before anything queued earlier.
    const carried = head < queue.length ? queue.slice(head) : []
    queue = []
    head = 0
    state = 'open'
    if (options.onOpen !== undefined) {
      try {
        options.onOpen({ url, attempt, isReconnect })
      } catch (error) {
        report(
          new TickmeshError(`onOpen of ${label} threw.`, {
            venue,
            cause: error,
            hint: 'Open handlers must not throw; the connection stays open.',
          }),
        )
      }
    }
    for (const item of carried) if (item !== PING) queue.push(item)
    if (ws === null) return // onOpen closed or reconnected the socket
    setState('open', isReconnect ? `reconnected to ${url}` : `connected to ${url}`)
    if (!firstOpenSettled) {
      firstOpenSettled = true
      resolveFirstOpen()
    }
    startKeepAlive()
    idleTimer = unref(setInterval(sweepIdle, idleSweepMs))
    flush()
  }

  function handleMessage(data: RawData): void {
    const receivedAt = nowMs()
    lastFrameAt = receivedAt
    const text = rawToText(data)
    if (isPong !== undefined) {
      let pong = false
      try {
        pong = isPong(text)
      } catch (error) {
        report(new TickmeshError(`isPong of ${label} threw.`, { venue, cause: error }))
      }
      if (pong) return
    }
    try {
      onMessage(text, receivedAt)
    } catch (error) {
      report(
        new TickmeshError(`onMessage of ${label} threw; the frame was skipped.`, {
          venue,
          cause: error,
          hint: 'Message handlers must not throw; decode failures should become error events.',
        }),
      )
    }
  }

  function handleClose(url: string, code: number, reason: string, error: Error | null): void {
    const wasOpen = state === 'open' || state === 'stale'
    const stableFor = nowMs() - openedAt
    discardSocket()
    if (!wasOpen) {
      attemptFailed(
        new ConnectionError(`Could not connect to ${url}${error === null ? '' : `: ${error.message}`}.`, {
          venue,
          cause: error ?? undefined,
          details: { url, closeCode: code },
          hint: 'The next endpoint is tried after a backoff; check the URL, network or proxy if this persists.',
        }),
        code,
      )
      return
    }
    if (stableFor >= stableAfterMs) attempt = 0
    if (error !== null) {
      report(
        new ConnectionError(`Connection to ${url} failed: ${error.message}.`, {
          venue,
          cause: error,
          details: { url, closeCode: code },
          hint: 'Reconnecting with backoff.',
        }),
      )
    }
    scheduleRetry(`connection closed by peer (code ${code}${reason === '' ? '' : `, ${reason}`})`, code)
  }

  function attemptFailed(error: TickmeshError, closeCode?: number): void {
    report(error)
    if (!everOpened) {
      failuresBeforeOpen++
      // Every endpoint failed once: tell connect()'s caller; retries go on until close().
      if (failuresBeforeOpen >= urls.length && !firstOpenSettled) {
        firstOpenSettled = true
        rejectFirstOpen(error)
      }
    }
    urlIndex = (urlIndex + 1) % urls.length
    scheduleRetry(error.shortMessage, closeCode)
  }

  function scheduleRetry(reason: string, closeCode?: number): void {
    if (closedForGood) return
    attempt++
    const delay = backoffDelayMs(attempt, backoff, random)
    setState('reconnecting', `${reason}; retrying in ${delay} ms`, closeCode)
    if (retryTimer !== null) clearTimeout(retryTimer)
    // Not unref'd: during a backoff wait this timer is what keeps a streaming process alive.
    retryTimer = setTimeout(() => {
      retryTimer = null
      openConnection()
    }, delay)
  }

  /** Drops a live connection on our side (stale, dead peer, planned) and reconnects. */
  function dropAndRetry(reason: string): void {
    if (closedForGood || ws === null) {
      if (!closedForGood && retryTimer === null && started) scheduleRetry(reason)
      return
    }
    const stableFor = nowMs() - openedAt
    const wasOpen = state === 'open' || state === 'stale'
    discardSocket()
    if (wasOpen && stableFor >= stableAfterMs) attempt = 0
    scheduleRetry(reason)
  }

  function startKeepAlive(): void {
    const interval = keepAlive.intervalMs
    if (interval !== undefined && interval > 0) {
      keepAliveTimer = unref(setTimeout(onKeepAliveTimer, interval))
    }
    const silence = keepAlive.serverSilenceMs
    if (silence !== undefined && silence > 0) {
      silenceTimer = unref(setTimeout(onSilenceTimer, silence))
    }
  }

  function onKeepAliveTimer(): void {
    keepAliveTimer = null
    const interval = keepAlive.intervalMs ?? 0
    if (state !== 'open' || interval <= 0) return
    if (keepAlive.whenIdle === true) {
      // Checked lazily here rather than re-arming a timer on every message.
      const idleFor = nowMs() - lastFrameAt
      if (idleFor < interval) {
        keepAliveTimer = unref(setTimeout(onKeepAliveTimer, Math.ceil(interval - idleFor) + 1))
        return
      }
    }
    if (!pingQueued && queuedCount() < maxQueued) {
      pingQueued = true
      queue.push(PING)
      flush()
    }
    keepAliveTimer = unref(setTimeout(onKeepAliveTimer, interval))
  }

  function onSilenceTimer(): void {
    silenceTimer = null
    afterPendingIo(checkSilence)
  }

  function checkSilence(): void {
    const silence = keepAlive.serverSilenceMs ?? 0
    if (state !== 'open' || silence <= 0) return
    const silentFor = nowMs() - lastFrameAt
    if (silentFor >= silence) {
      report(
        new ConnectionError(`No frame from ${currentUrl()} for ${Math.round(silentFor)} ms; reconnecting.`, {
          venue,
          details: { url: currentUrl(), serverSilenceMs: silence },
          hint: 'The server stopped pinging: the connection is half-open or the venue stalled.',
        }),
      )
      dropAndRetry(`no frame from the server for ${Math.round(silentFor)} ms`)
      return
    }
    silenceTimer = unref(setTimeout(onSilenceTimer, Math.ceil(silence - silentFor) + 1))
  }

  function writePing(socket: Socket, now: number): void {
    pingQueued = false
    if (keepAlive.buildPing !== undefined) {
      let text: string
      try {
        text = keepAlive.buildPing()
      } catch (error) {
        report(new TickmeshError(`buildPing of ${label} threw.`, { venue, cause: error }))
        return
      }
      socket.send(text)
    } else {
      socket.ping()
    }
    pingSentAt = now
    const timeout = keepAlive.pongTimeoutMs
    if (timeout !== undefined && timeout > 0 && pongTimer === null) {
      pongAwaitedSince = now
      pongTimer = unref(setTimeout(onPongTimer, timeout))
    }
  }

  function onPongTimer(): void {
    pongTimer = null
    afterPendingIo(checkPong)
  }

  function checkPong(): void {
    if (state !== 'open') return
    const timeout = keepAlive.pongTimeoutMs ?? 0
    // Any frame after the ping proves the peer alive, not only the pong itself.
    if (lastFrameAt >= pongAwaitedSince) {
      // A later ping may still be unanswered: give it its own full timeout.
      if (pingSentAt > lastFrameAt && pongTimer === null) {
        pongAwaitedSince = pingSentAt
        const remaining = pingSentAt + timeout - nowMs()
        pongTimer = unref(setTimeout(onPongTimer, remaining > 0 ? Math.ceil(remaining) : 0))
      }
      return
    }
    report(
      new ConnectionError(`No pong from ${currentUrl()} within ${timeout} ms; reconnecting.`, {
        venue,
        details: { url: currentUrl(), pongTimeoutMs: timeout },
        hint: 'The peer is unreachable (half-open TCP or a stalled venue).',
      }),
    )
    dropAndRetry(`no pong within ${timeout} ms`)
  }

  function sweepIdle(): void {
    if (state !== 'open' || tracker.size === 0) return
    if (tracker.findStale(nowMs()) !== null) afterPendingIo(checkIdle)
  }

  function checkIdle(): void {
    if (state !== 'open') return
    const stale = tracker.findStale(nowMs())
    if (stale === null) return
    const reason = `topic ${stale.topic} silent for ${Math.round(stale.silentMs)} ms (threshold ${Math.round(stale.thresholdMs)} ms)`
    setState('stale', reason)
    dropAndRetry(reason)
  }

  function queuedCount(): number {
    return queue.length - head
  }

  function flush(): void {
    if (flushTimer !== null || state !== 'open') return
    const socket = ws
    if (socket === null || socket.readyState !== WsWebSocket.OPEN) return
    while (head < queue.length) {
      const now = nowMs()
      if (pacer !== null) {
        const wait = pacer.waitMs(now)
        if (wait > 0) {
          flushTimer = unref(setTimeout(onFlushTimer, Math.ceil(wait) + 1))
          break
        }
        pacer.record(now)
      }
      const item = queue[head] as Outbound
      queue[head] = ''
      head++
      if (item === PING) writePing(socket, now)
      else socket.send(item)
    }
    if (head === queue.length) {
      queue.length = 0
      head = 0
    } else if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head)
      head = 0
    }
  }

  function onFlushTimer(): void {
    flushTimer = null
    flush()
  }

  return {
    get state() {
      return state
    },
    get url() {
      return currentUrl()
    },
    connect() {
      if (closedForGood) {
        return Promise.reject(
          new ConnectionError(`${label} is closed.`, { venue, hint: 'Create a new socket after close().' }),
        )
      }
      if (!started) {
        started = true
        openConnection()
      }
      return firstOpen
    },
    send(text: string) {
      if (closedForGood) {
        throw new ConnectionError(`Cannot send on ${label}: it is closed.`, {
          venue,
          hint: 'Create a new socket after close().',
          isRetryable: false,
        })
      }
      if (queuedCount() >= maxQueued) {
        throw new RateLimitError(`Outbound queue of ${label} is full (${maxQueued} messages).`, {
          venue,
          details: { maxQueuedMessages: maxQueued, maxMessagesPerSecond: options.maxMessagesPerSecond },
          hint: 'Send less often, or raise maxQueuedMessages; messages are paced to the venue limit.',
        })
      }
      queue.push(text)
      flush()
    },
    reconnect(reason: string) {
      if (closedForGood) return
      if (!started) {
        started = true
        openConnection()
        return
      }
      dropAndRetry(reason)
    },
    touch(topic: string, receivedAt: number) {
      tracker.touch(topic, receivedAt)
    },
    watch(topic: string) {
      tracker.watch(topic, nowMs())
    },
    unwatch(topic: string) {
      tracker.unwatch(topic)
    },
    close(code = 1000, reason = 'closed by client') {
      if (closePromise !== null) return closePromise
      closedForGood = true
      if (retryTimer !== null) clearTimeout(retryTimer)
      retryTimer = null
      clearConnectionTimers()
      tracker.clear()
      queue = []
      head = 0
      const old = ws
      ws = null
      setState('closed', reason)
      if (!firstOpenSettled) {
        firstOpenSettled = true
        rejectFirstOpen(
          new ConnectionError(`${label} was closed before it opened.`, { venue, isRetryable: false }),
        )
      }
      for (const agent of agents.values()) agent.destroy()
      agents.clear()
      closePromise = closeSocket(old, code, reason)
      return closePromise
    },
  }
}

/** Sends a close frame and waits briefly for the peer's, then cuts the TCP connection regardless. */
function closeSocket(socket: Socket | null, code: number, reason: string): Promise<void> {
  if (socket === null) return Promise.resolve()
  socket.removeAllListeners()
  socket.on('error', noop)
  if (socket.readyState !== WsWebSocket.OPEN) {
    socket.terminate()
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const grace = setTimeout(() => {
      socket.terminate()
      resolve()
    }, CLOSE_GRACE_MS)
    socket.once('close', () => {
      clearTimeout(grace)
      resolve()
    })
    try {
      socket.close(code, reason.slice(0, 120))
    } catch {
      // Invalid close code from the caller: cut the connection instead.
      clearTimeout(grace)
      socket.terminate()
      resolve()
    }
  })
}
