import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, it, expect } from 'vitest'
import { PROFILES } from '../../src/profile.js'
import { committedPact, consumerCases } from '../../suites/pact/consumer/cases.js'
import { runConsumerCase } from '../../suites/pact/consumer/run.js'

/** Set to rewrite spec/pacts/ from this run instead of failing on a difference. */
const UPDATE = process.env.OOB_UPDATE_PACTS === '1'

/** The pact without what changes from one pact-js release or machine to the next. */
function comparable(text: string): unknown {
  const pact = JSON.parse(text) as { metadata?: { pactSpecification?: unknown } }
  return { ...pact, metadata: { pactSpecification: pact.metadata?.pactSpecification } }
}

describe.each(PROFILES)('the consumer pact of the %s profile', (profile) => {
  let pactDir: string
  beforeAll(async () => {
    pactDir = await mkdtemp(join(tmpdir(), `oob-consumer-${profile}-`))
  })
  afterAll(() => rm(pactDir, { recursive: true, force: true }))

  // In order: each case merges its interactions into the pact file the last test compares. Under CPU load
  // the mock server of pact-core 19 may record a request it answered only after executeTest has looked
  // (pact-foundation/pact-core-mock-server#13, fixed in pact-core 20, which needs Node 22): a case that fails
  // that way runs again; one whose client misbehaves fails every time.
  for (const c of consumerCases(profile)) {
    it(`${c.interaction.uponReceiving}: the client gets on with the answer`, { retry: 2 }, async () => {
      await runConsumerCase(c, profile, pactDir, expect)
    })
  }

  it('is the committed spec/pacts file (OOB_UPDATE_PACTS=1 rewrites it)', async () => {
    const committed = committedPact(profile)
    const generated = join(pactDir, basename(committed))
    if (UPDATE) await copyFile(generated, committed)
    const fresh = comparable(await readFile(generated, 'utf8'))
    expect(comparable(await readFile(committed, 'utf8')),
      `${committed} is stale: rerun with OOB_UPDATE_PACTS=1 and commit the result`).toEqual(fresh)
  })
})
