/** Line colors per venue, distinct on the dark background; the consolidated mid is white. */
export const VENUE_COLORS: Record<string, string> = {
  binance: '#f0b90b',
  bybit: '#ff6d3a',
  okx: '#4dabf7',
  coinbase: '#b197fc',
}

export const MID_COLOR = '#e9ecef'
export const SPREAD_COLOR = '#63e6be'

export function venueColor(venue: string): string {
  return VENUE_COLORS[venue] ?? '#adb5bd'
}
