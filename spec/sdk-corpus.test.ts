import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadContract } from '../src/contract/index.js'
import type { ContractProblem, OperationId } from '../src/contract/index.js'

/**
 * The mock responses of Okta's Swift and Kotlin SDK tests (test/corpus/okta-sdk-fixtures/) against the spec:
 * a body the SDKs treat as valid must be accepted, one they treat as invalid rejected at the member that makes
 * it invalid, and every deliberate disagreement is listed in sdk-corpus-exceptions.yaml. See spec/README.md.
 */

interface Fixture {
  file: string
  from: string
  operation: OperationId
  status: number
  sdkTreatsAs: string
}

interface Manifest {
  sources: Record<string, string>
  fixtures: Fixture[]
}

interface Exception {
  file: string
  /** Where the spec rejects a body the SDK treats as valid; absent when it accepts one the SDK treats as invalid. */
  pointer?: string
  because?: string
  reason: string
}

/** What makes a body invalid: the member the SDK stumbles on, and what the spec must say about it. */
interface Explanation {
  pointer: string
  because: string
  sdk: string
}

const root = new URL('../test/corpus/okta-sdk-fixtures/', import.meta.url)
const manifest = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8')) as Manifest
const exceptions = parse(
  readFileSync(new URL('sdk-corpus-exceptions.yaml', import.meta.url), 'utf8')) as Exception[]
const contract = loadContract()

const TRANSFER_WITHOUT_CODE: Omit<Explanation, 'sdk'> = {
  pointer: '/binding_code',
  because: 'binding_code is present exactly when binding_method is transfer',
}

/** Every fixture an SDK treats as invalid, with the member that explains it (read from the SDKs' tests). */
const explanations: Record<string, Explanation> = {
  'okta-mobile-swift/primary-authenticate-binding-transfer-missingCode.json': {
    ...TRANSFER_WITHOUT_CODE, sdk: 'throws bindingCodeMissing',
  },
  'okta-mobile-swift/challenge-oob-binding-transfer-missingCode.json': {
    ...TRANSFER_WITHOUT_CODE, sdk: 'throws bindingCodeMissing',
  },
  'okta-mobile-kotlin/OOB_AUTHENTICATE_TRANSFER_NO_BINDING_CODE_RESPONSE_JSON.json': {
    ...TRANSFER_WITHOUT_CODE, sdk: 'internal error "binding_method: transfer without binding_code"',
  },
  'okta-mobile-kotlin/OOB_AUTHENTICATE_INVALID_BINDING_RESPONSE_JSON.json': {
    pointer: '/binding_method',
    because: 'must be one of "none", "transfer", "prompt"',
    sdk: 'internal error "Unknown binding method: bluetooth"',
  },
}

/**
 * Fixtures whose SDK verdict is about the client, not the body: they are judged by the body's validity.
 * `valid`/`invalid` is the verdict on the body; `note` says why the SDK's behaviour does not decide it.
 */
const clientMatters: Record<string, { body: 'valid' | 'invalid'; note: string }> = {
  'okta-mobile-kotlin/OOB_AUTHENTICATE_EMAIL_RESPONSE_JSON.json': {
    body: 'valid',
    note: 'the Kotlin test (…WhenUnsupportedChannelReturned) serves it to an sms request and expects an internal ' +
      'error for the channel; which channels a client supports is the client\'s matter. The body is a ' +
      'well-formed email/prompt answer, and email is a documented channel here (spec/README.md, A9).',
  },
}

/**
 * Swift's `challenge-*` mock responses answer `/oauth2/v1/challenge` (the MFA step after `mfa_required`), which
 * this spec does not describe. They are out of scope and do not count as accepted or rejected. "Checked for shape
 * only" means: the members they share with an initiation answer (oob_code, expires_in, interval, channel,
 * binding_method, binding_code) are held to the initiation response's schema (`primaryAuthenticate` 200, as the
 * manifest serves them), with their own SDK verdict; nothing about `/challenge` itself (its request, mfa_token,
 * challenge_type) is judged.
 */
const isChallengeAnswer = (f: Fixture) => /MockResponses\/challenge-/.test(f.from)

type Verdict =
  | { kind: 'valid'; note?: string }
  | { kind: 'invalid'; explanation: Explanation; note?: string }

/** How the SDK's verdict translates into what the spec must say about the body. */
function verdict(f: Fixture): Verdict {
  const matter = clientMatters[f.file]
  let body: 'valid' | 'invalid'
  if (matter) body = matter.body
  else if (/^valid\b/.test(f.sdkTreatsAs)) body = 'valid'
  else if (/^INVALID\b/.test(f.sdkTreatsAs)) body = 'invalid'
  else throw new Error(`${f.file}: sdkTreatsAs "${f.sdkTreatsAs}" is neither valid nor INVALID; add it to clientMatters`)
  const note = matter?.note
  if (body === 'valid') return note === undefined ? { kind: 'valid' } : { kind: 'valid', note }
  const explanation = explanations[f.file]
  if (!explanation) throw new Error(`${f.file}: treated as invalid, but no explanation names the member at fault`)
  return note === undefined ? { kind: 'invalid', explanation } : { kind: 'invalid', explanation, note }
}

/** The SDK tests serve every body as application/json and record no other headers, so headers are not judged. */
function validate(f: Fixture): ContractProblem[] {
  const body = JSON.parse(readFileSync(new URL(f.file, root), 'utf8')) as unknown
  const res = { status: f.status, headers: { 'Content-Type': 'application/json' }, body }
  return contract.validateResponse(f.operation, res, { profile: 'okta' }).filter((p) => p.where !== 'header')
}

