import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startReferenceServer } from '../../src/reference-server/index.js'
import type { RunResults } from '../../src/results/model.js'
import { ensureBuilt, runCli, startCli } from './run-cli.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const run = runCli

let reports: string
beforeAll(() => {
  ensureBuilt()
  reports = mkdtempSync(join(tmpdir(), 'oob-cli-'))
}, 120_000)
afterAll(() => rmSync(reports, { recursive: true, force: true }))

describe('oob-conformance (usage)', () => {
  it('--help exits 0 and lists the commands', async () => {
    const { code, stdout } = await run(['--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: oob-conformance /)
    expect(stdout).toMatch(/^ {2}check \[options\]/m)
    expect(stdout).toMatch(/^ {2}serve \[options\]/m)
  })

  it('check --help lists the check options', async () => {
    const { code, stdout } = await run(['check', '--help'])
    expect(code).toBe(0)
    for (const option of ['--base-url', '--issuer', '--profile', '--config', '--control-url', '--driver',
      '--suites', '--report-dir', '--seed', '--expected-failures', '--max-wait', '--rate-limit',
      '--strict']) {
      expect(stdout).toContain(option)
    }
  })

  it('an unknown option exits 2 with commander\'s message', async () => {
    const { code, stderr } = await run(['check', '--bogus'])
    expect(code).toBe(2)
    expect(stderr).toContain("error: unknown option '--bogus'")
  })

  it('check --suites nope exits 2 naming the suites there are', async () => {
    const { code, stderr } = await run(['check', '--suites', 'nope'])
    expect(code).toBe(2)
    expect(stderr)
      .toBe('error --suites "nope": unknown suite nope; choose from schema, flows, properties, security, pact\n')
  })

  it('check --config missing.yaml exits 2', async () => {
    const { code, stderr } = await run(['check', '--config', 'missing.yaml'], { cwd: reports })
    expect(code).toBe(2)
    expect(stderr).toBe('error --config missing.yaml: cannot read the file (ENOENT)\n')
  })

  it('an unreachable target exits 2 with a one-line cause and no stack trace', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as AddressInfo
    await new Promise((resolve) => probe.close(resolve))
    const { code, stdout, stderr } = await run(['check', '--base-url', `http://127.0.0.1:${port}`,
      '--report-dir', join(reports, 'unreachable')])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(`error target unreachable: POST http://127.0.0.1:${port}/oauth2/v1/primary-authenticate: ` +
      'cannot connect (ECONNREFUSED)\n')
    expect(existsSync(join(reports, 'unreachable'))).toBe(false)
  })
})

describe('oob-conformance check with no target', () => {
  it('starts the embedded server under the config file\'s profile', { timeout: 60_000 }, async () => {
    const config = join(reports, 'rfc.yaml')
    writeFileSync(config, 'profile: rfc\n')
    const reportDir = join(reports, 'embedded')
    const { code, stderr } = await run(['check', '--config', config, '--suites', 'schema,properties',
      '--num-runs', '5', '--report-dir', reportDir])
    expect(code).toBe(0)
    expect(stderr).toMatch(/^started the embedded reference server \(profile rfc\) at http:\/\/127\.0\.0\.1:/)
    const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as RunResults
    expect(results.profile).toBe('rfc')
  })
})

describe('oob-conformance check without anyone to play the user', () => {
  let server: Awaited<ReturnType<typeof startReferenceServer>>
  beforeAll(async () => {
    server = await startReferenceServer({ interval: 1, expiresIn: 10 })
  })
  afterAll(() => server.close())

  it('says INCOMPLETE, names the MUSTs it could not exercise, and --require-complete exits 1', { timeout: 120_000 },
    async () => {
      const reportDir = join(reports, 'incomplete')
      const args = ['check', '--base-url', server.url, '--suites', 'flows', '--report-dir', reportDir, '--seed', '3']
      const lenient = await run(args)
      expect(lenient.code, lenient.stdout + lenient.stderr).toBe(0)
      expect(lenient.stdout).toMatch(/^\nINCOMPLETE {2}checks: \d+ passed, 0 failed/)
      expect(lenient.stdout).toMatch(/MUST requirement\(s\) were not exercised \(--require-complete makes this exit 1\)/)
      expect(lenient.stdout).toContain('OOB-S-DENIAL-ERROR: flows/denial: needs the user to deny: give --control-url or --driver')
      const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as RunResults
      expect(results.verdict).toBe('incomplete')
      expect(results.completeness.mustExercised).toBeLessThan(results.completeness.mustInScope)
      // Listed but not exercised is never passed.
      const denial = results.requirements.find((r) => r.id === 'OOB-S-DENIAL-ERROR')
      expect(denial).toMatchObject({ status: 'skipped', passes: 0 })
      expect(readFileSync(join(reportDir, 'summary.md'), 'utf8')).toMatch(/^## oob-conformance: INCOMPLETE\n/)

      const gate = await run([...args, '--require-complete'])
      expect(gate.code).toBe(1)
      expect(gate.stdout).toContain('(--require-complete: exit 1)')
    })

  it('--suites schema alone runs no check: exit 2, saying what to add', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await run(['check', '--base-url', server.url, '--suites', 'schema',
      '--report-dir', join(reports, 'schema-only')])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('the schema suite grades the responses other suites receive; add flows, properties, security or pact')
  })
})

describe('oob-conformance check --driver MODULE', () => {
  let server: Awaited<ReturnType<typeof startReferenceServer>>
  beforeAll(async () => {
    server = await startReferenceServer({ interval: 1, expiresIn: 10 })
  })
  afterAll(() => server.close())

  it('plays the user through the module, in-process; the reference server passes', { timeout: 180_000 },
    async () => {
      const reportDir = join(reports, 'driver')
      const log = join(reports, 'driver-calls.jsonl')
      const { code, stdout, stderr } = await run([
        'check', '--driver', './fixture-driver.mjs', '--base-url', server.url, '--suites', 'flows',
        '--report-dir', reportDir, '--seed', '7',
      ], { cwd: here, env: { OOB_FIXTURE_CONTROL_URL: `${server.url}/control`, OOB_FIXTURE_LOG: log } })
      expect(stderr).not.toContain('internal error')
      expect(code).toBe(0)
      expect(stdout).toContain('PASS')
      const results = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as RunResults
      expect(results).toMatchObject({ target: server.url, profile: 'okta', seed: 7 })
      // Timing-dependent checks may skip on a loaded machine; none may fail, and those needing the user pass.
      expect(results.checks.filter((c) => c.status === 'failed' || c.status === 'warning')
        .map((c) => `${c.id}: ${c.message}`)).toEqual([])
      const status = (id: string) => results.checks.find((c) => c.id === id)?.status
      for (const id of ['flows/push-happy-path', 'flows/number-challenge', 'flows/denial', 'flows/sms-otp',
        'flows/expiry']) {
        expect([id, status(id)]).toEqual([id, 'passed'])
      }
      // The module was called in-process with every operation, told which check asks and for which user;
      // no HTTP bridge stood between (no control exchange in any transcript).
      const calls = readFileSync(log, 'utf8').trim().split('\n')
        .map((line) => JSON.parse(line) as { operation: string; check?: string; loginHint?: string })
      expect(new Set(calls.map((c) => c.operation))).toEqual(new Set(['approve', 'deny', 'otp', 'expire']))
      expect(calls.find((c) => c.operation === 'deny')).toMatchObject({ check: 'flows/denial', loginHint: 'push@example.test' })
      expect(results.checks.flatMap((c) => c.transcript ?? []).filter((e) => e.operation === 'control')).toEqual([])
    })
})

describe('oob-conformance serve', () => {
  it('--port 0 prints the URL it listens on and stops on SIGTERM', { timeout: 20_000 }, async () => {
    const { child } = startCli(['serve', '--port', '0'])
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })))
    let stdout = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        stdout += chunk
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
        if (found) resolve(found[1]!)
      })
      void exited.then(() => reject(new Error(`serve exited before listening: ${stdout}`)))
    })
    const discovery = await fetch(`${url}/.well-known/openid-configuration`)
    expect(discovery.status).toBe(200)
    expect(stdout).toContain(`oob-conformance check --base-url ${url} --control-url ${url}/control`)
    child.kill('SIGTERM')
    expect(await exited).toEqual({ code: 0, signal: null })
    await expect(fetch(`${url}/.well-known/openid-configuration`)).rejects.toThrow()
  })
})
