/**
 * What every benchmark script shares: the figure it reports, repetitions and medians, child processes, the
 * servers in processes of their own, and autocannon. Each script prints its figures as one JSON line (the
 * last line of its stdout), which `run.ts` gathers into the table.
 * @module
 */
import { spawn } from 'node:child_process'
import autocannon from 'autocannon'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../src/package-root.js'

export interface Figure {
  name: string
  measured: number
  unit: string
  /** As printed, e.g. `≤ 15 s`. */
  target: string
  met: boolean
  /** The same-run comparison that makes the figure readable on a noisy machine, e.g. `2.1× the baseline`. */
  versus: string
  /** How it was measured. */
  how: string
}

export const CLI = join(packageRoot, 'dist', 'src', 'cli', 'main.js')
/** The compiled benchmark scripts. */
export const BENCH_DIR = join(packageRoot, 'dist', 'bench')

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

/** The 1-minute load average, quoted with each figure: other jobs share this machine's 2 cores. */
export const load = () => `load ${round(loadavg()[0]!)}`

export function print(figures: Figure[]): void {
  process.stdout.write(JSON.stringify(figures) + '\n')
}

export interface ChildRun {
  exitCode: number | null
  stdout: string
  stderr: string
  wallMs: number
  /** CPU time (user + system) of the child and everything it waited for: what other jobs do not inflate. */
  cpuMs: number
}

/** CPU time of this process's reaped children so far, from /proc/self/stat (Linux; clock ticks of 10 ms). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
  // cutime and cstime are fields 16 and 17 of stat(5); the split leaves field 3 at index 0.
  return (Number(fields[13]) + Number(fields[14])) * 10
}

/** Runs `node args…` to the end and times it from spawn to exit. */
export function runNode(args: string[], env: Record<string, string> = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const cpu = childrenCpuMs()
    const started = performance.now()
    const child = spawn(process.execPath, args, {
      cwd: packageRoot,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (exitCode) => resolve({
      exitCode, stdout, stderr, wallMs: performance.now() - started, cpuMs: childrenCpuMs() - cpu,
    }))
  })
}

/**
 * A server of `serve.ts` alone in a child process, so that the load generator in this process does not share
 * its event loop.
 */
export async function startServerProcess(kind: 'reference' | 'bare'):
  Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(BENCH_DIR, 'serve.js'), kind], {
    cwd: packageRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before listening`)))
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))
  })
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    }),
  }
}

export interface Load {
  requestsPerSecond: number
  p99Ms: number
  /** Responses by status class, to show what was measured. */
  statuses: string
}

/** autocannon POSTing `body` (a form) to `url` for `seconds` over `connections` keep-alive connections. */
export async function postLoad(url: string, body: string, connections: number, seconds: number):
  Promise<Load> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    connections,
    duration: seconds,
  })
  if (result.errors > 0) throw new Error(`${result.errors} connection errors under load`)
  const classes = (['2xx', '4xx', '5xx'] as const).filter((c) => result[c] > 0)
    .map((c) => `${result[c]} ${c}`)
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p99Ms: result.latency.p99,
    statuses: classes.join(', '),
  }
}

/** Starts a push transaction and returns the body of a token request polling it. */
export async function pendingPoll(baseUrl: string): Promise<string> {
  const grant = 'urn:okta:params:oauth:grant-type:oob'
  const res = await fetch(`${baseUrl}/oauth2/v1/primary-authenticate`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: 'oob-public-client', login_hint: 'push@example.test',
      channel_hint: 'push', challenge_hint: grant }),
  })
  const { oob_code: oobCode } = (await res.json()) as { oob_code: string }
  return new URLSearchParams({ client_id: 'oob-public-client', grant_type: grant, oob_code: oobCode,
    scope: 'openid profile offline_access' }).toString()
}
