// @tickmesh/cli public API: run the CLI in-process (tests, embedding) and its building blocks.
export { main, createProgram } from './program'
export type { CommandRegistrar } from './program'
export type { CliContext, CliDependencies, AdapterFactory } from './context'
export { processIo, colorEnabled } from './io'
export type { CliIo, CliOutput } from './io'
export {
  EXIT_OK,
  EXIT_RUNTIME,
  EXIT_USAGE,
  UsageError,
  VenuesUnreachableError,
  exitCodeOf,
  formatError,
} from './errors'
export type { UnreachableVenue } from './errors'
export { parseDuration, formatDuration } from './duration'
export { loadConfig, DEFAULT_CONFIG_FILE } from './config'
export type { CliConfig, VenueConfig } from './config'
export { eventJson, eventLine, opportunityJson, opportunityLine } from './output/format-event'
