import { ConfigError, isVenueId, type VenueId } from '@tickmesh/core'
import type { SimFault } from '../sim-types'

// Periodic fault injection (`--faults drop@binance:5000,stall@okx:10000`): each spec injects one
// fault into one venue every `everyMs`.

export interface PeriodicFault {
  venue: VenueId
  fault: SimFault
  everyMs: number
}

/** Fault names accepted on the command line, with the parameters they get. */
export const FAULT_PRESETS: Readonly<Record<string, SimFault>> = {
  drop: { kind: 'drop', code: 1001, reason: 'going away' },
  stall: { kind: 'stall', durationMs: 3_000 },
  halfOpen: { kind: 'halfOpen' },
  malformed: { kind: 'malformed', count: 1 },
  oversized: { kind: 'oversized', bytes: 1024 * 1024 },
  unknownFields: { kind: 'unknownFields', durationMs: 2_000 },
  errorReply: { kind: 'errorReply' },
  sequenceGap: { kind: 'sequenceGap' },
  badChecksum: { kind: 'badChecksum' },
  rest: { kind: 'rest', status: 503, count: 1 },
  rest429: { kind: 'rest', status: 429, count: 1 },
  rest500: { kind: 'rest', status: 500, count: 1 },
  rest502: { kind: 'rest', status: 502, count: 1 },
  rest503: { kind: 'rest', status: 503, count: 1 },
  restTimeout: { kind: 'rest', status: 'timeout', count: 1 },
  plannedDisconnect: { kind: 'plannedDisconnect' },
  slowConsumer: { kind: 'slowConsumer' },
}

/** Parses `kind@venue:everyMs[,kind@venue:everyMs…]`; throws ConfigError naming the bad part. */
export function parseFaultSpecs(text: string): PeriodicFault[] {
  const specs: PeriodicFault[] = []
  for (const part of text.split(',')) {
    const item = part.trim()
    if (item.length === 0) continue
    const match = /^([A-Za-z0-9]+)@([a-z]+):(\d+)$/.exec(item)
    const hint = `Write kind@venue:everyMs, e.g. drop@binance:5000; kinds: ${Object.keys(FAULT_PRESETS).join(', ')}.`
    if (match === null) throw new ConfigError(`Cannot read the fault spec "${item}".`, { hint })
    const [, kind = '', venue = '', every = ''] = match
    const fault = FAULT_PRESETS[kind]
    if (fault === undefined) throw new ConfigError(`Unknown fault kind "${kind}" in "${item}".`, { hint })
    if (!isVenueId(venue)) {
      throw new ConfigError(`Unknown venue "${venue}" in "${item}".`, {
        hint: 'Venues: binance, bybit, okx, coinbase.',
      })
    }
    const everyMs = Number(every)
    if (everyMs < 1) throw new ConfigError(`The period of "${item}" must be at least 1 ms.`, { hint })
    specs.push({ venue, fault, everyMs })
  }
  return specs
}
