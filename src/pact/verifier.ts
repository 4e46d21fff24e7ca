/**
 * Runs Pact's provider verifier (`@pact-foundation/pact-core`'s `verifyPacts`, the Rust verifier behind every
 * Pact language) in a child process, one verification per message, and reads back its JSON report.
 *
 * Why a child process: the native verifier prints its whole report to file descriptor 1, which no JavaScript
 * code can redirect; in-process it would interleave with `check`'s output. The child also keeps the native
 * library out of vitest's worker threads. Why not pact-js's `Verifier`: its proxy re-encodes form bodies as
 * JSON (pact-js #884, #1602), and the OOB flow is all form bodies.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import type { Socket } from 'node:net'
import { OobConformanceError } from '../errors.js'

export interface VerifierOptions {
  pactFile: string
  providerBaseUrl: string
  /** `providerStatesSetupUrl`: called before (and after) the interaction for each of its provider states. */
  stateUrl: string
  /** Bound on each request and state call the verifier makes, in milliseconds. */
  timeoutMs: number
}

/** One difference the verifier found (pact_matching's `Mismatch` as JSON). */
export interface Mismatch {
  type: string
  mismatch?: string
  path?: string
  key?: string
  expected?: unknown
  actual?: unknown
}

export interface VerifierReport {
  result: boolean
  errors: { interaction: string; mismatch: { type: string; message?: string; mismatches?: Mismatch[] } }[]
}

const pactCore = createRequire(import.meta.url).resolve('@pact-foundation/pact-core')

// The child: argv[1] is pact-core's path. Each message is one verification; verifyPacts resolves with the
// JSON report when the pact holds and rejects with it (as the error message) when it does not.
const CHILD = `
const { verifyPacts } = require(process.argv[1])
process.on('message', ({ id, options }) => {
  const reply = (report) => process.send({ id, report })
  verifyPacts(options).then(reply, (e) => reply(e && e.message))
})
process.on('disconnect', () => process.exit())
`

const verifierError = (message: string) => new OobConformanceError('ERR_PACT_VERIFIER', message)

export function parseReport(text: unknown): VerifierReport {
  let report: unknown
  try {
    report = JSON.parse(String(text))
  } catch {
    throw verifierError(`the Pact verifier could not run: ${String(text)}`)
  }
  const r = report as Partial<VerifierReport> | null
  if (typeof r?.result !== 'boolean' || !Array.isArray(r.errors)) {
    throw verifierError(`the Pact verifier's report has an unexpected shape: ${String(text).slice(0, 200)}`)
  }
  return r as VerifierReport
}

interface Job {
  resolve(report: VerifierReport): void
  reject(error: Error): void
}

/**
 * One child process per process that verifies, started on first use and reused: starting Node and loading
 * pact-core costs more than verifying an interaction. It never keeps its parent alive, and ends with it.
 */
class VerifierProcess {
  private child: ChildProcess | undefined
  private readonly jobs = new Map<number, Job>()
  private nextId = 0
  private stderr = ''

  run(options: object, limitMs: number): Promise<VerifierReport> {
    const child = this.child ?? this.start()
    const id = this.nextId++
    return new Promise<VerifierReport>((resolve, reject) => {
      const late = `the Pact verifier did not finish within ${Math.round(limitMs / 1000)} s`
      const timer = setTimeout(() => this.stop(late), limitMs)
      const settle = () => {
        clearTimeout(timer)
        this.jobs.delete(id)
        if (this.jobs.size === 0) child.channel?.unref()
      }
      this.jobs.set(id, {
        resolve(report) {
          settle()
          resolve(report)
        },
        reject(error) {
          settle()
          reject(error)
        },
      })
      child.channel?.ref()
      child.send({ id, options })
    })
  }

  private start(): ChildProcess {
    this.stderr = ''
    const child = spawn(process.execPath, ['-e', CHILD, pactCore], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // pact_ffi sends usage metrics to an analytics service unless this is set.
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    })
    const stderr = child.stderr as Socket | null
    stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000)
    })
    child.on('message', ({ id, report }: { id: number; report: unknown }) => {
      const job = this.jobs.get(id)
      if (!job) return
      try {
        job.resolve(parseReport(report))
      } catch (e) {
        job.reject(e as Error)
      }
    })
    child.on('error', (e) => this.stop(`cannot run the Pact verifier: ${e.message}`))
    child.on('exit', (code, signal) => {
      if (this.child !== child) return
      this.stop(`the Pact verifier exited (${signal ?? code}): ${this.stderr.trim()}`)
    })
    // Idle, neither the process nor its pipes hold the parent's event loop open.
    child.unref()
    child.channel?.unref()
    stderr?.unref()
    this.child = child
    return child
  }

  /** Ends the child and fails every verification it was running; the next one starts a new child. */
  private stop(reason: string): void {
    const child = this.child
    this.child = undefined
    child?.kill('SIGKILL')
    for (const job of [...this.jobs.values()]) job.reject(verifierError(reason))
  }
}

const verifier = new VerifierProcess()

/**
 * Verifies `pactFile` against `providerBaseUrl`, bounded by the calls it may make (its states, the request,
 * the teardowns), so a verification never hangs.
 */
export function runVerifier(options: VerifierOptions, calls: number): Promise<VerifierReport> {
  return verifier.run({
    providerBaseUrl: options.providerBaseUrl,
    pactUrls: [options.pactFile],
    providerStatesSetupUrl: options.stateUrl,
    timeout: options.timeoutMs,
    logLevel: 'error',
  }, options.timeoutMs * calls + 10_000)
}

function describeMismatch(m: Mismatch): string {
  const what = m.mismatch ?? `expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`
  switch (m.type) {
    case 'StatusMismatch':
      return `status: expected ${String(m.expected)} but was ${String(m.actual)}` +
        (m.mismatch?.includes(',') ? ` (${m.mismatch})` : '')
    case 'BodyMismatch':
      return `body ${m.path ?? '$'}: ${what}`
    case 'HeaderMismatch':
      return `header ${m.key ?? ''}: ${what}`
    default:
      return `${m.type}: ${what}`
  }
}

/** The report's failures in one line: what differed, the status first. */
export function describeFailures(report: VerifierReport): string {
  return report.errors.flatMap(({ mismatch }) => {
    const mismatches = [...mismatch.mismatches ?? []]
      .sort((a, b) => Number(b.type === 'StatusMismatch') - Number(a.type === 'StatusMismatch'))
    return mismatch.mismatches ? mismatches.map(describeMismatch) : [mismatch.message ?? mismatch.type]
  }).join('; ')
}
