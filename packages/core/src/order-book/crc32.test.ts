import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { readFixture } from '../../../../test-support/fixtures'
import { crc32, crc32Bytes, crc32Signed } from './crc32'

interface ChecksumVector {
  check_string: string
  crc32_signed: number
}

const vectors = JSON.parse(readFixture('okx', 'derived_checksum_test_vectors.json')) as Record<
  string,
  ChecksumVector
>

describe('crc32', () => {
  it('matches the standard IEEE check value and zlib on known inputs', () => {
    expect(crc32('123456789')).toBe(0xcbf43926)
    expect(crc32('')).toBe(0)
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339)
  })

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    const text = 'prix €'
    expect(crc32(text)).toBe(crc32Bytes(Buffer.from(text, 'utf8')))
    expect(crc32Bytes(new Uint8Array([0xe2, 0x82, 0xac]))).toBe(crc32('€'))
  })

  it('continues a CRC across chunks', () => {
    const bytes = Buffer.from('123456789')
    expect(crc32Bytes(bytes.subarray(4), crc32Bytes(bytes.subarray(0, 4)))).toBe(0xcbf43926)
  })

  it('continues a CRC across strings, ASCII or not, as over their concatenation', () => {
    expect(crc32('56789', crc32('1234'))).toBe(0xcbf43926)
    expect(crc32('', crc32('123456789'))).toBe(0xcbf43926)
    expect(crc32('x €5', crc32('prix:'))).toBe(crc32('prix:x €5'))
    expect(crc32('€', crc32Bytes(Buffer.from('a')))).toBe(crc32Bytes(Buffer.from('a€', 'utf8')))
  })

  it.each(['doc_example_1_more_than_25_levels', 'doc_example_2_less_than_25_levels', 'real_snapshot_2022'])(
    'reproduces the OKX vector %s as a signed int32',
    (name) => {
      const vector = vectors[name]!
      expect(crc32Signed(vector.check_string)).toBe(vector.crc32_signed)
      expect(crc32(vector.check_string) | 0).toBe(vector.crc32_signed)
    },
  )
})
