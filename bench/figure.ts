/**
 * What every benchmark script shares: the figure it reports, repetitions and medians, child processes, the
 * servers in processes of their own, and autocannon. Each script prints its figures as one JSON line (the
 * last line of its stdout), which `run.ts` gathers into the table.
 * @module
 */
import { spawn } from 'node:child_process'
import autocannon from 'autocannon'
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
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

export interface MeasuredRun extends ChildRun {
  /** Peak resident set of the child (threads included), as GNU time reports it. */
  peakRssMb: number
}

/**
 * Repetitions of a script's measurements: its own default, or `OOB_BENCH_REPETITIONS` (e.g. 1 to try a script
 * quickly on a busy machine; the figures then rest on one sample).
 */
export function repetitions(fallback: number): number {
  const chosen = Number(process.env.OOB_BENCH_REPETITIONS)
  return Number.isInteger(chosen) && chosen > 0 ? chosen : fallback
}

/** CPU time of this process's reaped children so far, from /proc/self/stat (Linux; clock ticks of 10 ms). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
  // cutime and cstime are fields 16 and 17 of stat(5); the split leaves field 3 at index 0.
  return (Number(fields[13]) + Number(fields[14])) * 10
}

/** Bound on a child that is not given one: no figure waits forever on a hung process. */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000

/** `pid` and its descendants, from /proc (Linux): children first found, then theirs. */
function processTree(pid: number): number[] {
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) {
    let tasks: string[] = []
    try {
      tasks = readdirSync(`/proc/${tree[i]}/task`)
    } catch {
      continue
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${tree[i]}/task/${task}/children`, 'utf8').trim()
        if (children) tree.push(...children.split(' ').map(Number))
      } catch {
        // the task ended meanwhile
      }
    }
  }
  return tree
}

/**
 * Runs `command args…` to the end and times it from spawn to exit. If it outlives `timeoutMs`, the child and
 * every process under it (e.g. the node under GNU time) are killed and the run rejects.
 */
function runChild(command: string, args: string[], env: Record<string, string>, timeoutMs: number):
  Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const cpu = childrenCpuMs()
    const started = performance.now()
    const child = spawn(command, args, {
      cwd: packageRoot,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      // Deepest first, so that no process is reparented before it is reached.
      for (const pid of processTree(child.pid!).reverse()) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    }, timeoutMs)
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.once('error', (e) => { clearTimeout(timer); reject(e) })
    child.once('close', (exitCode) => {
      clearTimeout(timer)
      if (timedOut) {
        reject(new Error(`${[command, ...args].join(' ')} did not finish in ${timeoutMs / 1000} s:\n` +
          `${stdout}${stderr}`.slice(-2000)))
        return
      }
      resolve({ exitCode, stdout, stderr, wallMs: performance.now() - started, cpuMs: childrenCpuMs() - cpu })
    })
  })
}

/** Runs `node args…` to the end and times it from spawn to exit (killed after `timeoutMs`). */
export function runNode(args: string[], env: Record<string, string> = {}, timeoutMs = DEFAULT_TIMEOUT_MS):
  Promise<ChildRun> {
  return runChild(process.execPath, args, env, timeoutMs)
}

/**
 * Runs `node args…` under GNU time (`/usr/bin/time`), which adds the child's peak RSS to its wall and CPU time.
 * Its report goes to a file of its own so that the child's stderr stays as the child wrote it. Node's worker
 * threads live in the node process, so its peak RSS covers them.
 */
export async function runNodeMeasured(args: string[], env: Record<string, string> = {},
  timeoutMs = DEFAULT_TIMEOUT_MS): Promise<MeasuredRun> {
  const dir = await mkdtemp(join(tmpdir(), 'oob-bench-time-'))
  try {
    const report = join(dir, 'time')
    const run = await runChild('/usr/bin/time', ['-o', report, '-f', '%e %U %S %M', process.execPath, ...args],
      env, timeoutMs)
    // GNU time writes a "Command exited with non-zero status" line before the figures when the child fails.
    const last = (await readFile(report, 'utf8')).trim().split('\n').at(-1) ?? ''
    const [, user, system, maxRssKib] = last.split(' ').map(Number)
    if (user === undefined || system === undefined || maxRssKib === undefined || Number.isNaN(maxRssKib)) {
      throw new Error(`GNU time reported no figures: ${last}`)
    }
    return { ...run, cpuMs: (user + system) * 1000, peakRssMb: maxRssKib / 1024 }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const SERVER_START_MS = 30_000
const SERVER_STOP_MS = 10_000

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
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the ${kind} server did not listen within ${SERVER_START_MS / 1000} s`))
    }, SERVER_START_MS)
    child.once('error', (e) => { clearTimeout(timer); reject(e) })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the ${kind} server exited (${code}) before listening`))
    })
    child.stdout.once('data', (chunk: Buffer) => { clearTimeout(timer); resolve(chunk.toString().trim()) })
  })
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      // SIGTERM closes it; a server that does not close within the bound is killed.
      const timer = setTimeout(() => child.kill('SIGKILL'), SERVER_STOP_MS)
      child.once('exit', () => { clearTimeout(timer); resolve() })
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
    signal: AbortSignal.timeout(10_000),
    body: new URLSearchParams({ client_id: 'oob-public-client', login_hint: 'push@example.test',
      channel_hint: 'push', challenge_hint: grant }),
  })
  const { oob_code: oobCode } = (await res.json()) as { oob_code: string }
  return new URLSearchParams({ client_id: 'oob-public-client', grant_type: grant, oob_code: oobCode,
    scope: 'openid profile offline_access' }).toString()
}
