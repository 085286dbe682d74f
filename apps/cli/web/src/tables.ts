import type { DashboardState, VenueHealthRow } from '../../src/serve/dashboard-messages'
import { age, clockTime, fixed, millis, price, size } from './format'
import { venueColor } from './venue-colors'

/** A table cell; `className` for alignment and colour. */
function cell(text: string, className = ''): HTMLTableCellElement {
  const td = document.createElement('td')
  td.textContent = text
  if (className !== '') td.className = className
  return td
}

function venueCell(venue: string | null): HTMLTableCellElement {
  const td = cell(venue ?? '–', 'venue')
  if (venue !== null) td.style.color = venueColor(venue)
  return td
}

function body(table: HTMLElement): HTMLTableSectionElement {
  return table.querySelector('tbody')!
}

/** `3 / 41 ms`: both percentiles in one narrow cell. */
function latency(p50: number | null, p99: number | null): string {
  if (p50 === null || p99 === null) return millis(p50 ?? p99)
  if (p99 >= 10_000) return `${millis(p50)} / ${millis(p99)}`
  return `${p50.toFixed(0)} / ${millis(p99)}`
}

/** What the status cell says: the words a trader acts on. */
export function statusText(row: VenueHealthRow): { text: string; level: 'ok' | 'warn' | 'down' } {
  if (row.connected && row.stale) return { text: 'open · no fresh quote', level: 'warn' }
  if (row.connected) return { text: 'connected', level: 'ok' }
  if (row.state === 'open') return { text: `silent ${age(row.lastMessageAgeMs)}`, level: 'warn' }
  if (row.state === 'connecting') return { text: 'connecting', level: 'warn' }
  return { text: `disconnected · ${row.state}`, level: 'down' }
}

export function renderVenues(table: HTMLElement, state: DashboardState): void {
  const rows = state.venues.map((row) => {
    const tr = document.createElement('tr')
    const status = statusText(row)
    tr.dataset.testid = `venue-row-${row.venue}`
    tr.dataset.venue = row.venue
    tr.dataset.state = row.state
    tr.dataset.connected = String(row.connected)
    tr.className = `status-${status.level}`
    const statusCell = cell('', 'status')
    const dot = document.createElement('i')
    dot.className = 'dot'
    statusCell.append(dot, document.createTextNode(status.text))
    const dropped = row.lastDisconnectAt === null ? null : state.now - row.lastDisconnectAt
    if (dropped !== null && dropped < 60_000 && status.level === 'ok') {
      const note = document.createElement('span')
      note.className = 'note'
      note.textContent = `dropped ${age(dropped)} ago`
      statusCell.append(note)
    }
    if (row.reason !== null && status.level !== 'ok') statusCell.title = row.reason
    const reconnects = cell(String(row.reconnects), row.reconnects > 0 ? 'num warn' : 'num')
    reconnects.dataset.field = 'reconnects'
    tr.append(
      venueCell(row.venue),
      statusCell,
      cell(latency(row.latencyP50Ms, row.latencyP99Ms), 'num'),
      cell(row.messagesPerSecond.toFixed(1), 'num'),
      reconnects,
      cell(String(row.resyncs), 'num'),
      cell(age(row.lastMessageAgeMs), 'num'),
    )
    return tr
  })
  body(table).replaceChildren(...rows)
}

export function renderBbo(table: HTMLElement, state: DashboardState): void {
  const rows = state.bbo.map((row) => {
    const tr = document.createElement('tr')
    const spread = cell(fixed(row.spreadBps, 2), 'num')
    if (row.crossed) {
      tr.className = 'crossed'
      tr.title = 'Crossed: the best bid is above the best ask across venues.'
      const tag = document.createElement('span')
      tag.className = 'tag'
      tag.textContent = 'crossed'
      spread.append(tag)
    }
    tr.append(
      cell(row.symbol),
      cell(price(row.bid), 'num bid'),
      venueCell(row.bidVenue),
      cell(price(row.ask), 'num ask'),
      venueCell(row.askVenue),
      spread,
    )
    return tr
  })
  body(table).replaceChildren(...rows)
}

export function renderArbitrage(table: HTMLElement, counts: HTMLElement, state: DashboardState): void {
  const threshold =
    state.arbitrageThresholdBps === null ? '' : ` · threshold ${state.arbitrageThresholdBps} bps net of fees`
  counts.textContent = `${state.openedCount} opened · ${state.closedCount} closed${threshold}`
  const rows = state.opportunities.map((row) => {
    const tr = document.createElement('tr')
    const open = row.closedAt === null
    tr.className = open ? 'open' : 'closed'
    const route = cell('', 'route')
    const buy = document.createElement('span')
    buy.textContent = row.buyVenue
    buy.style.color = venueColor(row.buyVenue)
    const sell = document.createElement('span')
    sell.textContent = row.sellVenue
    sell.style.color = venueColor(row.sellVenue)
    route.append(buy, document.createTextNode(' → '), sell)
    const lasted = (row.closedAt ?? state.now) - row.openedAt
    tr.title = open
      ? `open: buy ${price(row.buyPrice)} sell ${price(row.sellPrice)}`
      : `closed (${row.closeReason ?? ''}); peak ${(row.peakNetEdge * 10_000).toFixed(2)} bps`
    tr.append(
      cell(clockTime(row.openedAt)),
      cell(row.symbol),
      route,
      cell((row.netEdge * 10_000).toFixed(2), 'num'),
      cell(size(row.size), 'num'),
      cell(open ? `${age(lasted)} · open` : age(lasted), 'num'),
    )
    return tr
  })
  if (rows.length === 0) {
    const tr = document.createElement('tr')
    const td = cell('No opportunity yet: the venues’ prices are within fees of each other.', 'empty')
    td.colSpan = 6
    tr.append(td)
    rows.push(tr)
  }
  body(table).replaceChildren(...rows)
}

export function renderNotices(list: HTMLElement, state: DashboardState): void {
  const items = state.notices.slice(0, 30).map((notice) => {
    const li = document.createElement('li')
    li.className = notice.state === 'open' ? 'ok' : notice.state === 'connecting' ? 'muted' : 'down'
    if (notice.reason !== null) li.title = notice.reason
    const venue = document.createElement('span')
    venue.textContent = notice.venue
    venue.style.color = venueColor(notice.venue)
    li.append(
      document.createTextNode(`${clockTime(notice.at)} `),
      venue,
      document.createTextNode(` ${notice.state}${notice.reason ? ` — ${notice.reason}` : ''}`),
    )
    return li
  })
  list.replaceChildren(...items)
}

export function renderAnalyses(panel: HTMLElement, list: HTMLElement, state: DashboardState): void {
  panel.hidden = state.analyses.length === 0
  const items = state.analyses.map((row) => {
    const li = document.createElement('li')
    li.textContent = `${clockTime(row.at)} ${row.symbol} ${row.kind}: ${row.summary}`
    li.title = row.summary
    return li
  })
  list.replaceChildren(...items)
}
