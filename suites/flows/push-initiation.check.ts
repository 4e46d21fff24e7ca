import { check, expect } from '../../src/engine/index.js'

check('flows/push-initiation', 'push initiation returns interval and binding_method none',
  ['OOB-S-INIT-RESPONSE-FIELDS', 'OOB-S-INIT-PUSH-INTERVAL', 'OOB-S-PUSH-BINDING-METHOD'],
  async ({ oob, note }) => {
    const tx = await oob.start('push')
    expect('OOB-S-INIT-RESPONSE-FIELDS', tx.channel === 'push', `channel is "${tx.channel}", expected push`)
    expect('OOB-S-PUSH-BINDING-METHOD', tx.bindingMethod === 'none', `binding_method is "${tx.bindingMethod}" for a plain push, expected none`)
    expect('OOB-S-INIT-PUSH-INTERVAL', Number.isInteger(tx.interval) && tx.interval! >= 1, `interval is ${tx.interval}, expected a whole number ≥ 1`)
    note(`interval ${tx.interval} s, expires_in ${tx.expiresIn} s`)
  })
