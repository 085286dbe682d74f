import type { NatsConnection } from '@tickmesh/nats'
import { connectNats, redactNatsUrl, subjectToken } from '@tickmesh/nats'
import type { OutputRecord } from './output-records'

export const ANALYSIS_SUBJECT_PREFIX = 'tickmesh.analysis'

/** `tickmesh.analysis.<kind>.<symbol>` (`BTC/USDT` → `BTC-USDT`); summaries and notices under `.summary` / `.notice`. */
export function analysisSubject(record: OutputRecord, prefix = ANALYSIS_SUBJECT_PREFIX): string {
  switch (record.type) {
    case 'analysis':
      return `${prefix}.${record.kind}.${subjectToken(record.symbol)}`
    case 'dry-run':
      return `${prefix}.dry-run.${record.kind}`
    default:
      return `${prefix}.${record.type}`
  }
}

/** Publishes every output record to NATS (core publish: analyses are small and rare, no stream needed). */
export class AnalysisPublisher {
  published = 0
  failed = 0

  private constructor(
    private readonly connection: NatsConnection,
    readonly description: string,
  ) {}

  static async connect(url: string): Promise<AnalysisPublisher> {
    const connection = await connectNats(url, { name: 'tickmesh-ai' })
    return new AnalysisPublisher(connection, redactNatsUrl(url))
  }

  publish(record: OutputRecord): void {
    try {
      this.connection.publish(analysisSubject(record), JSON.stringify(record))
      this.published++
    } catch {
      // A closed or draining connection drops the record; the NDJSON output still has it.
      this.failed++
    }
  }

  /** Flushes what was published and closes the connection. */
  async close(): Promise<void> {
    try {
      await this.connection.drain()
    } catch {
      await this.connection.close().catch(() => undefined)
    }
  }
}
