/**
 * Memory after one million started transactions: the reference server driven in-process through `fetch` on an
 * injected clock that moves 20 ms per initiation (50 a second, inside the default rate limit), so codes
 * expire and are dropped as they would over 5.5 hours. Heap after a full GC every 100,000; once the retention
 * window is full (30,000 transactions) it must stay flat.
 *
 * The loop lets the event loop turn every 1,000 requests, as a server's does between requests anyway: Node 20
 * frees the AbortSignal a request's copy depends on (hono's body limit copies bodies sent without
 * Content-Length) through a FinalizationRegistry, whose callbacks never run in a loop of promise jobs alone —
 * without the turns the heap grows 2 KB a request, with them it is flat.
 * @module
 */
import { setImmediate as turn } from 'node:timers/promises'
import { createReferenceServer } from '../src/reference-server/index.js'
import { fuzzClock, settledHeap } from '../test/hardening/fuzz.js'
import { load, print, round } from './figure.js'

const TRANSACTIONS = 1_000_000
const CHECKPOINT_EVERY = 100_000
const STEP_MS = 20
/** Growth of the mean heap from the first half of the checkpoints to the second that still counts as flat. */
const TOLERATED_GROWTH = 0.1

const USERS = [
  ['push@example.test', 'push'], ['number@example.test', 'push'], ['sms@example.test', 'sms'],
  ['voice@example.test', 'voice'], ['email@example.test', 'email'],
] as const

const clock = fuzzClock()
const server = await createReferenceServer({ now: clock.now })
const heapMb: number[] = []
const started = performance.now()
for (let i = 1; i <= TRANSACTIONS; i++) {
  clock.advance(STEP_MS)
  const [loginHint, channel] = USERS[i % USERS.length]!
  const res = await server.fetch(new Request('http://reference.test/oauth2/v1/primary-authenticate', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'oob-public-client', login_hint: loginHint, channel_hint: channel,
      challenge_hint: 'urn:okta:params:oauth:grant-type:oob' }),
  }))
  if (res.status !== 200) throw new Error(`initiation ${i} answered ${res.status}: ${await res.text()}`)
  await res.arrayBuffer()
  if (i % 1000 === 0) await turn()
  if (i % CHECKPOINT_EVERY === 0) heapMb.push((await settledHeap()) / 2 ** 20)
}
const seconds = (performance.now() - started) / 1000
// Flat means no trend: the later half of the checkpoints against the earlier half (all past the window).
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
const half = heapMb.length / 2
const growth = mean(heapMb.slice(half)) / mean(heapMb.slice(0, half)) - 1
print([{
  name: 'reference server heap after 1M transactions',
  measured: round(heapMb.at(-1)!),
  unit: 'MB',
  target: `flat after expiry (≤ +${TOLERATED_GROWTH * 100}%)`,
  met: growth <= TOLERATED_GROWTH,
  versus: `${round(growth * 100)}% from the first 500k to the last ` +
    `(${round(mean(heapMb.slice(0, half)))} → ${round(mean(heapMb.slice(half)))} MB on average)`,
  how: `heap after GC every 100k: ${heapMb.map((h) => round(h)).join(', ')} MB; ` +
    `${Math.round(TRANSACTIONS / seconds)} initiations/s in-process; ${load()}`,
}])
