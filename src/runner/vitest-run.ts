/**
 * Runs suite files with vitest in this process's control and hands back what each check did. The suites get the
 * resolved target through vitest's `provide`; checks report through their task meta (see src/suite/check.ts).
 * @module
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node'
import type { TestAnnotation } from 'vitest'
import type { TargetConfig } from '../config/target.js'
import type { CheckMeta } from '../suite/check.js'
import { packageRoot } from '../package-root.js'

export interface RawCheck {
  /** The vitest test name; the check's id and title live in `meta`. */
  name: string
  file: string
  meta?: CheckMeta
  state: 'passed' | 'failed' | 'skipped'
  message: string
  durationMs: number
}

export type ProgressEvent =
  | { kind: 'start'; name: string }
  | { kind: 'wait'; name: string; message: string }
  | { kind: 'end'; name: string; state: RawCheck['state']; message: string; durationMs: number }

export interface VitestRunOptions {
  /** Globs relative to the package root, e.g. `suites/flows/**\/*.test.ts`. */
  include: string[]
  target: TargetConfig
  workers: number
  onProgress?: (event: ProgressEvent) => void
}

export interface VitestRunResult {
  checks: RawCheck[]
  /** Errors outside any check: a suite file that failed to load, an unhandled rejection. */
  errors: string[]
}

function firstLine(text: string, max = 400): string {
  // A bare CR counts too: a server's CRLF page quoted in a message would otherwise rewind the terminal line.
  const line = text.split(/\r\n|\r|\n/).find((l) => l.trim().length > 0) ?? text
  return line.length > max ? line.slice(0, max) + '…' : line
}

function toRawCheck(test: TestCase): RawCheck {
  const result = test.result()
  const meta = test.meta().oob
  const durationMs = Math.round(test.diagnostic()?.duration ?? 0)
  const base = { name: test.name, file: test.module.moduleId, meta, durationMs }
  if (result.state === 'failed') {
    const message = result.errors?.map((e) => firstLine(e.message ?? String(e))).join('; ') ?? 'failed'
    return { ...base, state: 'failed', message }
  }
  if (result.state === 'skipped') {
    return { ...base, state: 'skipped', message: firstLine(result.note ?? 'skipped') }
  }
  if (result.state === 'passed') return { ...base, state: 'passed', message: meta?.notes.join('; ') || 'passed' }
  return { ...base, state: 'failed', message: 'did not finish (interrupted)' }
}

export async function runVitestSuites(options: VitestRunOptions): Promise<VitestRunResult> {
  const collected: VitestRunResult = { checks: [], errors: [] }
  const progress = options.onProgress ?? (() => {})
  const reporter: Reporter = {
    onTestCaseReady(test: TestCase) {
      progress({ kind: 'start', name: test.name })
    },
    onTestCaseAnnotate(test: TestCase, annotation: TestAnnotation) {
      progress({ kind: 'wait', name: test.name, message: annotation.message })
    },
    onTestCaseResult(test: TestCase) {
      const raw = toRawCheck(test)
      progress({ kind: 'end', name: raw.name, state: raw.state, message: raw.message, durationMs: raw.durationMs })
    },
    onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled) {
      for (const module of modules) {
        for (const error of module.errors()) collected.errors.push(`${module.moduleId}: ${firstLine(error.message)}`)
        for (const test of module.children.allTests()) collected.checks.push(toRawCheck(test))
      }
      for (const error of unhandled) collected.errors.push(firstLine(error.message ?? String(error)))
    },
  }
  // Loaded on demand: vitest/node is most of the CLI's start-up time, and `--help` or `serve` never need it.
  const { startVitest } = await import('vitest/node')
  const vitest = await startVitest('test', [], {
    root: packageRoot,
    config: false,
    include: options.include,
    watch: false,
    reporters: [reporter],
    provide: { target: options.target, workers: options.workers },
    pool: 'threads',
    maxWorkers: options.workers,
    // Suite files only register checks, so they can share a worker's modules: isolated, each file paid again
    // for the compiled validators, the spec's YAML and fast-check's tables (3/4 of a demo run's CPU).
    isolate: false,
    fileParallelism: true,
    maxConcurrency: 32,
    passWithNoTests: true,
    env: { PACT_DO_NOT_TRACK: 'true' },
  }, {
    // The suites are run from the installed package; keep vite quiet and its cache out of the user's project.
    logLevel: 'silent',
    cacheDir: undefined,
  })
  await vitest.close()
  // vitest sets a failing exit code when checks fail; the CLI decides the exit code from the results instead.
  process.exitCode = undefined
  return collected
}
