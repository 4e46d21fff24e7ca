import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import { createRedactor, REDACTED } from '../../redact/index.js'
import { sampleRun } from '../sample-run.js'
import { writeReports } from './index.js'

describe('writeReports', () => {
  it('creates the directory and writes the four reports, redacting every text on the way', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'oob-reports-')), 'nested', 'reports')
    const run = sampleRun()
    const leaky = { ...run, checks: run.checks.map((c, i) =>
      i === 1 ? { ...c, message: `${c.message}; the client sent client_secret=hunter2-secret` } : c) }
    const paths = await writeReports(dir, leaky, { redact: createRedactor(['hunter2-secret']),
      notes: ['entry 0 (hunter2-secret) expired'] })
    expect(paths).toEqual(['results.json', 'junit.xml', 'summary.md', 'report.html'].map((f) => join(dir, f)))
    for (const path of paths) {
      const text = await readFile(path, 'utf8')
      expect(text).not.toContain('hunter2')
      expect(text).toContain(REDACTED)
    }
    const results = JSON.parse(await readFile(paths[0]!, 'utf8'))
    expect(results.checks[1].message)
      .toBe(`${run.checks[1]!.message}; the client sent client_secret=${REDACTED}`)
    expect(await readFile(paths[2]!, 'utf8')).toContain('- entry 0 (\\[REDACTED\\]) expired')
  })
})
