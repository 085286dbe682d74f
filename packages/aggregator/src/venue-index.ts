import type { VenueId } from '@tickmesh/core'
import { VENUES } from '@tickmesh/core'

/** Number of venue slots preallocated per symbol. */
export const VENUE_COUNT = VENUES.length

// A constant lookup so the hot path maps a venue to its slot without `indexOf` or allocation.
const VENUE_INDEX: Record<VenueId, number> = { binance: 0, bybit: 1, okx: 2, coinbase: 3 }

export function venueIndex(venue: VenueId): number {
  return VENUE_INDEX[venue]
}

export function venueAt(index: number): VenueId {
  return VENUES[index]!
}

/** A per-venue number setting: one value for all venues or a partial map with a default. */
export type PerVenue<T> = T | Partial<Record<VenueId, T>>

export function resolvePerVenue(
  value: PerVenue<number> | undefined,
  defaults: Record<VenueId, number>,
): Float64Array {
  const out = new Float64Array(VENUE_COUNT)
  for (let i = 0; i < VENUE_COUNT; i++) {
    const venue = venueAt(i)
    out[i] =
      value === undefined
        ? defaults[venue]
        : typeof value === 'number'
          ? value
          : (value[venue] ?? defaults[venue])
  }
  return out
}
