/**
 * Every bad input is answered before any work starts — no server started, no check run, no report written —
 * on one line naming what is wrong and what to do, with exit code 2. One test per row of the table below.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunResults } from '../../src/results/model.js'
import { startReferenceServer } from '../../src/reference-server/index.js'
import { ensureBuilt, runCli } from './run-cli.js'

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env })

let dir: string
/** Answers every request as a web server that is not an OAuth server would: 501 with an HTML page. */
let notOAuth: Server
let notOAuthUrl: string
beforeAll(async () => {
  ensureBuilt()
  dir = mkdtempSync(join(tmpdir(), 'oob-bad-input-'))
  writeFileSync(join(dir, 'a-file'), '')
  notOAuth = createServer((_, res) => res.writeHead(501, { 'content-type': 'text/html' }).end('<h1>501</h1>'))
  await new Promise<void>((resolve) => notOAuth.listen(0, '127.0.0.1', resolve))
  notOAuthUrl = `http://127.0.0.1:${(notOAuth.address() as AddressInfo).port}`
}, 120_000)
afterAll(async () => {
  await new Promise((resolve) => notOAuth.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text)
  return name
}

const VALID_KEYS = 'base-url, issuer, profile, control-url, driver, initiation, max-wait, request-timeout, ' +
  'rate-limit, suites, report-dir, seed, num-runs, expected-failures, strict, require-complete, shard, quiet, ' +
  'verbose, paths, clients, users, scope'

/** input → the one line it gets. `setup` writes the files the row needs and returns the arguments. */
const rows: { input: string; args: () => string[]; env?: Record<string, string>; message: () => string }[] = [
  { input: '--report-dir under /proc', args: () => ['check', '--report-dir', '/proc/oob-reports'],
    message: () => '--report-dir /proc/oob-reports is under /proc, a kernel filesystem: give a directory you can ' +
      'write to, e.g. ./reports' },
  { input: '--report-dir an existing file', args: () => ['check', '--report-dir', 'a-file'],
    message: () => '--report-dir a-file is a file, not a directory: give a directory you can write to, e.g. ./reports' },
  { input: '--report-dir that cannot be created', args: () => ['check', '--report-dir', 'a-file/reports'],
    message: () => `--report-dir a-file/reports cannot be created (${join(dir, 'a-file')} is a file): give a ` +
      'directory you can write to, e.g. ./reports' },
  { input: '--config with an unknown key', args: () => ['check', '--config', file('unknown.yaml', 'base_url: x\n')],
    message: () => `--config unknown.yaml: (top level): unknown key "base_url"; valid keys: ${VALID_KEYS}` },
  { input: '--config that is not YAML', args: () => ['check', '--config', file('broken.yaml', 'profile: okta\nsuites: [flows\n')],
    message: () => '--config broken.yaml:3:1: not valid YAML or JSON: Flow sequence in block collection must be ' +
      'sufficiently indented and end with a ]: "suites: [flows"' },
  { input: '--config with a value outside an enum', args: () => ['check', '--config', file('enum.yaml', 'profile: okda\n')],
    message: () => '--config enum.yaml: /profile: "okda" is not one of okta, rfc' },
  { input: '--profile outside its choices', args: () => ['check', '--profile', 'okda'],
    message: () => "error: option '--profile <profile>' argument 'okda' is invalid. Allowed choices are okta, rfc." },
  { input: '--issuer together with --base-url', args: () => ['check', '--base-url', 'https://a.example',
    '--issuer', 'https://a.example/oauth2/default'],
  message: () => 'give either --base-url or --issuer, not both: the issuer alone sets the endpoints ' +
      '(https://org/oauth2/default → https://org/oauth2/default/v1/token); other paths go under paths: in --config' },
  { input: 'a confidential client without OOB_CLIENT_SECRET',
    args: () => ['check', '--config', file('confidential.yaml', 'clients: { confidential: { client_id: ci } }\n')],
    message: () => '--config confidential.yaml: clients.confidential (ci) has no secret: set OOB_CLIENT_SECRET in ' +
      'the environment' },
  { input: '--seed abc (no embedded server started first)', args: () => ['check', '--seed', 'abc'],
    message: () => '--seed "abc" must be an integer' },
  { input: 'expected failure naming an unknown check', args: () => ['check', '--suites', 'security',
    '--expected-failures', file('unknown-check.yaml', '- { check: security/no-such-check, reason: typo }\n')],
  message: () => expect.stringMatching(/^--expected-failures unknown-check\.yaml: entry 0: no check security\/no-such-check; the security suite has security\/\S+(, security\/\S+)*$/) as unknown as string },
  { input: 'expected failure naming an unknown requirement', args: () => ['check', '--expected-failures',
    file('unknown-requirement.yaml', '- { requirement: OOB-S-NO-SUCH-THING, reason: typo }\n')],
  message: () => '--expected-failures unknown-requirement.yaml: entry 0: no requirement OOB-S-NO-SUCH-THING in ' +
      'spec/requirements.yaml; use an id the reports list' },
  { input: 'a target that is not an OAuth server', args: () => ['check', '--base-url', notOAuthUrl, '--report-dir', 'never'],
    message: () => '501 text/html at /oauth2/v1/primary-authenticate to a POST without parameters, not an OAuth ' +
      'error — wrong --base-url or --issuer?' },
  { input: '--shard out of range', args: () => ['check', '--shard', '3/2'],
    message: () => '--shard "3/2" must be i/n with 1 ≤ i ≤ n, e.g. 1/2' },
  { input: '--quiet with --verbose', args: () => ['check', '--quiet', '--verbose'],
    message: () => 'give either --quiet or --verbose, not both' },
  { input: 'client-check --report-dir under /proc', args: () => ['client-check', '--report-dir', '/proc/x', '--',
    'true'], message: () => '--report-dir /proc/x is under /proc, a kernel filesystem: give a directory you can ' +
      'write to, e.g. ./reports' },
  { input: 'merge-reports of a directory without results.json', args: () => ['merge-reports', 'a-file'],
    message: () => 'merge-reports: cannot read a-file/results.json (ENOTDIR): give directories a run wrote its ' +
      'reports to' },
]

describe('bad input: one line, exit 2, before any work', () => {
  it.each(rows.map((row) => [row.input, row] as const))('%s', { timeout: 30_000 }, async (_, row) => {
    const { code, stdout, stderr } = await run(row.args(), row.env)
    expect(code, stderr).toBe(2)
    expect(stdout).toBe('')
    const line = row.message()
    // commander's own parse errors print without our `error ` prefix and add its usage hint.
    const [first, ...rest] = stderr.trimEnd().split('\n')
    if (typeof line === 'string' && line.startsWith('error: ')) {
      expect(first).toBe(line)
      expect(rest).toEqual(['(run with --help for usage)'])
    } else {
      expect(rest).toEqual([])
      expect(first!.replace(/^error /, '')).toEqual(line)
    }
    expect(existsSync(join(dir, 'reports'))).toBe(false)
    expect(existsSync(join(dir, 'never'))).toBe(false)
  })

  it('--report-dir without write permission (not root: root may write anywhere)', { timeout: 30_000 }, async (ctx) => {
    if (process.getuid?.() === 0) ctx.skip()
    const locked = join(dir, 'locked')
    mkdirSync(locked, { mode: 0o555 })
    const { code, stderr } = await run(['check', '--report-dir', 'locked/reports'])
    expect(code).toBe(2)
    expect(stderr).toBe(`error --report-dir locked/reports cannot be created (EACCES at ${join(locked, 'reports')}): ` +
      'give a directory you can write to, e.g. ./reports\n')
  })
})

describe('inputs that used to fail and now work', () => {
  it('a port that Node\'s fetch refuses (6000, X11): the run\'s HTTP client is node:http, so it is checked',
    { timeout: 120_000 }, async (ctx) => {
      const server = await startReferenceServer({ port: 6000, interval: 1, expiresIn: 10 }).catch(() => undefined)
      // The port may be taken on this machine; fetch's blocklist is what the test is about, not the port.
      if (!server) ctx.skip()
      try {
        await expect(fetch(`${server!.url}/.well-known/openid-configuration`)).rejects.toThrow('fetch failed')
        const { code, stdout, stderr } = await run(['check', '--base-url', server!.url, '--control-url',
          `${server!.url}/control`, '--suites', 'security', '--report-dir', 'port-6000', '--quiet'])
        expect(code, stderr).toBe(0)
        expect(stdout).toMatch(/^PASS {2}checks: \d+ passed, 0 failed/)
        const results = JSON.parse(readFileSync(join(dir, 'port-6000', 'results.json'), 'utf8')) as RunResults
        expect(results.target).toBe('http://127.0.0.1:6000')
      } finally {
        await server?.close()
      }
    })

  it('a config file taking the run\'s options by their camelCase names', { timeout: 60_000 }, async () => {
    const config = file('camel.yaml', 'suites: security\nreportDir: camel-reports\nseed: 11\nnumRuns: 3\nquiet: true\n')
    const { code, stdout, stderr } = await run(['check', '--config', config])
    expect(code, stderr).toBe(0)
    expect(stderr).toBe('')
    expect(stdout.trimEnd().split('\n')).toHaveLength(1)
    const results = JSON.parse(readFileSync(join(dir, 'camel-reports', 'results.json'), 'utf8')) as RunResults
    expect(results.seed).toBe(11)
    expect(new Set(results.checks.map((c) => c.id.split('/')[0]))).toEqual(new Set(['security']))
  })
})
