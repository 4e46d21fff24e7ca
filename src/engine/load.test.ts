import { describe, it, expect } from 'vitest'
import { isSuite, loadSuites, SUITES } from './load.js'

describe('loadSuites', () => {
  it('imports every check module of the suites asked for, and only those', async () => {
    const { checks, graders } = await loadSuites(['flows', 'schema'])
    expect(checks.length).toBeGreaterThan(40)
    expect(new Set(checks.map((c) => c.suite))).toEqual(new Set(['flows']))
    expect(graders.map((g) => g.id)).toContain('schema/status-documented')
    const security = await loadSuites(['security'])
    expect(new Set(security.checks.map((c) => c.suite))).toEqual(new Set(['security']))
    expect(security.graders).toEqual([])
  })

  it('every check names catalogue ids written out in full, and ids are unique per profile', async () => {
    const { checks } = await loadSuites(SUITES.filter((s) => s !== 'pact'))
    for (const check of checks) {
      expect(check.id).toMatch(/^[a-z]+\/[a-z0-9-]+$/)
      for (const id of check.requirements) expect(id).toMatch(/^OOB-S-[A-Z0-9-]+$/)
    }
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length)
  })

  it('knows the suites by name', () => {
    expect(SUITES).toEqual(['schema', 'flows', 'properties', 'security', 'pact'])
    expect(isSuite('flows')).toBe(true)
    expect(isSuite('smoke')).toBe(false)
  })
})
