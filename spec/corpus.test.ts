import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadContract } from '../src/contract/index.js'
import type { ContractProblem, OperationId } from '../src/contract/index.js'

interface Entry {
  path: string
  kind: 'request' | 'response'
  status?: number
  content_type: string
  name: string
  value: Record<string, unknown>
}

interface Exception {
  name: string
  path: string
  kind: Entry['kind']
  status?: number
  pointer: string
  because: string
  reason: string
}

const corpus = JSON.parse(
  readFileSync(new URL('../test/corpus/okta-wire-examples.json', import.meta.url), 'utf8')) as Entry[]
const exceptions = parse(
  readFileSync(new URL('corpus-exceptions.yaml', import.meta.url), 'utf8')) as Exception[]
const contract = loadContract()
const OOB_GRANT = 'urn:okta:params:oauth:grant-type:oob'

const operations: Record<string, OperationId> = {
  '/oauth2/v1/oob-authenticate': 'oobAuthenticate',
  '/oauth2/v1/primary-authenticate': 'primaryAuthenticate',
  '/oauth2/v1/token': 'token',
}

/** The operation an entry exercises, or why it is outside this suite. */
function classify(entry: Entry): { operation: OperationId } | { outOfScope: string } {
  const operation = operations[entry.path]
  if (operation === undefined) return { outOfScope: `another endpoint (${entry.path})` }
  if (operation === 'token' && entry.kind === 'request' && entry.value.grant_type !== OOB_GRANT) {
    return { outOfScope: 'a token request for another grant' }
  }
  // token_type N_A is only issued by token exchange; no OOB grant request can be answered with it.
  if (operation === 'token' && entry.kind === 'response' && entry.value.token_type === 'N_A') {
    return { outOfScope: 'a token-exchange response (token_type N_A)' }
  }
  return { operation }
}

/** Okta's examples are Okta's wire traffic: profile okta, form values as the strings they travel as. */
function validate(operation: OperationId, entry: Entry): ContractProblem[] {
  if (entry.kind === 'request') {
    return contract.validateRequest(operation, Object.fromEntries(
      Object.entries(entry.value).map(([key, value]) => [key, String(value)])))
  }
  const res = { status: entry.status!, headers: { 'Content-Type': entry.content_type }, body: entry.value }
  // The corpus records bodies and content types but no headers, so header requirements cannot be judged here.
  return contract.validateResponse(operation, res, { profile: 'okta' }).filter((p) => p.where !== 'header')
}

const matches = (entry: Entry, e: Exception) =>
  e.name === entry.name && e.path === entry.path && e.kind === entry.kind && e.status === entry.status
const label = (e: Pick<Entry, 'kind' | 'path' | 'name' | 'status'>) =>
  `${e.kind} ${e.path}${e.status ? ` ${e.status}` : ''} ${e.name}`

const accepted: Entry[] = []
const excepted: Entry[] = []
const outOfScope = new Map<string, Entry[]>()

const inScope = corpus.flatMap((entry) => {
  const c = classify(entry)
  if ('outOfScope' in c) {
    outOfScope.set(c.outOfScope, [...(outOfScope.get(c.outOfScope) ?? []), entry])
    return []
  }
  const exception = exceptions.find((e) => matches(entry, e))
  if (exception) excepted.push(entry)
  else accepted.push(entry)
  return [{ entry, operation: c.operation, exception }]
})

describe('Okta wire examples against spec/openapi.yaml', () => {
  const cases = (withException: boolean) => inScope
    .filter((c) => (c.exception !== undefined) === withException)
    .map((c) => [label(c.entry), c] as const)

  it.each(cases(false))('accepts %s', (_, { entry, operation }) => {
    expect(validate(operation, entry)).toEqual([])
  })

  it.each(cases(true))('still rejects the exception %s', (_, { entry, operation, exception }) => {
    expect(validate(operation, entry)).toContainEqual(expect.objectContaining({
      pointer: exception!.pointer,
      message: expect.stringContaining(exception!.because),
    }))
  })

  it('lists only exceptions that name an in-scope entry', () => {
    for (const e of exceptions) {
      expect(excepted.filter((entry) => matches(entry, e)), `exception ${label(e)}`).toHaveLength(1)
      expect(e.reason.length, `reason of ${label(e)}`).toBeGreaterThan(0)
    }
  })

  it('classifies every entry exactly once', () => {
    const out = [...outOfScope.values()].flat().length
    expect(accepted.length + excepted.length + out).toBe(corpus.length)
    expect(excepted).toHaveLength(exceptions.length)
    expect(accepted.length).toBeGreaterThan(0)
  })

  afterAll(() => {
    const lines = [
      `corpus: ${corpus.length} entries — ${accepted.length} accepted, ${excepted.length} excepted, ` +
        `${[...outOfScope.values()].flat().length} out of scope`,
      ...[...outOfScope].map(([reason, entries]) => `  out of scope, ${reason}: ${entries.length}`),
    ]
    console.log(lines.join('\n'))
  })
})
