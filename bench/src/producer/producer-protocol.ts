import type { VenueId } from '@tickmesh/core'
import type { StreamChannel } from './trade-frames'

// Messages between the bench (parent) and the frame server (a child process on its own core).

export type ProducerCommand =
  | { type: 'fire'; venue: VenueId; channel: StreamChannel; mode: 'firehose'; count: number }
  | { type: 'fire'; venue: VenueId; channel: StreamChannel; mode: 'rate'; rate: number; durationMs: number }
  | { type: 'status'; venue: VenueId }
  | { type: 'stop' }

export type ProducerReply =
  | { type: 'listening'; ports: Record<string, number> }
  | { type: 'fired'; venue: VenueId; sent: number; elapsedMs: number; error?: string }
  | {
      type: 'status'
      venue: VenueId
      /** The newest client connection's path and the text messages it sent (its subscribe). */
      path: string | null
      clientMessages: string[]
      open: number
    }
