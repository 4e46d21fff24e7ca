import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  HOSTILE_KINDS, startHostileServer, TLS_CERTIFICATE_FILE, type HostileKind,
} from '../../fixtures/hostile/index.js'
import type { RunResults } from '../../src/results/model.js'
import { concurrencyLimit } from '../self/check-run.js'
import { ensureBuilt, runCli } from './run-cli.js'

/**
 * `oob-conformance check` against every server of the catalogue, with tight bounds (`--max-wait 5
 * --request-timeout 2`): each run must end by itself, with exit 1 (a full run whose checks name the
 * misbehaviour) or 2 (no usable answer to the CLI's probe, reported in one line before any check runs), and
 * never with a crash, an unhandled rejection or a message spread over several lines.
 *
 * The full runs use every suite: the point is that no check, property runner or report writer is caught out
 * by what these servers do. They run side by side, which keeps the file to about one run's time.
 */
const BOUNDS = ['--max-wait', '5', '--request-timeout', '2']

/**
 * A run against a server that answers nothing in time still ends: its checks fail on their first exchange
 * (2 s), a property stops shrinking after its 20 s limit, and no check outlives 30 s plus --max-wait. The
 * bound is that, plus generous room for starting vitest on a loaded 2-core machine.
 */
const RUN_BOUND_MS = 240_000

/** What the failed checks of a full run against each server must say, in their one-line messages. */
const CAUSE: Record<HostileKind, RegExp> = {
  hang: /no complete response within 2 s/,
  drip: /no complete response within 2 s/,
  'huge-body': /response body exceeds 1024 KiB/,
  'invalid-json': /failed: 200 \{"oob_code": "hostile-code"/,
  'html-502': /got 502 <html>|failed: 502 <html>/,
  'wrong-content-type': /Content-Type is text\/html; charset=utf-8 \(expected application\/json\)/,
  reset: /ECONNRESET/,
  'redirect-loop': /307 Redirecting to \/oauth2\/v1\//,
  'slow-down-forever': /expected 200 with tokens, got 400 slow_down/,
  'bad-tls': /other side closed|terminated|ECONNRESET/,
}

/** Servers whose answer to the CLI's probe is unusable: the run ends at once with exit 2 and this line. */
const UNREACHABLE: Partial<Record<HostileKind, RegExp>> = {
  hang: /no complete response within 2 s$/,
  drip: /no complete response within 2 s$/,
  'huge-body': /response body exceeds 1024 KiB; an OAuth response is small$/,
  reset: /ECONNRESET \(ECONNRESET\)$/,
  'bad-tls': /not trusted \(self-signed certificate, DEPTH_ZERO_SELF_SIGNED_CERT\); .*NODE_EXTRA_CA_CERTS/,
}

/** Signs of a crash or a leak that must never reach the terminal. */
const CRASH = /unhandled|internal error|uncaught|^\s+at .+:\d+:\d+\)?$/im

const gate = concurrencyLimit(5)
let reportRoot: string

beforeAll(async () => {
  ensureBuilt()
  reportRoot = await mkdtemp(join(tmpdir(), 'oob-hostile-'))
}, 120_000)
afterAll(() => rm(reportRoot, { recursive: true, force: true }))

describe('check against each hostile server', () => {
  const unreachable = HOSTILE_KINDS.filter((kind) => UNREACHABLE[kind] !== undefined)
  it.concurrent.each(unreachable)('%s from the first request: exit 2, one line naming the cause', (kind) =>
    gate(async () => {
      const server = await startHostileServer(kind, { spareProbe: false })
      try {
        const { exitCode, stdout, stderr } = await runCli(['check', '--base-url', server.url,
          '--report-dir', join(reportRoot, `${kind}-unreachable`), ...BOUNDS], { boundMs: RUN_BOUND_MS })
        expect(exitCode, stderr).toBe(2)
        expect(stdout).toBe('')
        const lines = stderr.trimEnd().split('\n')
        expect(lines).toHaveLength(1)
        // The probe's first request: a POST without parameters to the initiation endpoint.
        const prefix = `error target unreachable: POST ${server.url}/oauth2/v1/primary-authenticate: `
        expect(lines[0]!.startsWith(prefix), lines[0]).toBe(true)
        expect(lines[0]).toMatch(UNREACHABLE[kind]!)
      } finally {
        await server.close()
      }
    }), RUN_BOUND_MS + 60_000)

  it.concurrent.each(HOSTILE_KINDS)('%s: survives a full run, exit 1, the cause named in one line', (kind) =>
    gate(async () => {
      const server = await startHostileServer(kind)
      const reportDir = join(reportRoot, kind)
      try {
        // Trusted here, so that the run gets past the handshake to the truncated responses.
        const env = kind === 'bad-tls' ? { NODE_EXTRA_CA_CERTS: TLS_CERTIFICATE_FILE } : undefined
        const { exitCode, stdout, stderr } = await runCli(['check', '--base-url', server.url,
          '--control-url', `${server.url}/control`, '--report-dir', reportDir, '--seed', '1', ...BOUNDS],
        { boundMs: RUN_BOUND_MS, env })
        const output = stdout + stderr
        expect(exitCode, `killed after ${RUN_BOUND_MS / 1000} s or wrong exit code:\n${output}`).toBe(1)
        expect(output).not.toMatch(CRASH)
        expect(stdout).toMatch(/^FAIL {2}checks: \d+ passed, [1-9]\d* failed/m)

        const results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults
        const failed = results.checks.filter((c) => c.status === 'failed')
        for (const c of results.checks) expect(c.message, c.id).not.toMatch(/[\r\n]/)
        expect(failed.map((c) => c.message).filter((m) => CAUSE[kind].test(m)), output).not.toEqual([])
        // The cause blames a MUST, or (no answer at all) ends checks with an error that blames no requirement.
        expect(results.verdict).toBe('failed')
        expect(results.checks.some((c) => c.errored) ||
          results.requirements.some((r) => r.status === 'failed' && r.level === 'MUST')).toBe(true)
      } finally {
        await server.close()
      }
    }), RUN_BOUND_MS + 60_000)
})
