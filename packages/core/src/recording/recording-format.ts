import type { RawItem } from '../adapter/adapter-types'
import { DecodeError } from '../errors'
import { safeParseJson } from '../safe-json'
import { isVenueId, MARKETS } from '../venues'

/**
 * One recording line, as stored: `{"t","venue","market","kind","url","status"?,"data"}` where `t` is
 * the local receive time (ms) and `data` the frame or response body exactly as received.
 */
export interface RecordingLine {
  t: number
  venue: RawItem['venue']
  market: RawItem['market']
  kind: RawItem['kind']
  url: string
  status?: number
  data: string
}

/** Serializes an item as one NDJSON line (without the newline), keys in the documented order. */
export function encodeRecordingLine(item: RawItem, url: string = item.url): string {
  const line: RecordingLine =
    item.status === undefined
      ? { t: item.receivedAt, venue: item.venue, market: item.market, kind: item.kind, url, data: item.data }
      : {
          t: item.receivedAt,
          venue: item.venue,
          market: item.market,
          kind: item.kind,
          url,
          status: item.status,
          data: item.data,
        }
  return JSON.stringify(line)
}

/** Parses one line back into a `RawItem`, or a `DecodeError` naming the line and what is wrong. */
export function decodeRecordingLine(text: string, lineNumber: number, path: string): RawItem | DecodeError {
  const parsed = safeParseJson(text)
  if (!parsed.success) {
    return lineError(`Recording line ${lineNumber} is not valid JSON.`, text, lineNumber, path, parsed.error)
  }
  const value = parsed.value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return lineError(`Recording line ${lineNumber} is not a JSON object.`, text, lineNumber, path)
  }
  const record = value as Record<string, unknown>
  const { t, venue, market, kind, url, status, data } = record
  let problem: string | null = null
  if (typeof t !== 'number' || !Number.isFinite(t)) problem = '"t" must be a finite number'
  else if (typeof venue !== 'string' || !isVenueId(venue))
    problem = `"venue" ${JSON.stringify(venue)} is unknown`
  else if (typeof market !== 'string' || !(MARKETS as readonly string[]).includes(market))
    problem = `"market" ${JSON.stringify(market)} is unknown`
  else if (kind !== 'ws' && kind !== 'rest') problem = '"kind" must be "ws" or "rest"'
  else if (typeof url !== 'string') problem = '"url" must be a string'
  else if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status)))
    problem = '"status" must be an integer'
  else if (typeof data !== 'string') problem = '"data" must be a string'
  if (problem !== null) {
    return lineError(
      `Recording line ${lineNumber} is not a recorded item: ${problem}.`,
      text,
      lineNumber,
      path,
    )
  }
  const item: RawItem = {
    kind: kind as RawItem['kind'],
    venue: venue as RawItem['venue'],
    market: market as RawItem['market'],
    url: url as string,
    data: data as string,
    receivedAt: t as number,
  }
  if (typeof status === 'number') item.status = status
  return item
}

function lineError(
  message: string,
  text: string,
  lineNumber: number,
  path: string,
  cause?: Error,
): DecodeError {
  return new DecodeError(message, {
    raw: text,
    hint: 'The line was skipped. A recording cut off mid-write ends with a partial line; other damage means the file was edited or is not a tickmesh recording.',
    details: { path, line: lineNumber },
    ...(cause === undefined ? {} : { cause }),
  })
}
