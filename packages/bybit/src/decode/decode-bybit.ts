import type { DecodeContext, MarketEvent } from '@tickmesh/core'
import { safeParseJson } from '@tickmesh/core'
import { decodeBybitKline } from './decode-bybit-kline'
import { parseBybitBook, pushBybitBbo } from './decode-bybit-orderbook'
import { decodeBybitOrders, decodeBybitWallet } from './decode-bybit-private'
import { decodeBybitTicker } from './decode-bybit-ticker'
import { decodeBybitTrades } from './decode-bybit-trade'
import type { DecodeScope } from './decode-scope'
import { createScope, decodeErrorEvent, isRecord, pushDecodeError } from './decode-scope'

/** The families decoded on the hot path, matched in place rather than sliced out of every topic. */
const KNOWN_FAMILIES = ['publicTrade', 'tickers', 'orderbook', 'kline', 'order', 'wallet'] as const

/** The topic family of a data frame: the text before the first dot (`orderbook.50.X` → `orderbook`). */
export function topicFamily(topic: string): string {
  const dot = topic.indexOf('.')
  const end = dot === -1 ? topic.length : dot
  for (let i = 0; i < KNOWN_FAMILIES.length; i++) {
    const family = KNOWN_FAMILIES[i]!
    if (family.length === end && topic.startsWith(family)) return family
  }
  return dot === -1 ? topic : topic.slice(0, dot)
}

/**
 * Decodes one Bybit V5 frame into normalized events. Pure and total: never throws, never does I/O.
 * Tickers are decoded frame by frame (a linear delta's absent fields are null) and order-book depth
 * frames give no `book` events — both need state, which `createBybitFrameProcessor` keeps.
 * `orderbook.1` gives `bbo`. Replies (acks, pongs) give nothing; refusals give `error` events.
 */
export function decodeBybit(frame: string, context: DecodeContext): MarketEvent[] {
  const out: MarketEvent[] = []
  const parsed = safeParseJson(frame)
  if (!parsed.success) {
    out.push(
      decodeErrorEvent(
        `Bybit frame is not JSON: ${parsed.error.message}`,
        frame,
        context.market,
        context.receivedAt,
      ),
    )
    return out
  }
  const message = parsed.value
  const scope = createScope(frame, context, out)
  if (!isRecord(message)) {
    pushDecodeError(scope, 'Bybit frame is not a JSON object.')
    return out
  }
  try {
    decodeBybitMessage(message, scope)
  } catch (error) {
    // Defensive: decoders are written not to throw; a bug must still not break the receive loop.
    pushDecodeError(scope, `Bybit decoder failed: ${error instanceof Error ? error.message : String(error)}`)
  }
  return out
}

/** Decodes an already parsed frame into `scope.out` (the frame processor parses once and calls this). */
export function decodeBybitMessage(message: Record<string, unknown>, scope: DecodeScope): void {
  const topic = message.topic
  if (typeof topic !== 'string') {
    decodeReply(message, scope)
    return
  }
  switch (topicFamily(topic)) {
    case 'tickers':
      decodeBybitTicker(message, scope)
      return
    case 'publicTrade':
      decodeBybitTrades(message, scope)
      return
    case 'kline':
      decodeBybitKline(topic, message, scope)
      return
    case 'orderbook': {
      if (!topic.startsWith('orderbook.1.')) return
      const book = parseBybitBook(topic, message, scope)
      if (book !== null) pushBybitBbo(book, scope)
      return
    }
    case 'order':
      decodeBybitOrders(message, scope)
      return
    case 'wallet':
      decodeBybitWallet(message, scope)
      return
    default:
      // Topics tickmesh does not normalize (allLiquidation, position, execution …) are skipped.
      return
  }
}

function decodeReply(message: Record<string, unknown>, scope: DecodeScope): void {
  if (typeof message.op !== 'string' && typeof message.success !== 'boolean') {
    pushDecodeError(scope, 'Bybit frame has neither a topic, an op nor a success flag.')
    return
  }
  if (message.success !== false) return
  const venueMessage = typeof message.ret_msg === 'string' ? message.ret_msg : 'no ret_msg'
  const isAuth = message.op === 'auth'
  scope.out.push(
    decodeErrorEvent(
      `Bybit refused "${String(message.op ?? 'request')}": ${venueMessage}`,
      scope.frame,
      scope.market,
      scope.receivedAt,
      null,
      isAuth ? 'AUTHENTICATION_ERROR' : 'SUBSCRIPTION_ERROR',
      isAuth
        ? 'Check the API key and secret, and that the local clock is in sync with Bybit.'
        : 'Check the topic and symbol names against the Bybit instruments list.',
    ),
  )
}

/** `decode` under the name every adapter package exports. */
export const decode: (frame: string, context: DecodeContext) => MarketEvent[] = decodeBybit
