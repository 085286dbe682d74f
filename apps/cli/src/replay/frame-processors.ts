import { createBinanceFrameProcessor } from '@tickmesh/binance'
import { createBybitFrameProcessor } from '@tickmesh/bybit'
import { createCoinbaseFrameProcessor } from '@tickmesh/coinbase'
import type { FrameProcessor, FrameProcessorOptions, VenueId } from '@tickmesh/core'
import { createOkxFrameProcessor } from '@tickmesh/okx'

/** A venue's frame processor, closable when the venue's package offers it. */
export type ReplayProcessor = FrameProcessor & { close?: () => void }

/** Venue → its adapter's stateful decode + book pipeline (the same code the live adapter runs). */
export const FRAME_PROCESSORS: Partial<Record<VenueId, (options: FrameProcessorOptions) => ReplayProcessor>> =
  {
    binance: createBinanceFrameProcessor,
    bybit: createBybitFrameProcessor,
    okx: createOkxFrameProcessor,
    coinbase: createCoinbaseFrameProcessor,
  }
