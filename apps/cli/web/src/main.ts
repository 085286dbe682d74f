import './style.css'
import type { DashboardState, ServerMessage } from '../../src/serve/dashboard-messages'
import { clockTime } from './format'
import { type LinkState, ServerLink } from './server-link'
import { SymbolCharts } from './symbol-charts'
import { renderAnalyses, renderArbitrage, renderBbo, renderNotices, renderVenues } from './tables'

function byId(id: string): HTMLElement {
  const element = document.getElementById(id)
  if (element === null) throw new Error(`tickmesh page: #${id} is missing`)
  return element
}

const symbolsBox = byId('symbols')
const link = byId('link')
let charts = new Map<string, SymbolCharts>()
let layoutKey = ''

function render(state: DashboardState): void {
  byId('source').textContent = state.source
  byId('clock').textContent = clockTime(state.now)
  const connected = state.venues.filter((venue) => venue.connected).length
  byId('counts').textContent = `${connected}/${state.venues.length} venues connected`
  renderVenues(byId('venues'), state)
  renderBbo(byId('bbo'), state)
  renderArbitrage(byId('arbitrage'), byId('arb-counts'), state)
  renderNotices(byId('notices'), state)
  renderAnalyses(byId('analyses-panel'), byId('analyses'), state)
}

function onMessage(message: ServerMessage): void {
  if (message.type === 'snapshot') {
    // A restarted server may serve other symbols or venues: rebuild the cards when they differ.
    const key = `${message.symbols.join(',')}|${message.venues.join(',')}`
    if (key !== layoutKey) {
      for (const chart of charts.values()) chart.dispose()
      charts = new Map(
        message.symbols.map((symbol) => [symbol, new SymbolCharts(symbol, message.venues, symbolsBox)]),
      )
      layoutKey = key
    }
    for (const [symbol, chart] of charts) chart.setHistory(message.history[symbol] ?? [])
    render(message.state)
    return
  }
  for (const [symbol, chart] of charts) {
    const point = message.points[symbol]
    if (point !== undefined) chart.update(point)
  }
  render(message.state)
}

function onState(state: LinkState): void {
  link.dataset.state = state.kind
  link.textContent =
    state.kind === 'live'
      ? 'live'
      : state.kind === 'connecting'
        ? state.attempt > 1
          ? `reconnecting (attempt ${state.attempt})…`
          : 'connecting…'
        : `server unreachable, retrying in ${(state.retryInMs / 1_000).toFixed(1)} s`
  document.body.classList.toggle('offline', state.kind !== 'live')
}

const socketUrl = new URL('ws', window.location.href)
socketUrl.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
new ServerLink({ url: socketUrl.href, onMessage, onState }).open()
