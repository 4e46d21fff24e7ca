/**
 * Property throughput: generated token requests per second in `properties/token-parameters` (generation, the
 * recorded exchange, contract validation), from the rate its check reports ("N runs, M requests in S s: R
 * requests/s"), for the current CLI and for the implementation before the in-process engine (baseline.ts),
 * against the same reference server process, alternated so that both see the same load.
 *
 * Two rates of that server's token endpoint give the ceiling as context: autocannon sending a fixed token
 * request one connection at a time as the property does, and Node's `fetch` sending it in a loop (the HTTP
 * client every check uses).
 * @module
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunResults } from '../src/results/model.js'
import { BASELINE_COMMIT, ensureBaseline } from './baseline.js'
import {
  CLI, load, median, pendingPoll, postLoad, print, repetitions, round, runNode, startServerProcess,
} from './figure.js'

const REPETITIONS = repetitions(3)
const NUM_RUNS = 5000
const BASELINE_SECONDS = 5
const TARGET_RATIO = 4
const CHECK = 'properties/token-parameters'
/** The property stops itself after 20 s; the bound covers start-up and the other properties of the suite. */
const RUN_TIMEOUT_MS = 3 * 60_000

async function propertyRate(cli: string, url: string, reportDir: string): Promise<number> {
  const run = await runNode([cli, 'check', '--base-url', url, '--control-url', `${url}/control`,
    '--suites', 'properties', '--num-runs', String(NUM_RUNS), '--seed', '1', '--report-dir', reportDir], {},
  RUN_TIMEOUT_MS)
  // Both implementations write results.json whatever the verdict; the figure needs only this check's message.
  const results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults
  const message = results.checks.find((c) => c.id === CHECK)?.message ?? ''
  const rate = /: (\d+) requests\/s/.exec(message)
  if (!rate) {
    throw new Error(`${CHECK} of ${cli} reported no request rate (exit ${run.exitCode}): ${message}\n` +
      `${run.stdout}${run.stderr}`)
  }
  return Number(rate[1])
}

/** Requests per second of sequential `fetch` calls (each body read) for `seconds`. */
async function fetchRate(url: string, body: string, seconds: number): Promise<number> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' }
  const started = performance.now()
  let sent = 0
  while (performance.now() - started < seconds * 1000) {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) })
    await res.arrayBuffer()
    sent++
  }
  return sent / ((performance.now() - started) / 1000)
}

const baselineCli = await ensureBaseline()
const server = await startServerProcess('reference')
const reportDir = await mkdtemp(join(tmpdir(), 'oob-bench-property-'))
const current: number[] = []
const baseline: number[] = []
const raw: number[] = []
const fetched: number[] = []
try {
  const endpoint = `${server.url}/oauth2/v1/token`
  const body = await pendingPoll(server.url)
  for (let i = 0; i < REPETITIONS; i++) {
    // The order flipped every repetition, so that neither CLI always follows the other's load on the server.
    const order = i % 2 === 0 ? [CLI, baselineCli] : [baselineCli, CLI]
    for (const cli of order) {
      const [samples, name] = cli === CLI ? [current, 'current'] : [baseline, 'baseline']
      samples.push(await propertyRate(cli, server.url, join(reportDir, `${name}-${i}`)))
    }
    raw.push((await postLoad(endpoint, body, 1, BASELINE_SECONDS)).requestsPerSecond)
    fetched.push(await fetchRate(endpoint, body, BASELINE_SECONDS))
  }
} finally {
  await server.stop()
  await rm(reportDir, { recursive: true, force: true })
}
const rate = median(current)
const before = median(baseline)
const ratio = rate / before
print([{
  name: 'generated property requests/s',
  measured: Math.round(rate),
  unit: 'req/s',
  target: `≥ ${TARGET_RATIO}× baseline (≥ ${Math.round(TARGET_RATIO * before)})`,
  met: ratio >= TARGET_RATIO,
  versus: `${round(ratio, 2)}× the baseline's ${Math.round(before)} req/s; the endpoint alone: ` +
    `${Math.round(median(raw))} req/s (autocannon, 1 connection), Node's fetch ${Math.round(median(fetched))} req/s`,
  how: `${CHECK} with --num-runs ${NUM_RUNS} --seed 1 (its 20 s limit applies), the rate its check reports; ` +
    `current ${current.join(', ')}, baseline (${BASELINE_COMMIT}, suites inside vitest) ${baseline.join(', ')} ` +
    `req/s; the two CLIs, then autocannon and a fetch loop ${BASELINE_SECONDS} s each, against one reference ` +
    `server process, alternated ${REPETITIONS} times, medians; ${load()}`,
}])
