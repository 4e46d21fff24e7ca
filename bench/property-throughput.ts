/**
 * Property throughput: generated token requests per second in `properties/token-parameters` (generation,
 * the recorded exchange, contract validation), from the rate its check reports, against autocannon sending a
 * fixed token request to the same endpoint of the same server, one connection at a time as the property does.
 * A third rate, Node's `fetch` sending that fixed request in a loop, shows how much of the gap is the HTTP
 * client every check uses rather than the property machinery.
 * @module
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunResults } from '../src/results/model.js'
import {
  CLI, load, median, pendingPoll, postLoad, print, round, runNode, startServerProcess,
} from './figure.js'

const REPETITIONS = 3
const NUM_RUNS = 5000
const BASELINE_SECONDS = 5
const TARGET_RATIO = 2
const CHECK = 'properties/token-parameters'

async function propertyRate(url: string, reportDir: string): Promise<number> {
  const run = await runNode([CLI, 'check', '--base-url', url, '--control-url', `${url}/control`,
    '--suites', 'properties', '--num-runs', String(NUM_RUNS), '--seed', '1', '--report-dir', reportDir])
  if (run.exitCode !== 0) {
    throw new Error(`the property run exited ${run.exitCode}:\n${run.stdout}${run.stderr}`)
  }
  const results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults
  const message = results.checks.find((c) => c.id === CHECK)?.message ?? ''
  const rate = /: (\d+) requests\/s/.exec(message)
  if (!rate) throw new Error(`${CHECK} reported no request rate: ${message}`)
  return Number(rate[1])
}

/** Requests per second of sequential `fetch` calls (each body read) for `seconds`. */
async function fetchRate(url: string, body: string, seconds: number): Promise<number> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' }
  const started = performance.now()
  let sent = 0
  while (performance.now() - started < seconds * 1000) {
    await (await fetch(url, { method: 'POST', headers, body })).arrayBuffer()
    sent++
  }
  return sent / ((performance.now() - started) / 1000)
}

const server = await startServerProcess('reference')
const reportDir = await mkdtemp(join(tmpdir(), 'oob-bench-property-'))
const property: number[] = []
const raw: number[] = []
const fetched: number[] = []
try {
  const endpoint = `${server.url}/oauth2/v1/token`
  const body = await pendingPoll(server.url)
  for (let i = 0; i < REPETITIONS; i++) {
    property.push(await propertyRate(server.url, reportDir))
    raw.push((await postLoad(endpoint, body, 1, BASELINE_SECONDS)).requestsPerSecond)
    fetched.push(await fetchRate(endpoint, body, BASELINE_SECONDS))
  }
} finally {
  await server.stop()
  await rm(reportDir, { recursive: true, force: true })
}
const rate = median(property)
const baseline = median(raw)
const ratio = baseline / rate
print([{
  name: 'property suite overhead',
  measured: round(ratio, 2),
  unit: '×',
  target: `≤ ${TARGET_RATIO}×`,
  met: ratio <= TARGET_RATIO,
  versus: `${Math.round(rate)} generated req/s; raw ${Math.round(baseline)} req/s ` +
    `(autocannon, 1 connection); Node's fetch alone ${Math.round(median(fetched))} req/s`,
  how: `${CHECK} with --num-runs ${NUM_RUNS} (its 20 s limit applies), then autocannon and a fetch loop ` +
    `${BASELINE_SECONDS} s each, alternated ${REPETITIONS} times, medians; ${load()}`,
}])
