import { ConfigError, VENUES, type VenueId } from '@tickmesh/core'
import { createNatsSource, parseNatsUrl } from '@tickmesh/nats'
import type { AdapterFactory, CliContext } from '../context'
import { UsageError } from '../errors'

/**
 * The context for a live command reading `--from nats://…`: every venue's adapter is a NATS source
 * (what `tickmesh collect` stored, latest state first, then live), so the command runs unchanged.
 */
export function withNatsSource(context: CliContext, url: string, sim: boolean): CliContext {
  if (sim) {
    throw new UsageError('--from and --sim cannot be combined.', {
      hint: 'Run tickmesh collect … --sim --to nats://… and read it with --from, or drop --from.',
    })
  }
  try {
    parseNatsUrl(url)
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.shortMessage, { hint: error.hint })
    throw error
  }
  const adapterFactories: Partial<Record<VenueId, AdapterFactory>> = {}
  for (const venue of VENUES) adapterFactories[venue] = () => createNatsSource(url, venue)
  return { ...context, deps: { ...context.deps, adapterFactories } }
}
