import { check, describeResponse, expect } from '../../src/engine/index.js'

const shape = (body: unknown) => Object.keys((body ?? {}) as object).sort().join(',')

// An unknown login_hint reveals nothing when it is answered like a known user: like one who can use the
// channel (a decoy transaction) or like one who cannot (unenrolled@example.test, the same refusal).
check('flows/no-user-enumeration', 'initiation for an unknown user looks like initiation for a known one',
  ['OOB-S-NO-USER-ENUMERATION'],
  async ({ oob }) => {
    const [enrolled, unenrolled, unknown] = await Promise.all([
      oob.authenticate('push'),
      oob.authenticate('unenrolled', { channel_hint: 'push' }),
      oob.authenticate('no-such-user-7f3a@example.test', { channel_hint: 'push' }),
    ])
    const alike = (known: typeof unknown) => known.status === unknown.status && shape(known.json) === shape(unknown.json)
    expect('OOB-S-NO-USER-ENUMERATION', alike(enrolled) || alike(unenrolled),
      () => `an unknown login_hint got ${unknown.status} {${shape(unknown.json)}}, unlike both a known user who can ` +
        `use push (${enrolled.status} {${shape(enrolled.json)}}) and one who cannot (${describeResponse(unenrolled)}): ` +
        'the difference tells whether a user exists')
  })
