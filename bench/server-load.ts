/**
 * The reference server under load: autocannon polling one pending push code at the token endpoint (every
 * answer is `authorization_pending` or `slow_down`, each a full pass through parsing, client authentication
 * and the transaction lookup), with the server alone in its process and autocannon in this one — the
 * machine's 2 cores, one each. The floor is a bare node:http server answering the same error, loaded the same
 * way in the same run.
 * @module
 */
import {
  load, median, pendingPoll, postLoad, print, repetitions, round, startServerProcess, type Load,
} from './figure.js'

const REPETITIONS = repetitions(3)
const SECONDS = 8
const CONNECTIONS = 10
const TARGET_RPS = 5000
const TARGET_P99_MS = 10

async function measure(kind: 'reference' | 'bare'): Promise<Load> {
  const server = await startServerProcess(kind)
  try {
    const body = await pendingPoll(server.url)
    await postLoad(`${server.url}/oauth2/v1/token`, body, CONNECTIONS, 1)
    return await postLoad(`${server.url}/oauth2/v1/token`, body, CONNECTIONS, SECONDS)
  } finally {
    await server.stop()
  }
}

const reference: Load[] = []
const bare: Load[] = []
for (let i = 0; i < REPETITIONS; i++) {
  reference.push(await measure('reference'))
  bare.push(await measure('bare'))
}
const rps = median(reference.map((l) => l.requestsPerSecond))
const p99 = median(reference.map((l) => l.p99Ms))
const bareRps = median(bare.map((l) => l.requestsPerSecond))
const how = `autocannon, ${CONNECTIONS} connections, ${SECONDS} s after 1 s of warm-up, median of ` +
  `${REPETITIONS} alternated with the bare server; last run: ${reference.at(-1)!.statuses}; ${load()}`
print([
  {
    name: 'reference server token polls',
    measured: Math.round(rps),
    unit: 'req/s',
    target: `≥ ${TARGET_RPS} req/s`,
    met: rps >= TARGET_RPS,
    versus: `${round((rps / bareRps) * 100, 0)}% of bare node:http (${Math.round(bareRps)} req/s)`,
    how,
  },
  {
    name: 'reference server poll p99',
    measured: round(p99),
    unit: 'ms',
    target: `< ${TARGET_P99_MS} ms`,
    met: p99 < TARGET_P99_MS,
    versus: `bare node:http p99 ${round(median(bare.map((l) => l.p99Ms)))} ms`,
    how,
  },
])
