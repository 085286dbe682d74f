import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLiveSettings } from '../commands/live-run'
import { createTestIo } from '../test-io'
import { type ServeHandle, serveDashboard } from './serve-dashboard'

const CLI_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts', import.meta.url))
const CHROMIUM = '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

interface Running {
  handle: ServeHandle
  done: Promise<unknown>
  stderr: () => string
}

let workDir = ''
let assetsDir = ''
let browser: BrowserContext | null = null

/** Starts `serve --sim` in-process on `port` (0 = any) and resolves once it listens. */
async function startServe(port = 0, silentAfterMs = 2_000): Promise<Running> {
  const t = createTestIo({ cwd: workDir })
  // Frequent dislocations so the arbitrage timeline fills within the test.
  const context = { io: t.io, deps: { simulator: { market: { dislocationProbability: 0.5 } } } }
  const settings = parseLiveSettings(context, ['BTC/USDT', 'ETH/USDT'], {
    venues: 'binance,bybit,okx,coinbase',
    market: 'spot',
    sim: true,
    seed: '7',
    connectTimeout: '10s',
  })
  let ready!: (handle: ServeHandle) => void
  const started = new Promise<ServeHandle>((resolve) => {
    ready = resolve
  })
  const done = serveDashboard(
    context,
    settings,
    {
      port,
      host: '127.0.0.1',
      threshold: 0.0005,
      notional: 0,
      json: false,
      updateIntervalMs: 100,
      silentAfterMs,
      assetsDir,
      ai: true,
      aiFirstDigestAfterMs: 1_000,
    },
    ready,
  )
  const handle = await Promise.race([
    started,
    done.then(() => {
      throw new Error(`serve ended before listening: ${t.stderr.text}`)
    }),
  ])
  return { handle, done, stderr: () => t.stderr.text }
}

async function stopServe(running: Running | null): Promise<void> {
  if (running === null) return
  running.handle.stop()
  await running.done
}

/** A digest of every canvas's pixels inside `selector`, and how many pixels are not background. */
async function canvasDigest(page: Page, selector: string): Promise<{ hash: number; inked: number }> {
  return page.evaluate((sel) => {
    // This runs in the page; the test's compile has no DOM types, so name the little it uses.
    interface PageCanvas {
      width: number
      height: number
      getContext(kind: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
      } | null
    }
    const page = globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<PageCanvas> } }
    let hash = 0
    let inked = 0
    for (const canvas of page.document.querySelectorAll(`${sel} canvas`)) {
      if (canvas.width === 0 || canvas.height === 0) continue
      const context = canvas.getContext('2d')
      if (context === null) continue
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data
      for (let i = 0; i < pixels.length; i += 4) {
        const r = pixels[i]!
        const g = pixels[i + 1]!
        const b = pixels[i + 2]!
        const a = pixels[i + 3]!
        hash = (Math.imul(hash, 31) + ((r << 16) ^ (g << 8) ^ b ^ (a << 24))) | 0
        // Lines and labels are bright; the background (#11151c) and grid (#1c222b) are dark.
        if (a > 0 && r + g + b > 240) inked++
      }
    }
    return { hash, inked }
  }, selector)
}

async function venueRow(
  page: Page,
  venue: string,
): Promise<{ connected: string; state: string; text: string }> {
  const row = page.locator(`[data-testid="venue-row-${venue}"]`)
  return {
    connected: (await row.getAttribute('data-connected')) ?? '',
    state: (await row.getAttribute('data-state')) ?? '',
    text: (await row.textContent()) ?? '',
  }
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'tickmesh-serve-'))
  assetsDir = join(workDir, 'web')
  // Build the page from source so the test checks what this commit ships.
  await build({
    configFile: join(CLI_ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: assetsDir, emptyOutDir: true },
  })
  // A fresh profile per run: nothing cached from an earlier page.
  browser = await chromium.launchPersistentContext(join(workDir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  rmSync(workDir, { recursive: true, force: true })
})

