import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { isOobConformanceError } from '../errors.js'
import { loadRequirements } from './index.js'

const protocolItems = [
  ...Array.from({ length: 36 }, (_, i) => `S${i + 1}`),
  ...Array.from({ length: 24 }, (_, i) => `C${i + 1}`),
]

describe('spec/requirements.yaml', () => {
  const catalogue = loadRequirements()

  it('matches the schema and is loaded once', () => {
    expect(catalogue.all.length).toBeGreaterThan(0)
    expect(loadRequirements()).toBe(catalogue)
  })

  it('has unique ids and titles', () => {
    const ids = catalogue.all.map((r) => r.id)
    const titles = catalogue.all.map((r) => r.title)
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([])
  })

  it('maps every protocol item S1–S36 and C1–C24 either to a requirement or to an exclusion', () => {
    const referenced = new Set(catalogue.all.flatMap((r) => r.ref))
    const excluded = new Set(catalogue.excluded.map((e) => e.ref))
    expect(protocolItems.filter((item) => !referenced.has(item) && !excluded.has(item))).toEqual([])
    expect([...excluded].filter((item) => referenced.has(item))).toEqual([])
    expect([...referenced, ...excluded].filter((item) => !protocolItems.includes(item))).toEqual([])
  })

  it('derives server requirements from S items and client requirements from C items', () => {
    const crossed = catalogue.all.filter((r) => r.ref.some((item) => item[0] !== r.id[4]))
    expect(crossed.map((r) => r.id)).toEqual([])
  })

  it('gives every requirement sources with a reference', () => {
    for (const r of catalogue.all) {
      expect(r.sources.length, r.id).toBeGreaterThan(0)
      for (const source of r.sources) expect(source.ref.trim(), r.id).not.toBe('')
    }
  })

  it('has profile overrides that change something and applies under at least one profile', () => {
    for (const r of catalogue.all) {
      const { okta, rfc } = r.profiles
      expect([okta.level, rfc.level], r.id).not.toContain(r.level)
      expect(okta.applies === false && rfc.applies === false, r.id).toBe(false)
    }
  })

  it('counts levels per side', () => {
    const counts = { server: { MUST: 0, SHOULD: 0, MAY: 0 }, client: { MUST: 0, SHOULD: 0, MAY: 0 } }
    for (const r of catalogue.all) counts[r.id.startsWith('OOB-S-') ? 'server' : 'client'][r.level]++
    console.info('requirements by base level:', JSON.stringify(counts))
    const total = Object.values(counts).flatMap((side) => Object.values(side)).reduce((a, b) => a + b, 0)
    expect(total).toBe(catalogue.all.length)
  })
})

describe('loadRequirements(path)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oob-requirements-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const requirement = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    ref: [],
    level: 'MUST',
    title: `Title of ${id}`,
    statement: 'The server does the thing.',
    endpoints: ['token'],
    profiles: { okta: { expect: '400 invalid_request' }, rfc: { expect: '400 invalid_request' } },
    sources: [{ ref: 'RFC 6749 §5.2' }],
    ...extra,
  })
  const catalogueOf = (...requirements: object[]) => ({ requirements, excluded: [] })
  const write = (name: string, content: unknown) => {
    const file = join(dir, name)
    writeFileSync(file, typeof content === 'string' ? content : stringify(content))
    return file
  }
  const failure = (file: string) => {
    try {
      loadRequirements(file)
    } catch (e) {
      expect(isOobConformanceError(e, 'ERR_SPEC_INVALID')).toBe(true)
      return (e as Error).message
    }
    throw new Error(`${file} was accepted`)
  }

  it('applies profile level overrides and leaves out requirements that do not apply', () => {
    const file = write('valid.yaml', {
      requirements: [
        requirement('OOB-S-PLAIN'),
        requirement('OOB-S-OVERRIDDEN', {
          level: 'MAY',
          profiles: { okta: { expect: 'either' }, rfc: { level: 'SHOULD', expect: 'slow_down' } },
        }),
        requirement('OOB-C-OKTA-ONLY', {
          profiles: { okta: { expect: '200' }, rfc: { applies: false, expect: 'Okta-specific' } },
        }),
      ],
      excluded: [{ ref: 'S27', reason: 'the MFA flow is out of scope' }],
    })
    const catalogue = loadRequirements(file)
    expect(catalogue.get('OOB-S-PLAIN')?.title).toBe('Title of OOB-S-PLAIN')
    expect(catalogue.get('OOB-S-MISSING')).toBeUndefined()
    expect(catalogue.levelFor('OOB-S-OVERRIDDEN', 'okta')).toBe('MAY')
    expect(catalogue.levelFor('OOB-S-OVERRIDDEN', 'rfc')).toBe('SHOULD')
    expect(catalogue.levelFor('OOB-C-OKTA-ONLY', 'okta')).toBe('MUST')
    expect(catalogue.levelFor('OOB-C-OKTA-ONLY', 'rfc')).toBeUndefined()
    expect(catalogue.levelFor('OOB-S-MISSING', 'okta')).toBeUndefined()
    expect(catalogue.forProfile('rfc').map((r) => r.id)).toEqual(['OOB-S-PLAIN', 'OOB-S-OVERRIDDEN'])
    expect(catalogue.excluded).toEqual([{ ref: 'S27', reason: 'the MFA flow is out of scope' }])
  })

  it('names the entry that breaks the schema', () => {
    const file = write('broken.yaml',
      catalogueOf(requirement('OOB-S-FINE'), requirement('OOB-S-BROKEN', { level: 'MUSTN' })))
    expect(failure(file)).toMatch(/requirements\[1\] \(OOB-S-BROKEN\) \/level: .*\(MUST, SHOULD, MAY\)/)
  })

  const levelWhereNotApplying = {
    okta: { expect: '200' },
    rfc: { applies: false, level: 'MAY', expect: 'Okta-only' },
  }
  it.each([
    ['an id in lower case', { id: 'OOB-S-bad' }, /requirements\[0\] \(OOB-S-bad\) \/id/],
    ['an empty source list', { sources: [] },
      /\(OOB-S-X\) \/sources: must NOT have fewer than 1 items/],
    ['an unknown field', { severity: 'high' },
      /\(OOB-S-X\): must NOT have additional properties \(severity\)/],
    ['an RFC 2119 keyword in the statement', { statement: 'The server MUST act.' },
      /\(OOB-S-X\) \/statement/],
    ['a level on a profile that does not apply', { profiles: levelWhereNotApplying },
      /\(OOB-S-X\) \/profiles\/rfc\/level/],
  ])('rejects %s', (_, extra, message) => {
    const file = write(`bad-${Object.keys(extra)[0]}.yaml`, catalogueOf(requirement('OOB-S-X', extra)))
    expect(failure(file)).toMatch(message)
  })

  it('rejects a repeated id, naming it', () => {
    const file = write('duplicate.yaml',
      catalogueOf(requirement('OOB-S-TWICE'), requirement('OOB-S-TWICE', { title: 'Another title' })))
    expect(failure(file)).toMatch(/requirements\[1\] repeats the id OOB-S-TWICE/)
  })

  it('rejects a file that is not YAML or does not exist', () => {
    expect(failure(write('syntax.yaml', 'requirements: [\n'))).toContain('syntax.yaml')
    expect(failure(join(dir, 'absent.yaml'))).toContain('absent.yaml')
  })
})
