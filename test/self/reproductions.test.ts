import { execFile, execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import { mutants } from '../../fixtures/mutants/index.js'
import { resolveCheckConfig } from '../../src/config/resolve.js'
import type { Profile } from '../../src/profile.js'
import type { CheckResult, RunResults } from '../../src/results/model.js'
import { reproductionFile } from '../../src/results/script.js'
import { concurrencyLimit, runCli, serve } from './check-run.js'

/**
 * Reproductions reproduce: for mutants of each kind of defect — timing (the first poll), a race (concurrent
 * redemption), an OTP read through the control API, a missing header, client authentication — `check` runs
 * against the mutant, and the scripts of the failures that blame the mutant's declared requirements run with
 * `sh` against the same mutant (the defect shows: exit 1, "DEFECT REPRODUCED") and against the reference server
 * with the same profile and lifetimes (it does not: exit 0). Only the suites that catch each defect run, and no
 * check that needs a wait longer than 3 s.
 */
const CASES: { mutant: string; profile: Profile; suites: string }[] = [
  { mutant: 'slow-down-first-poll', profile: 'okta', suites: 'flows' },
  { mutant: 'never-slow-down', profile: 'rfc', suites: 'flows' },
  { mutant: 'race-two-tokens', profile: 'okta', suites: 'security' },
  { mutant: 'accepts-wrong-otp', profile: 'okta', suites: 'flows' },
  { mutant: 'no-cache-control', profile: 'okta', suites: 'flows,schema' },
  { mutant: 'wrong-secret-accepted', profile: 'okta', suites: 'flows' },
  { mutant: 'no-client-secret-basic', profile: 'okta', suites: 'flows' },
]

/** The confidential client's secret every target of the self-tests is configured with. */
const SECRET = resolveCheckConfig({ baseUrl: 'http://127.0.0.1:1' }, {}).target.accounts.clients.confidential.clientSecret!

const curl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

interface ScriptRun {
  code: number
  output: string
}

function runScript(path: string, url: string): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile('sh', [path], {
      timeout: 60_000,
      env: { PATH: process.env.PATH, OOB_BASE_URL: url, OOB_CONTROL_URL: `${url}/control`, OOB_CLIENT_SECRET: SECRET },
    }, (error, stdout, stderr) => resolve({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0,
      output: `${stdout}${stderr}` }))
  })
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? ''

describe('reproduction scripts', () => {
  it('needs curl', () => {
    expect(curl, 'curl is not installed: the reproduction scripts use curl -sS -i (apt-get install curl)').toBe(true)
  })

  // Three at a time: each case is a check run plus a few scripts, mostly waiting on the servers' clocks.
  const limit = concurrencyLimit(3)
  it.concurrent.each(CASES)('$mutant ($profile): its failures\' scripts reproduce the defect on it and not on the reference',
    ({ mutant, profile, suites }) => limit(async () => {
      if (!curl) return
      const declared = mutants.find((m) => m.name === mutant)!.violates
      const reportDir = await mkdtemp(join(tmpdir(), 'oob-repro-'))
      const server = await serve(mutant, profile)
      let failures: CheckResult[] = []
      const onMutant: [string, ScriptRun][] = []
      try {
        const run = await runCli(['check', '--base-url', server.url, '--control-url', `${server.url}/control`,
          '--profile', profile, '--suites', suites, '--report-dir', reportDir, '--seed', '1', '--max-wait', '3'])
        expect(run.exitCode, run.output).not.toBe(2)
        const results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults
        failures = results.checks.filter((c) => c.reproduction !== null &&
          (c.steps ?? []).some((s) => s.status === 'failed' && declared.includes(s.requirement)))
        expect(failures.map((c) => c.id), run.output).not.toEqual([])
        for (const check of failures) {
          const path = join(reportDir, reproductionFile(check.id))
          expect(await readFile(path, 'utf8')).toBe(check.reproduction)
          expect((await stat(path)).mode & 0o777).toBe(0o755)
          expect(check.reproduction).not.toContain(SECRET)
          expect(check.reproduction).not.toContain('[REDACTED]')
          onMutant.push([check.id, await runScript(path, server.url)])
        }
      } finally {
        await server.stop()
      }
      const reference = await serve('reference', profile)
      const onReference: [string, ScriptRun][] = []
      try {
        for (const check of failures) onReference.push([check.id, await runScript(join(reportDir, reproductionFile(check.id)), reference.url)])
      } finally {
        await reference.stop()
        await rm(reportDir, { recursive: true, force: true })
      }
      for (const [id, run] of onMutant) {
        expect({ id, code: run.code, last: lastLine(run.output) }, run.output)
          .toMatchObject({ id, code: 1, last: expect.stringMatching(/^DEFECT REPRODUCED: /) })
      }
      for (const [id, run] of onReference) {
        expect({ id, code: run.code, last: lastLine(run.output) }, run.output)
          .toMatchObject({ id, code: 0, last: expect.stringMatching(/^not reproduced: /) })
      }
    }), 180_000)
})
