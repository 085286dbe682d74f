import type { VenueId } from '@tickmesh/core'
import { createNatsSource, parseNatsUrl, redactNatsUrl } from '@tickmesh/nats'
import type { AdapterFactory, CliDependencies } from '../context'
import { UsageError } from '../errors'

/**
 * `--from nats://…`: every venue's adapter reads what collectors stored in JetStream instead of the
 * venue (starting with the latest event of every subject, so the page fills at once). The rest of the
 * dashboard runs unchanged on top of these adapters.
 */
export function natsSourceDependencies(
  url: string,
  venues: readonly VenueId[],
  deps: CliDependencies,
): CliDependencies {
  try {
    parseNatsUrl(url)
  } catch (error) {
    throw new UsageError(`--from must be a NATS URL, got "${redactNatsUrl(url)}".`, {
      cause: error,
      hint: 'For example --from nats://127.0.0.1:4222 (a server that `tickmesh collect` publishes to).',
    })
  }
  if (!/^(nats|tls):\/\//.test(url.trim())) {
    throw new UsageError(`--from must be a nats:// URL, got "${redactNatsUrl(url)}".`, {
      hint: 'For example --from nats://127.0.0.1:4222 (a server that `tickmesh collect` publishes to).',
    })
  }
  const factories: Partial<Record<VenueId, AdapterFactory>> = { ...deps.adapterFactories }
  for (const venue of venues) factories[venue] = () => createNatsSource(url, venue)
  return { ...deps, adapterFactories: factories }
}

export function describeNatsSource(url: string): string {
  return `NATS ${redactNatsUrl(url)}`
}
