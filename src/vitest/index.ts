/**
 * `oob-conformance/vitest`: the conformance checks inside a server team's own vitest suite. Called at the top
 * level of a test file (`await conformanceTests({ … })`), it defines one `describe` block with one test per check
 * (`<id> — <title>`) and per schema grader. A `beforeAll` hook serves the handler (if one is given), runs every
 * selected check once through the engine — one throttle and one 429 policy for the run, the schema graders
 * over every exchange — and grades the outcomes with the CLI's pipeline (`gradeRun`); each test then reports its
 * check's verdict: a failure names the failed requirement ids, the broken expectation and a redacted curl
 * reproduction; a skipped or not-judged check is skipped with the reason; a check whose only failures are
 * SHOULD/MAY (or expected failures) passes with a warning annotation, unless `strict`.
 * @module
 */
import { afterAll, beforeAll, describe, test, type TestContext } from 'vitest'
import { preflight } from '../check.js'
import type { Driver } from '../drivers/driver.js'
import { loadSuites } from '../engine/load.js'
import { runChecks } from '../engine/runner.js'
import { OobConformanceError } from '../errors.js'
import { createRedactor } from '../redact/index.js'
import { catalogueFor, checkResultOf, gradeRun } from '../results/grade.js'
import type { CheckResult, Level } from '../results/model.js'
import {
  DEFAULT_RUN_TIMEOUT_MS, driverFor, expectedFailuresOf, resolveTarget, suitesOf, type ConformanceOptions,
} from './options.js'
import { serveHandler } from './serve.js'
import { ConformanceFailure, verdictOf } from './verdict.js'

export type { ConformanceOptions } from './options.js'
export type { FetchHandler, Handler, NodeListener } from './serve.js'
export { ConformanceFailure } from './verdict.js'
export type { Driver } from '../drivers/driver.js'
export { DriverSkipped } from '../drivers/driver.js'
export type { EngineEvent, EngineListener } from '../engine/events.js'
export type { Suite } from '../engine/load.js'
export type { ExpectedFailure } from '../results/expected-failures.js'
export type { CheckResult } from '../results/model.js'

/**
 * Defines the conformance tests of `options`' target in the current vitest file or `describe` block. Await it at
 * the top level of an ESM test file: the suites are loaded (and the options validated) before the tests are
 * defined, so a mistake fails the file at collection with one message.
 */
export async function conformanceTests(options: ConformanceOptions): Promise<void> {
  const suites = suitesOf(options.suites)
  const { target: planned } = resolveTarget(options)
  const expectedFailures = await expectedFailuresOf(options.expectedFailures)
  const { checks: loaded, graders } = await loadSuites(suites)
  const { profile } = planned
  const checks = loaded.filter((c) => c.options.profile === undefined || c.options.profile === profile)
  if (checks.length === 0) {
    throw new OobConformanceError('ERR_USAGE', `oob-conformance/vitest: suites ${suites.join(',')}: no check runs ` +
      `under profile ${profile}${graders.length > 0 ? '; the schema suite grades the responses other suites receive: add flows, properties, security or pact' : ''}`)
  }
  const levels = new Map(catalogueFor(profile).map((r) => [r.id, r.level]))
  const levelFor = (id: string) => levels.get(id) as Level | undefined
  const name = (item: { id: string; title: string }) => `${item.id} — ${item.title}`
  const idOf = new Map([...checks, ...graders].map((item) => [name(item), item.id]))
  const graderIds = new Set(graders.map((g) => g.id))

  describe(options.name ?? `oob-conformance (profile ${profile})`, () => {
    const interrupt = new AbortController()
    const cleanups: (() => Promise<void>)[] = []
    let graded: Map<string, CheckResult> | undefined

    // vitest reads the first parameter as fixtures: it must be a destructuring pattern.
    beforeAll(async ({}, suite) => {
      let servedUrl: string | undefined
      if (options.handler !== undefined) {
        const served = await serveHandler(options.handler)
        cleanups.push(served.close)
        servedUrl = served.url
      }
      // The seed of the collection-time resolution, so a failure's replay seed is the one the run used.
      const resolved = resolveTarget({ ...options, seed: planned.seed }, servedUrl)
      const { target } = resolved
      const driver: Driver | undefined = await driverFor(options, resolved)
      if (driver?.close && driver !== options.driver) cleanups.push(() => driver.close!())
      await preflight(target)

      // Only the tests vitest will run (`-t`, `.only`): a filtered run runs only their checks. The graders
      // judge the exchanges of the checks that run; graders alone run every check to have exchanges to judge.
      const wanted = new Set(suite.tasks.filter((t) => t.mode === 'run' || t.mode === 'only')
        .map((t) => idOf.get(t.name)).filter((id): id is string => id !== undefined))
      const picked = checks.filter((c) => wanted.has(c.id))
      const selectedChecks = picked.length > 0 ? picked : checks
      const selectedGraders = graders.filter((g) => wanted.has(g.id))

      const secrets = [target.accounts.clients.confidential.clientSecret].filter((s): s is string => Boolean(s))
      const redact = createRedactor(secrets)
      const startedAt = new Date()
      const run = await runChecks({
        checks: selectedChecks, graders: selectedGraders, target, driver, signal: interrupt.signal,
        concurrency: options.concurrency, onEvent: options.onEvent,
      })
      const notes: string[] = []
      if (run.rateLimited.pauses > 0) {
        notes.push(`the server rate-limited the run ${run.rateLimited.pauses} time(s) (429): ` +
          `${(run.rateLimited.pausedMs / 1000).toFixed(1)} s paused in all`)
      }
      const results = run.outcomes.map((outcome) => checkResultOf(outcome, levelFor, redact,
        { ...target, ...(options.driver !== undefined && { driver: 'the driver given in the options' }) }))
      const grading = await gradeRun(results, {
        side: 'OOB-S-', profile, target: target.baseUrl, seed: target.seed, startedAt, redact,
        strict: Boolean(options.strict), expectedFailures, notes, reportDir: options.reportDir,
      })
      for (const note of grading.notes) console.warn(`oob-conformance: ${note}`)
      graded = new Map(grading.results.checks.map((c) => [c.id, c]))
    }, options.timeout ?? DEFAULT_RUN_TIMEOUT_MS)

    afterAll(async () => {
      interrupt.abort()
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
    })

    const judge = async (id: string, context: TestContext) => {
      const result = graded?.get(id)
      if (result === undefined) {
        if (graderIds.has(id)) context.skip('no check ran whose exchanges this grader judges')
        throw new Error(`${id}: the run has no result for this check`)
      }
      const verdict = verdictOf(result, levelFor)
      switch (verdict.kind) {
        case 'pass':
          return
        case 'skip':
          return context.skip(verdict.reason)
        case 'warn':
          await context.annotate(verdict.message, 'warning')
          return
        case 'fail':
          throw new ConformanceFailure(id, verdict.message)
      }
    }
    for (const item of [...checks, ...graders]) test(name(item), (context) => judge(item.id, context))
  })
}
