import { Buffer } from 'node:buffer'

// CRC-32 (IEEE 802.3, the zlib/PNG polynomial 0xEDB88320), table-driven, no dependency. Venue
// checksums (OKX) are computed over short ASCII strings, so the ASCII path avoids a TextEncoder copy.

const TABLE = buildTable()

function buildTable(): Uint32Array {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
}

/** CRC-32 of the bytes, continuing from `previous` (the CRC of the bytes before, default 0). Unsigned. */
export function crc32Bytes(bytes: Uint8Array, previous = 0): number {
  return ~updateBytes(~previous, bytes) >>> 0
}

/**
 * CRC-32 (IEEE, as zlib's `crc32`) of the UTF-8 bytes of `text`, as an unsigned 32-bit integer,
 * continuing from `previous` (the CRC of the text before, default 0): `crc32(b, crc32(a))` equals
 * `crc32(a + b)`, so a checksum over many strings needs no concatenation.
 * Use `crc32Signed` (or `value | 0`) where a venue publishes the checksum as a signed int32.
 */
export function crc32(text: string, previous = 0): number {
  return ~updateText(~previous, text) >>> 0
}

/** Runs the register (the inverted CRC) over `bytes`. */
function updateBytes(register: number, bytes: Uint8Array): number {
  let crc = register
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return crc
}

/** Runs the register over the UTF-8 bytes of `text`. */
function updateText(register: number, text: string): number {
  let crc = register
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    // Non-ASCII text is rare here; encode the rest properly rather than hashing UTF-16 units
    // (everything before `i` is ASCII, so `i` starts a character).
    if (code >= 0x80) return updateBytes(crc, Buffer.from(text.slice(i), 'utf8'))
    crc = TABLE[(crc ^ code) & 0xff]! ^ (crc >>> 8)
  }
  return crc
}

/** CRC-32 of the UTF-8 bytes of `text` as a signed int32 (the form OKX publishes). */
export function crc32Signed(text: string): number {
  return crc32(text) | 0
}
