import {
  createChart,
  type IChartApi,
  type ISeriesApi,
  type LineData,
  LineSeries,
  LineStyle,
  type UTCTimestamp,
  type WhitespaceData,
} from 'lightweight-charts'
import type { SymbolPoint } from '../../src/serve/dashboard-messages'
import { MID_COLOR, SPREAD_COLOR, venueColor } from './venue-colors'

type Line = ISeriesApi<'Line'>

/** Below this many one-second points the charts fit their content instead of scrolling. */
const FIT_UNTIL_POINTS = 120
type Datum = LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>

const CHART_OPTIONS = {
  autoSize: true,
  layout: { background: { color: '#11151c' }, textColor: '#adb5bd', fontSize: 11 },
  grid: { vertLines: { color: '#1c222b' }, horzLines: { color: '#1c222b' } },
  timeScale: { timeVisible: true, secondsVisible: true, borderColor: '#2b323c', rightOffset: 4 },
  rightPriceScale: { borderColor: '#2b323c' },
  crosshair: { mode: 0 },
} as const

function datum(time: number, value: number | null): Datum {
  return value === null ? { time: time as UTCTimestamp } : { time: time as UTCTimestamp, value }
}

/** One symbol's card: a price chart (a line per venue + consolidated mid) and a deviation/spread chart. */
export class SymbolCharts {
  readonly element: HTMLElement
  private readonly price: IChartApi
  private readonly deviation: IChartApi
  private readonly mids = new Map<string, Line>()
  private readonly deviations = new Map<string, Line>()
  private readonly mid: Line
  private readonly spread: Line
  private lastTime = Number.NEGATIVE_INFINITY
  private pointCount = 0
  private fitting = true

  constructor(
    readonly symbol: string,
    venues: readonly string[],
    parent: HTMLElement,
  ) {
    const slug = symbol.replace(/[^A-Za-z0-9]+/g, '-')
    this.element = document.createElement('article')
    this.element.className = 'card'
    this.element.dataset.symbol = symbol
    const title = document.createElement('header')
    title.className = 'card-head'
    const name = document.createElement('h2')
    name.textContent = symbol
    const legend = document.createElement('div')
    legend.className = 'legend'
    for (const venue of venues) legend.append(legendItem(venue, venueColor(venue)))
    legend.append(legendItem('consolidated mid', MID_COLOR), legendItem('spread bps', SPREAD_COLOR))
    title.append(name, legend)
    const priceBox = document.createElement('div')
    priceBox.className = 'chart chart-price'
    priceBox.dataset.testid = `chart-price-${slug}`
    const deviationLabel = document.createElement('div')
    deviationLabel.className = 'chart-label'
    deviationLabel.textContent = 'venue mid − consolidated mid (bps) · consolidated spread (bps)'
    const deviationBox = document.createElement('div')
    deviationBox.className = 'chart chart-deviation'
    deviationBox.dataset.testid = `chart-deviation-${slug}`
    this.element.append(title, priceBox, deviationLabel, deviationBox)
    parent.append(this.element)

    this.price = createChart(priceBox, CHART_OPTIONS)
    this.deviation = createChart(deviationBox, CHART_OPTIONS)
    for (const venue of venues) {
      const color = venueColor(venue)
      this.mids.set(
        venue,
        this.price.addSeries(LineSeries, {
          color,
          lineWidth: 1,
          lastValueVisible: false,
          priceLineVisible: false,
        }),
      )
      this.deviations.set(
        venue,
        this.deviation.addSeries(LineSeries, {
          color,
          lineWidth: 1,
          lastValueVisible: false,
          priceLineVisible: false,
        }),
      )
    }
    this.mid = this.price.addSeries(LineSeries, {
      color: MID_COLOR,
      lineWidth: 2,
      lineStyle: LineStyle.Dotted,
      title: 'mid',
      priceLineVisible: false,
    })
    this.spread = this.deviation.addSeries(LineSeries, {
      color: SPREAD_COLOR,
      lineWidth: 2,
      title: 'spread',
      priceLineVisible: false,
    })
  }

  /** Replaces everything with the server's history (on connect and reconnect). */
  setHistory(points: readonly SymbolPoint[]): void {
    for (const [venue, series] of this.mids) {
      series.setData(points.map((point) => datum(point.time, venueValue(point.mids, venue))))
    }
    for (const [venue, series] of this.deviations) {
      series.setData(points.map((point) => datum(point.time, venueValue(point.deviationBps, venue))))
    }
    this.mid.setData(points.map((point) => datum(point.time, point.mid)))
    this.spread.setData(points.map((point) => datum(point.time, point.spreadBps)))
    this.lastTime = points.length > 0 ? points[points.length - 1]!.time : Number.NEGATIVE_INFINITY
    this.pointCount = points.length
    this.fit()
  }

  /** Adds or replaces (same second) the newest point. */
  update(point: SymbolPoint): void {
    // The charts refuse data older than their last point; a restarted server sends a snapshot first.
    if (point.time < this.lastTime) return
    if (point.time > this.lastTime) this.pointCount++
    this.lastTime = point.time
    for (const [venue, series] of this.mids) series.update(datum(point.time, venueValue(point.mids, venue)))
    for (const [venue, series] of this.deviations) {
      series.update(datum(point.time, venueValue(point.deviationBps, venue)))
    }
    this.mid.update(datum(point.time, point.mid))
    this.spread.update(datum(point.time, point.spreadBps))
    this.fit()
  }

  /** Spreads a short history over the width; once there is enough, the charts scroll with time. */
  private fit(): void {
    const fitting = this.pointCount < FIT_UNTIL_POINTS
    if (!fitting && !this.fitting) return
    for (const chart of [this.price, this.deviation]) {
      if (fitting) {
        chart.timeScale().applyOptions({ rightOffset: 0 })
        chart.timeScale().fitContent()
      } else chart.timeScale().applyOptions({ rightOffset: 4, barSpacing: 6 })
    }
    this.fitting = fitting
  }

  dispose(): void {
    this.price.remove()
    this.deviation.remove()
    this.element.remove()
  }
}

function legendItem(label: string, color: string): HTMLElement {
  const item = document.createElement('span')
  item.className = 'legend-item'
  const swatch = document.createElement('i')
  swatch.style.background = color
  item.append(swatch, document.createTextNode(label))
  return item
}

function venueValue(values: Partial<Record<string, number | null>>, venue: string): number | null {
  return values[venue] ?? null
}
