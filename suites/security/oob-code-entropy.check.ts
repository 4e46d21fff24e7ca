import { toCurl } from '../../src/results/curl.js'
import {
  check, describeResponse, estimateEntropy, expect, startRequirement, type CheckContext, type ClientChoice, type UserKind,
} from '../../src/engine/index.js'

/** Spread over users, channels and both clients, so that no one user is flooded with pushes or messages. */
const USERS: UserKind[] = ['push', 'number', 'sms', 'voice', 'email', 'push', 'sms', 'email']
const STARTS = USERS.flatMap((user): Array<[UserKind, ClientChoice]> =>
  [[user, {}], [user, { client: 'confidential' }]])

/** One sample per run (its target object): a process may run several checks in turn (runCheck, vitest). */
const samples = new WeakMap<CheckContext['target'], Promise<{ codes: string[]; curl: string }>>()

/** Starts the 16 transactions and keeps their codes, with one request as curl. */
async function takeSample(c: CheckContext): Promise<{ codes: string[]; curl: string }> {
  const started = await Promise.all(STARTS.map(async ([user, client]) => {
    const res = await c.oob.authenticate(user, {}, client)
    const code = (res.json as { oob_code?: unknown } | undefined)?.oob_code
    expect(startRequirement(client), res.status === 200 && typeof code === 'string',
      () => `starting a ${user} transaction failed: ${describeResponse(res)}`)
    return { code, request: res.exchange.request }
  }))
  return { codes: started.map((s) => s.code), curl: toCurl(started[0]!.request) }
}

/**
 * The 16 codes all three checks judge, started once by whichever check of the run asks first; each check's
 * reproduction names them and shows how they were obtained.
 */
async function sampleCodes(c: CheckContext): Promise<string[]> {
  const sample = samples.get(c.target) ?? takeSample(c)
  samples.set(c.target, sample)
  const { codes, curl } = await sample
  c.reproduce(`# ${codes.length} oob_codes, sampled with requests like this one:\n${curl}`)
  c.reproduce(`# the codes: ${codes.join(' ')}`)
  return codes
}

check('security/oob-code-entropy', 'oob_codes carry at least 128 bits of entropy',
  ['OOB-S-OOB-CODE-ENTROPY'],
  async (c) => {
    const entropy = estimateEntropy(await sampleCodes(c))
    expect('OOB-S-OOB-CODE-ENTROPY', entropy.bits >= 128, `at most ${entropy.bits} bits, below 128 — ${entropy.summary}`)
    c.note(entropy.summary)
  })

check('security/oob-code-entropy-160', 'oob_codes carry at least 160 bits of entropy',
  ['OOB-S-OOB-CODE-ENTROPY-160'],
  async (c) => {
    const entropy = estimateEntropy(await sampleCodes(c))
    expect('OOB-S-OOB-CODE-ENTROPY-160', entropy.bits >= 160, `at most ${entropy.bits} bits, below 160 — ${entropy.summary}`)
    c.note(entropy.summary)
  })

check('security/oob-code-charset', 'oob_codes use only A-Z a-z 0-9 . - _',
  ['OOB-S-OOB-CODE-CHARSET'],
  async (c) => {
    const codes = await sampleCodes(c)
    const outside = [...new Set(codes.join('').replace(/[A-Za-z0-9._-]/g, ''))]
    const shown = outside.map((ch) => JSON.stringify(ch)).join(' ')
    const example = codes.find((code) => /[^A-Za-z0-9._-]/.test(code))
    expect('OOB-S-OOB-CODE-CHARSET', outside.length === 0, `oob_codes contain ${shown}, outside A-Z a-z 0-9 . - _ (e.g. ${example})`)
    c.note(`${codes.length} codes, all within A-Z a-z 0-9 . - _`)
  })
