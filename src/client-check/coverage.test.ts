import { describe, it, expect } from 'vitest'
import { loadRequirements } from '../requirements/index.js'
import { judgedRequirements, NOT_JUDGED } from './coverage.js'

const catalogue = loadRequirements()
const clientIds = (ids: { id: string }[]) => ids.map((r) => r.id).filter((id) => id.startsWith('OOB-C-')).sort()

describe('client-check coverage', () => {
  it('judges every client requirement of the catalogue, or states why it cannot', () => {
    const all = clientIds(catalogue.forProfile('okta').concat(catalogue.forProfile('rfc')))
    const judged = new Set([...judgedRequirements('okta'), ...judgedRequirements('rfc')])
    expect(new Set(all).size).toBe(44)
    expect([...new Set(all)].filter((id) => !judged.has(id))).toEqual(Object.keys(NOT_JUDGED))
    expect(Object.keys(NOT_JUDGED).filter((id) => judged.has(id))).toEqual([])
  })

  it.each(['okta', 'rfc'] as const)('judges under %s every client requirement that applies there', (profile) => {
    const applies = clientIds(catalogue.forProfile(profile))
    const judged = judgedRequirements(profile)
    expect(applies.filter((id) => !judged.includes(id) && !(id in NOT_JUDGED))).toEqual([])
    // Nothing judged that the profile leaves out (OOB-C-DEFAULT-INTERVAL under okta, say).
    expect(judged.filter((id) => !applies.includes(id))).toEqual([])
  })
})
