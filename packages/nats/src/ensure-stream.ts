import {
  DiscardPolicy,
  type JetStreamManager,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream'
import { type NatsConnection, nanos } from '@nats-io/transport-node'
import { ConfigError, ConnectionError } from '@tickmesh/core'
import { DEFAULT_SUBJECT_PREFIX } from './subjects'

/** The JetStream stream that holds tickmesh events, and its retention limits. */
export interface StreamSettings {
  /** Default `TICKMESH`. */
  name?: string
  /** Subjects are `<prefix>.>`; default `tickmesh`. */
  subjectPrefix?: string
  /** Oldest message kept (default 24 h). */
  maxAgeMs?: number
  /** Bytes kept before the oldest messages are discarded (default 1 GiB). */
  maxBytes?: number
  /** How long `Nats-Msg-Id`s are remembered for deduplication (default 5 min, at most maxAge). */
  duplicateWindowMs?: number
  /** Default `file`; `memory` is faster and lost when the server restarts. */
  storage?: 'file' | 'memory'
  /** Copies in a JetStream cluster (default 1). */
  replicas?: number
}

export const DEFAULT_STREAM_NAME = 'TICKMESH'

export interface ResolvedStreamSettings {
  name: string
  subjectPrefix: string
  maxAgeMs: number
  maxBytes: number
  duplicateWindowMs: number
  storage: 'file' | 'memory'
  replicas: number
}

export function resolveStreamSettings(settings: StreamSettings = {}): ResolvedStreamSettings {
  const resolved: ResolvedStreamSettings = {
    name: settings.name ?? DEFAULT_STREAM_NAME,
    subjectPrefix: settings.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX,
    maxAgeMs: settings.maxAgeMs ?? 24 * 3_600_000,
    maxBytes: settings.maxBytes ?? 1024 ** 3,
    duplicateWindowMs: settings.duplicateWindowMs ?? 5 * 60_000,
    storage: settings.storage ?? 'file',
    replicas: settings.replicas ?? 1,
  }
  if (!/^[A-Za-z0-9_-]+$/.test(resolved.name)) {
    throw new ConfigError(`"${resolved.name}" is not a valid JetStream stream name.`, {
      hint: 'Use letters, digits, "-" and "_" only.',
    })
  }
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(resolved.subjectPrefix)) {
    throw new ConfigError(`"${resolved.subjectPrefix}" is not a valid subject prefix.`, {
      hint: 'Use dot-separated tokens of letters, digits, "-" and "_", e.g. "tickmesh" or "desk1.tickmesh".',
    })
  }
  for (const key of ['maxAgeMs', 'maxBytes', 'duplicateWindowMs', 'replicas'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] <= 0) {
      throw new ConfigError(`Stream setting ${key} must be a positive integer.`, {
        details: { [key]: resolved[key] },
      })
    }
  }
  if (resolved.duplicateWindowMs > resolved.maxAgeMs) resolved.duplicateWindowMs = resolved.maxAgeMs
  return resolved
}

/**
 * Creates the stream, or checks an existing one and brings its limits (age, bytes, duplicate window)
 * to the settings. A stream with other storage or without the tickmesh subjects is a `ConfigError`:
 * changing those would need deleting data, which tickmesh never does on its own.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  settings: StreamSettings = {},
): Promise<StreamInfo> {
  const resolved = resolveStreamSettings(settings)
  const subject = `${resolved.subjectPrefix}.>`
  const limits: Partial<StreamConfig> = {
    max_age: nanos(resolved.maxAgeMs),
    max_bytes: resolved.maxBytes,
    duplicate_window: nanos(resolved.duplicateWindowMs),
  }
  let existing: StreamInfo | null = null
  try {
    existing = await jsm.streams.info(resolved.name)
  } catch (error) {
    if (!isNotFound(error)) throw jetStreamError(error, resolved.name)
  }
  if (existing === null) {
    try {
      return await jsm.streams.add({
        name: resolved.name,
        subjects: [subject],
        retention: RetentionPolicy.Limits,
        storage: resolved.storage === 'memory' ? StorageType.Memory : StorageType.File,
        discard: DiscardPolicy.Old,
        num_replicas: resolved.replicas,
        ...limits,
      })
    } catch (error) {
      // Another collector may have created it a moment ago: verify that one instead.
      if (!String(error).includes('already in use')) throw jetStreamError(error, resolved.name)
      existing = await jsm.streams.info(resolved.name)
    }
  }
  const config = existing.config
  if (!config.subjects.includes(subject)) {
    throw new ConfigError(`The stream ${resolved.name} exists but does not hold the subjects ${subject}.`, {
      details: { subjects: config.subjects },
      hint: `Pick another stream name (--stream) or subject prefix, or add ${subject} to the stream with the nats CLI.`,
    })
  }
  const wantedStorage = resolved.storage === 'memory' ? StorageType.Memory : StorageType.File
  if (config.storage !== wantedStorage) {
    throw new ConfigError(
      `The stream ${resolved.name} uses ${config.storage} storage, not ${resolved.storage}.`,
      {
        hint: 'Storage cannot change in place: use the existing storage, another stream name, or recreate the stream.',
      },
    )
  }
  if (
    config.max_age !== limits.max_age ||
    config.max_bytes !== limits.max_bytes ||
    config.duplicate_window !== limits.duplicate_window
  ) {
    try {
      return await jsm.streams.update(resolved.name, limits)
    } catch (error) {
      throw jetStreamError(error, resolved.name)
    }
  }
  return existing
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message)
}

function jetStreamError(error: unknown, stream: string): ConnectionError {
  const reason = error instanceof Error ? error.message : String(error)
  return new ConnectionError(`JetStream refused the stream ${stream}: ${reason}`, {
    cause: error,
    hint: /no responders|503|not enabled/i.test(reason)
      ? 'JetStream is not enabled on this server: start nats-server with -js.'
      : 'Check the server log and the account limits (nats account info).',
  })
}

/** `ensureStream` on a connection (opens the JetStream manager). */
export async function setupStream(
  connection: NatsConnection,
  settings: StreamSettings = {},
): Promise<StreamInfo> {
  let jsm: JetStreamManager
  try {
    jsm = await jetstreamManager(connection)
  } catch (error) {
    throw jetStreamError(error, settings.name ?? DEFAULT_STREAM_NAME)
  }
  return ensureStream(jsm, settings)
}

/** Stored messages per subject matching `subjectFilter` (e.g. `tickmesh.trade.>`). */
export async function countStoredBySubject(
  connection: NatsConnection,
  subjectFilter: string,
  stream: string = DEFAULT_STREAM_NAME,
): Promise<Record<string, number>> {
  const jsm = await jetstreamManager(connection)
  const info = await jsm.streams.info(stream, { subjects_filter: subjectFilter })
  return { ...info.state.subjects }
}