describe('tickmesh serve --sim in Chromium', () => {
  it('draws live charts, lists all four venues, shows an injected disconnect and loads nothing external', async () => {
    let running: Running | null = null
    const page = await browser!.newPage()
    try {
      running = await startServe()
      const origin = new URL(running.handle.url).origin
      const foreign: string[] = []
      page.on('request', (request) => {
        const url = request.url()
        if (
          !url.startsWith(origin) &&
          !url.startsWith(origin.replace('http', 'ws')) &&
          !url.startsWith('data:')
        ) {
          foreign.push(url)
        }
      })
      const consoleErrors: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text())
      })
      page.on('pageerror', (error) => consoleErrors.push(error.message))

      await page.goto(running.handle.url)
      await expect
        .poll(() => page.getAttribute('[data-testid="link-status"]', 'data-state'), { timeout: 15_000 })
        .toBe('live')

      // All four venues appear in the health table and connect to the simulator.
      for (const venue of ['binance', 'bybit', 'okx', 'coinbase']) {
        await expect
          .poll(async () => (await venueRow(page, venue)).connected, { timeout: 25_000 })
          .toBe('true')
      }
      // Both symbols have a chart card; the price chart has drawn lines (bright pixels).
      expect(await page.locator('article.card').count()).toBe(2)
      const chart = '[data-testid="chart-price-BTC-USDT"]'
      await expect
        .poll(async () => (await canvasDigest(page, chart)).inked, { timeout: 15_000 })
        .toBeGreaterThan(200)
      // ... and keeps drawing: the pixels change as new one-second points arrive.
      const first = await canvasDigest(page, chart)
      await expect
        .poll(async () => (await canvasDigest(page, chart)).hash, { timeout: 15_000, interval: 500 })
        .not.toBe(first.hash)
      const deviation = await canvasDigest(page, '[data-testid="chart-deviation-ETH-USDT"]')
      expect(deviation.inked).toBeGreaterThan(50)

      // The consolidated best bid/ask names a venue for both symbols.
      await expect.poll(() => page.locator('#bbo tbody tr').count()).toBe(2)
      expect(await page.locator('#bbo tbody').textContent()).toMatch(
        /BTC\/USDT[\s\S]*(binance|bybit|okx|coinbase)/,
      )

      // A dropped connection: counted as a reconnect and logged on the page.
      running.handle.session.venues.simulator!.inject('binance', { kind: 'drop' })
      await expect
        .poll(
          async () =>
            Number(
              (
                (await page
                  .locator('[data-testid="venue-row-binance"] td[data-field="reconnects"]')
                  .textContent()) ?? ''
              ).trim(),
            ),
          {
            timeout: 20_000,
          },
        )
        .toBeGreaterThanOrEqual(1)
      await expect
        .poll(() => page.locator('#notices').textContent(), { timeout: 10_000 })
        .toMatch(/binance reconnecting/)

      // A stalled venue (socket open, nothing sent) shows as not connected within the silence limit.
      running.handle.session.venues.simulator!.inject('bybit', { kind: 'stall', durationMs: 30_000 })
      await expect
        .poll(async () => (await venueRow(page, 'bybit')).connected, { timeout: 15_000 })
        .toBe('false')
      expect((await venueRow(page, 'bybit')).text).toMatch(/silent|disconnected/)
      expect((await venueRow(page, 'okx')).connected).toBe('true')

      // Dislocations open opportunities: they appear on the timeline with their route and edge.
      await expect
        .poll(() => page.locator('#arbitrage tbody tr.open, #arbitrage tbody tr.closed').count(), {
          timeout: 20_000,
        })
        .toBeGreaterThanOrEqual(1)
      expect(await page.locator('#arbitrage tbody tr').first().textContent()).toMatch(
        /(binance|bybit|okx|coinbase) → (binance|bybit|okx|coinbase)/,
      )
      expect(await page.locator('#arb-counts').textContent()).toMatch(/[1-9]\d* opened/)

      // --ai: the local analyst's lines appear in their panel.
      await expect
        .poll(() => page.locator('#analyses li').count(), { timeout: 15_000 })
        .toBeGreaterThanOrEqual(2)
      expect(await page.locator('#analyses-panel').isVisible()).toBe(true)

      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, 'serve-dashboard.png'), fullPage: true })

      // Readable on a laptop screen: nothing wider than the window.
      await page.setViewportSize({ width: 1280, height: 800 })
      await expect
        .poll(() =>
          page.evaluate(() => {
            const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
              .document.documentElement
            return root.scrollWidth - (globalThis as unknown as { innerWidth: number }).innerWidth
          }),
        )
        .toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(ARTIFACTS, 'serve-dashboard-1280.png') })

      expect(foreign).toEqual([])
      expect(consoleErrors).toEqual([])
    } finally {
      await page.close()
      await stopServe(running)
    }
  }, 120_000)
  it('a page opened late draws the history at once and reconnects by itself when the server restarts', async () => {
    let running: Running | null = null
    let restarted: Running | null = null
    const page = await browser!.newPage()
    try {
      running = await startServe()
      const { port } = running.handle.server
      // Let the server collect a few seconds of history before any page connects.
      await expect
        .poll(
          () => running!.handle.feed.snapshot().history['BTC/USDT']!.filter((p) => p.mid !== null).length,
          {
            timeout: 25_000,
          },
        )
        .toBeGreaterThanOrEqual(3)
      await page.goto(running.handle.url)
      await expect
        .poll(() => page.getAttribute('[data-testid="link-status"]', 'data-state'), { timeout: 15_000 })
        .toBe('live')
      // The snapshot alone already draws lines (three seconds of mids).
      const chart = '[data-testid="chart-price-BTC-USDT"]'
      expect((await canvasDigest(page, chart)).inked).toBeGreaterThan(100)

      await stopServe(running)
      running = null
      await expect
        .poll(() => page.getAttribute('[data-testid="link-status"]', 'data-state'), { timeout: 15_000 })
        .not.toBe('live')
      expect(await page.locator('[data-testid="link-status"]').textContent()).toMatch(/retrying|reconnecting/)

      restarted = await startServe(port)
      await expect
        .poll(() => page.getAttribute('[data-testid="link-status"]', 'data-state'), { timeout: 20_000 })
        .toBe('live')
      await expect.poll(async () => (await venueRow(page, 'okx')).connected, { timeout: 25_000 }).toBe('true')
      expect(await page.locator('article.card').count()).toBe(2)
    } finally {
      await page.close()
      await stopServe(running)
      await stopServe(restarted)
    }
  }, 120_000)
})
