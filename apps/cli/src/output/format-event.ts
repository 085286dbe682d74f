import type { OpportunityEvent } from '@tickmesh/aggregator'
import type { BookEvent, MarketEvent } from '@tickmesh/core'

/**
 * The event as one NDJSON line. Book events keep their top `depth` levels per side (the rest is cut,
 * so live and replayed output compare equal at any depth); everything else is printed as is.
 */
export function eventJson(event: MarketEvent, depth: number | null = null): string {
  if (event.kind === 'book' && depth !== null) return JSON.stringify(trimBook(event, depth))
  return JSON.stringify(event)
}

export function trimBook(event: BookEvent, depth: number): BookEvent {
  if (event.bids.length <= depth && event.asks.length <= depth) return event
  return { ...event, bids: event.bids.slice(0, depth), asks: event.asks.slice(0, depth) }
}

/** `HH:MM:SS.mmm` (UTC) of the venue's time, else of the receive time. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23)
}

/** A price/size without float noise: up to 8 decimals, trailing zeros trimmed. */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-'
  if (Number.isInteger(value)) return String(value)
  return String(Number(value.toFixed(8)))
}

/** The event as one readable line for a terminal (`stream` without --json). */
export function eventLine(event: MarketEvent, depth: number | null = null): string {
  const time = clockTime(
    event.kind === 'status' || event.kind === 'error'
      ? event.receivedAt
      : (event.exchangeTime ?? event.receivedAt),
  )
  const head = `${time} ${event.venue.padEnd(8)}`
  switch (event.kind) {
    case 'ticker':
      return `${head} ${event.symbol.padEnd(14)} ticker  last ${num(event.last)}  bid ${num(event.bid)}  ask ${num(event.ask)}  vol24h ${num(event.baseVolume24h)}`
    case 'trade':
      return `${head} ${event.symbol.padEnd(14)} trade   ${event.side.padEnd(4)} ${num(event.amount)} @ ${num(event.price)}  id ${event.id}`
    case 'bbo':
      return `${head} ${event.symbol.padEnd(14)} bbo     ${num(event.bidPrice)} x ${num(event.bidSize)}  /  ${num(event.askPrice)} x ${num(event.askSize)}`
    case 'book': {
      const book = depth === null ? event : trimBook(event, depth)
      const bid = book.bids[0]
      const ask = book.asks[0]
      return `${head} ${event.symbol.padEnd(14)} book    ${book.bids.length}x${book.asks.length} levels  best ${num(bid?.[0])} / ${num(ask?.[0])}  seq ${event.sequence ?? '-'}${event.isSnapshot ? '  snapshot' : ''}`
    }
    case 'candle':
      return `${head} ${event.symbol.padEnd(14)} candle  ${event.interval} o ${num(event.open)} h ${num(event.high)} l ${num(event.low)} c ${num(event.close)} v ${num(event.volume)}${event.closed ? '  closed' : ''}`
    case 'order':
      return `${head} ${event.symbol.padEnd(14)} order   ${event.orderId} ${event.side} ${event.type} ${event.status} ${num(event.filled)}/${num(event.amount)} @ ${num(event.price)}`
    case 'balance':
      return `${head} ${event.asset.padEnd(14)} balance free ${num(event.free)} locked ${num(event.locked)}`
    case 'gap':
      return `${head} ${event.symbol.padEnd(14)} gap     ${event.channel} ${event.fromId ?? '?'} → ${event.toId ?? '?'}: ${event.reason}`
    case 'status':
      return `${head} ${(event.symbol ?? '').padEnd(14)} status  ${event.state}${event.attempt > 0 ? ` (attempt ${event.attempt})` : ''}: ${event.reason}`
    case 'error':
      return `${head} ${(event.symbol ?? '').padEnd(14)} error   ${event.code}: ${event.message.split('\n')[0]}${event.hint ? ` ${event.hint}` : ''}`
  }
}

/** An arbitrage lifecycle event as an NDJSON object: `{"kind":"arbitrage","type":"opened",…}`. */
export function opportunityJson(event: OpportunityEvent): string {
  return JSON.stringify(
    event.type === 'closed'
      ? {
          kind: 'arbitrage',
          type: event.type,
          reason: event.reason,
          closedAt: event.closedAt,
          ...event.opportunity,
        }
      : { kind: 'arbitrage', type: event.type, ...event.opportunity },
  )
}

/** Percent with two decimals from a fraction: 0.00123 → `0.12%`. */
export function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(3)}%`
}

/** An arbitrage lifecycle event as one readable line. */
export function opportunityLine(event: OpportunityEvent): string {
  const o = event.opportunity
  const time = clockTime(event.type === 'closed' ? event.closedAt : o.updatedAt)
  const legs = `buy ${o.buyVenue} ${num(o.buyPrice)}  sell ${o.sellVenue} ${num(o.sellPrice)}`
  const size = o.size === null ? 'size -' : `size ${num(o.size)}`
  const base = `${time} ${event.type.padEnd(7)} ${o.id.padEnd(14)} ${legs}  net ${pct(o.netEdge)} (gross ${pct(o.grossEdge)})  ${size}`
  if (event.type === 'closed') {
    return `${base}  after ${(o.durationMs / 1000).toFixed(1)}s: ${event.reason}, peak ${pct(o.peakNetEdge)}`
  }
  return base
}
