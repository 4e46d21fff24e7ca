import { assert, check } from '../../src/suite/index.js'

check('flows/push-initiation', 'push initiation returns interval and binding_method none',
  ['OOB-S-INIT-RESPONSE-FIELDS', 'OOB-S-INIT-PUSH-INTERVAL', 'OOB-S-PUSH-BINDING-METHOD'],
  async ({ oob, note }) => {
    const tx = await oob.start('push')
    assert(tx.channel === 'push', `channel is "${tx.channel}", expected push`)
    assert(tx.bindingMethod === 'none', `binding_method is "${tx.bindingMethod}" for a plain push, expected none`)
    assert(Number.isInteger(tx.interval) && tx.interval! >= 1, `interval is ${tx.interval}, expected a whole number ≥ 1`)
    note(`interval ${tx.interval} s, expires_in ${tx.expiresIn} s`)
  })
