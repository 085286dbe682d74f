import type { TickmeshErrorCode, TickmeshErrorOptions } from '@tickmesh/core'
import { TickmeshError } from '@tickmesh/core'

/** Why a model call produced no analysis. */
export type ModelFailureReason =
  | 'rate-limit'
  | 'http'
  | 'timeout'
  | 'network'
  | 'invalid-output'
  | 'budget'
  | 'queue-full'

const CODES: Record<ModelFailureReason, TickmeshErrorCode> = {
  'rate-limit': 'RATE_LIMIT',
  http: 'REST_ERROR',
  timeout: 'CONNECTION_TIMEOUT',
  network: 'CONNECTION_ERROR',
  'invalid-output': 'DECODE_ERROR',
  budget: 'TICKMESH_ERROR',
  'queue-full': 'TICKMESH_ERROR',
}

/** A model call that failed after its retries; carried in a failed analysis record, never thrown out of the worker. */
export class ModelCallError extends TickmeshError {
  override name = 'ModelCallError'
  readonly reason: ModelFailureReason
  readonly model: string
  /** HTTP status of the last response, when there was one. */
  readonly status: number | null

  constructor(
    shortMessage: string,
    options: TickmeshErrorOptions & { reason: ModelFailureReason; model: string; status?: number | null },
  ) {
    const { reason, model, status = null, ...rest } = options
    super(
      shortMessage,
      {
        isRetryable:
          reason === 'rate-limit' || reason === 'network' || reason === 'timeout' || reason === 'http',
        ...rest,
        details: { model, ...(status === null ? {} : { status }), ...rest.details },
      },
      CODES[reason],
    )
    this.reason = reason
    this.model = model
    this.status = status
  }
}
