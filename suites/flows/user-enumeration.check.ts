import { check, expect } from '../../src/engine/index.js'

const shape = (body: unknown) => Object.keys((body ?? {}) as object).sort().join(',')

check('flows/no-user-enumeration', 'initiation for an unknown user looks like initiation for a known one',
  ['OOB-S-NO-USER-ENUMERATION'],
  async ({ oob }) => {
    const known = await oob.authenticate('push')
    const unknown = await oob.authenticate('no-such-user-7f3a@example.test', { channel_hint: 'push' })
    expect('OOB-S-NO-USER-ENUMERATION', unknown.status === known.status && shape(unknown.json) === shape(known.json),
      () => `an unknown login_hint got ${unknown.status} {${shape(unknown.json)}}, a known one ` +
        `${known.status} {${shape(known.json)}}: the difference tells whether a user exists`)
  })