const problemAt = (pointer: string, because: string) =>
  expect.objectContaining({ pointer, message: expect.stringContaining(because) })

const label = (f: Fixture) => `${f.file} (${f.operation} ${f.status}; SDK: ${f.sdkTreatsAs})`

interface Case {
  fixture: Fixture
  verdict: Verdict
  exception: Exception | undefined
}

const cases: Case[] = manifest.fixtures.map((fixture) => ({
  fixture,
  verdict: verdict(fixture),
  exception: exceptions.find((e) => e.file === fixture.file),
}))
const shapeOnly = cases.filter((c) => isChallengeAnswer(c.fixture))
const inScope = cases.filter((c) => !isChallengeAnswer(c.fixture))
const accepted = inScope.filter((c) => c.exception === undefined && c.verdict.kind === 'valid')
const rejected = inScope.filter((c) => c.exception === undefined && c.verdict.kind === 'invalid')
const excepted = inScope.filter((c) => c.exception !== undefined)

const each = (list: Case[]) =>
  list.map((c) => [`${label(c.fixture)}${c.verdict.note === undefined ? '' : ', judged by the body'}`, c] as const)

describe('Okta SDK fixtures against spec/openapi.yaml', () => {
  it.each(each(accepted))('accepts %s', (_, { fixture }) => {
    expect(validate(fixture)).toEqual([])
  })

  it.each(each(rejected))('rejects %s', (_, { fixture, verdict }) => {
    const { pointer, because } = (verdict as Extract<Verdict, { kind: 'invalid' }>).explanation
    expect(validate(fixture)).toContainEqual(problemAt(pointer, because))
  })

  it.each(each(excepted))('still disagrees with the SDK on the exception %s', (_, { fixture, verdict, exception }) => {
    const problems = validate(fixture)
    if (verdict.kind === 'valid') expect(problems).toContainEqual(problemAt(exception!.pointer!, exception!.because!))
    else expect(problems).toEqual([])
  })

  describe('/challenge answers (out of scope, checked for shape only)', () => {
    it.each(each(shapeOnly))('shape of %s matches its SDK verdict', (_, { fixture, verdict }) => {
      const problems = validate(fixture)
      if (verdict.kind === 'valid') expect(problems).toEqual([])
      else expect(problems).toContainEqual(problemAt(verdict.explanation.pointer, verdict.explanation.because))
    })
  })

  it('judges the client matters by the body, with a note', () => {
    for (const [file, matter] of Object.entries(clientMatters)) {
      expect(manifest.fixtures.map((f) => f.file), file).toContain(file)
      expect(matter.note.length, file).toBeGreaterThan(0)
    }
  })

  it('lists only exceptions that name an in-scope fixture, with a reason and, for a rejection, where', () => {
    for (const e of exceptions) {
      const c = inScope.filter((x) => x.fixture.file === e.file)
      expect(c, `exception ${e.file}`).toHaveLength(1)
      expect(e.reason.length, `reason of ${e.file}`).toBeGreaterThan(0)
      // A body the SDK accepts is excepted because the spec rejects it (say where); one it refuses, because the
      // spec accepts it (nothing to point at).
      if (c[0]!.verdict.kind === 'valid') expect([e.pointer, e.because], e.file).not.toContain(undefined)
      else expect([e.pointer, e.because], e.file).toEqual([undefined, undefined])
    }
  })

  it('explains only fixtures the SDKs treat as invalid', () => {
    const invalid = cases.filter((c) => c.verdict.kind === 'invalid').map((c) => c.fixture.file)
    expect(Object.keys(explanations).sort()).toEqual(invalid.sort())
  })

  it('vendors exactly the fixtures of the manifest', () => {
    const onDisk = Object.keys(manifest.sources).flatMap((dir) =>
      readdirSync(new URL(`${dir}/`, root)).map((name) => `${dir}/${name}`))
    expect(onDisk.sort()).toEqual(manifest.fixtures.map((f) => f.file).sort())
    for (const f of manifest.fixtures) expect(['oobAuthenticate', 'primaryAuthenticate', 'token']).toContain(f.operation)
  })

  it('classifies every fixture exactly once, with the expected totals', () => {
    expect(accepted.length + rejected.length + excepted.length + shapeOnly.length).toBe(manifest.fixtures.length)
    expect(excepted).toHaveLength(exceptions.length)
    // A change to the fixtures, the exceptions or the spec's verdicts must be noticed (and spec/README.md updated).
    expect({
      fixtures: manifest.fixtures.length,
      accepted: accepted.length,
      rejectedAsExpected: rejected.length,
      excepted: excepted.length,
      outOfScope: shapeOnly.length,
    }).toEqual({ fixtures: 22, accepted: 15, rejectedAsExpected: 3, excepted: 1, outOfScope: 3 })
  })

  afterAll(() => {
    const notes = cases.flatMap((c) => c.verdict.note === undefined ? [] : [`  note, ${c.fixture.file}: ${c.verdict.note}`])
    console.log([
      `sdk fixtures: ${manifest.fixtures.length} — ${accepted.length} accepted, ${rejected.length} rejected as ` +
        `expected, ${excepted.length} excepted, ${shapeOnly.length} out of scope (/challenge, shape only)`,
      ...notes,
    ].join('\n'))
  })
})
