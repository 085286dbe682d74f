// Measures real collectors: in each collector process the simulator's Binance runs in firehose mode
// (as fast as sockets drain) → the Binance adapter → createCollector → nats-server (JetStream, file
// storage); the parent process runs nats-server and one reader and counts events/s.
// Run: pnpm exec tsx --tsconfig apps/cli/tsconfig.json apps/cli/src/collect/measure-collector.ts [seconds] [collectors]
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBinance } from '@tickmesh/binance'
import {
  connectNats,
  createCollector,
  createPublisher,
  setupStream,
  startNatsServer,
  subscribeEvents,
} from '@tickmesh/nats'
import { startSimulator } from '@tickmesh/simulator'

if (process.argv[2] === 'child') await runChild(process.argv[3]!, Number(process.argv[4]), process.argv[5]!)
else await runParent(Number(process.argv[2] ?? 10), Number(process.argv[3] ?? 1))

/** One collector process: its own simulator, adapter, connection and publisher, until SIGTERM. */
async function runChild(url: string, index: number, spillDir: string): Promise<void> {
  const sim = await startSimulator({ venues: ['binance'], firehose: true, seed: index + 1 })
  const connection = await connectNats(url)
  const publisher = createPublisher({ connection, spillDir })
  const collector = createCollector({
    adapters: [createBinance({ wsUrl: sim.venues.binance.ws, restUrl: sim.venues.binance.rest })],
    publisher,
    symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
  })
  process.once('SIGTERM', () => {
    const stats = publisher.stats()
    process.stdout.write(`${JSON.stringify({ conflated: stats.conflated, spilled: stats.spilled })}\n`)
    void collector
      .close({ flushTimeoutMs: 0 })
      .then(() => connection.close())
      .then(() => sim.close())
      .then(() => process.exit(0))
  })
}

async function runParent(seconds: number, collectors: number): Promise<void> {
  const server = await startNatsServer()
  const spillRoot = await mkdtemp(join(tmpdir(), 'tickmesh-collector-bench-'))
  const admin = await connectNats(server.url)
  await setupStream(admin, { maxBytes: 4 * 1024 ** 3 })
  const reader = subscribeEvents(server.url, {}, { from: 'new' })
  let received = 0
  let reading = true
  const readLoop = (async () => {
    for await (const _event of reader) {
      received++
      if (!reading) break
    }
  })()
  const script = fileURLToPath(import.meta.url)
  const children = Array.from({ length: collectors }, (_, index) =>
    spawn(
      process.execPath,
      [...process.execArgv, script, 'child', server.url, String(index), join(spillRoot, String(index))],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  )
  const outputs = children.map((child) => {
    let text = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
    })
    return new Promise<string>((resolve) => child.once('exit', () => resolve(text.trim())))
  })
  await new Promise((resolve) => setTimeout(resolve, 4_000)) // start, connect, snapshots, warm up
  const startCount = received
  const started = performance.now()
  await new Promise((resolve) => setTimeout(resolve, seconds * 1_000))
  const rate = (received - startCount) / ((performance.now() - started) / 1_000)
  reading = false
  for (const child of children) child.kill('SIGTERM')
  const overflow = (await Promise.all(outputs)).join(' ')
  console.log(
    `${collectors} collector process(es), simulator firehose: ${Math.round(rate)} events/s read end to end over ${seconds} s; publisher overflow per collector: ${overflow}`,
  )
  await reader.close()
  await readLoop.catch(() => undefined)
  await admin.close()
  await server.stop()
  await rm(spillRoot, { recursive: true, force: true })
}
