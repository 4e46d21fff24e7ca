import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, it, expect } from 'vitest'
import { isHttpInteraction, loadPacts, parsePact, slug, stateNames, writeSingleInteraction, type Pact }
  from './pact-file.js'

const pact: Pact = {
  consumer: { name: 'c' },
  provider: { name: 'p' },
  interactions: [
    { description: 'one', providerStates: [{ name: 'a' }, { name: 'b' }], request: { method: 'POST' },
      response: { status: 200 } },
    { description: 'two', providerState: 'v2 state', request: {}, response: {} },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
}

describe('parsePact', () => {
  it('accepts a pact and keeps it as written', () => {
    expect(parsePact('x.json', JSON.stringify(pact))).toEqual(pact)
  })

  it.each([
    ['not JSON', '{', /x\.json: not JSON/],
    ['no consumer', JSON.stringify({ provider: { name: 'p' }, interactions: [] }), /needs consumer\.name/],
    ['a V3 message pact', JSON.stringify({ consumer: { name: 'c' }, provider: { name: 'p' }, messages: [] }),
      /no "interactions" array/],
    ['an interaction without description', JSON.stringify({ ...pact, interactions: [{}] }),
      /interactions\[0\] has no description/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parsePact('x.json', text))
      .toThrow(expect.objectContaining({ code: 'ERR_PACT_INVALID', message: expect.stringMatching(message) }))
  })
})

describe('loadPacts', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pact-file-'))
    await writeFile(join(dir, 'b.json'), JSON.stringify(pact))
    await writeFile(join(dir, 'a.json'), JSON.stringify({ ...pact, consumer: { name: 'first' } }))
    await writeFile(join(dir, 'notes.txt'), 'not a pact')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('reads every *.json of a directory in name order', () => {
    expect(loadPacts(dir).map((s) => s.pact.consumer.name)).toEqual(['first', 'c'])
  })

  it('reads a single file', () => {
    expect(loadPacts(join(dir, 'b.json'))).toEqual([{ file: join(dir, 'b.json'), pact }])
  })

  it('is a usage error for a missing path or a directory without pacts', async () => {
    expect(() => loadPacts(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }))
    const empty = await mkdtemp(join(tmpdir(), 'pact-empty-'))
    expect(() => loadPacts(empty)).toThrow(/no pact files/)
    await rm(empty, { recursive: true })
  })

  it('writes one interaction as a pact of its own', async () => {
    const file = writeSingleInteraction(pact, pact.interactions[1]!, dir)
    const written: unknown = JSON.parse(await readFile(file, 'utf8'))
    expect(written).toEqual({ ...pact, interactions: [pact.interactions[1]] })
  })
})

describe('interactions', () => {
  it('names the provider states of V3/V4 and V2 interactions', () => {
    expect(stateNames(pact.interactions[0]!)).toEqual(['a', 'b'])
    expect(stateNames(pact.interactions[1]!)).toEqual(['v2 state'])
    expect(stateNames({ description: 'none' })).toEqual([])
  })

  it('tells request/response interactions from messages', () => {
    expect(isHttpInteraction(pact.interactions[0]!)).toBe(true)
    expect(isHttpInteraction({ ...pact.interactions[0]!, type: 'Synchronous/HTTP' })).toBe(true)
    expect(isHttpInteraction({ description: 'm', type: 'Asynchronous/Messages', contents: {} })).toBe(false)
  })

  it('slugs descriptions into id parts', () => {
    expect(slug('start with an unsupported channel_hint')).toBe('start-with-an-unsupported-channel-hint')
    expect(slug('  Poll: after approval! ')).toBe('poll-after-approval')
    expect(slug('***')).toBe('interaction')
  })
})
