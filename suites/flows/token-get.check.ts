import { check, describeResponse, expect, hasTokens, OOB_GRANT_TYPE } from '../../src/engine/index.js'

// RFC 6749 §3.2: token requests are POSTs. A GET carrying the grant in its query string (where proxies and logs
// keep it) must not be processed, not even for an approved oob_code.
check('flows/token-get-refused', 'a token request sent as GET, parameters in the query string, is refused',
  ['OOB-S-TOKEN-GET-REFUSED'],
  async ({ oob, user, wait, http, target }) => {
    const tx = await oob.start('push')
    await user.approve(tx)
    await wait(tx.interval ?? 5, 'the polling interval')
    const query = new URLSearchParams({ client_id: target.accounts.clients.public.clientId, grant_type: OOB_GRANT_TYPE,
      oob_code: tx.oobCode, scope: target.accounts.scope })
    // Not the token operation of the spec: the schema suite does not grade what a GET gets back.
    const res = await http.send({ method: 'GET', url: `${target.endpoints.token}?${query}`, operation: 'token-get',
      headers: { accept: 'application/json' } })
    expect('OOB-S-TOKEN-GET-REFUSED', !hasTokens(res) && res.status >= 400 && res.status < 500,
      () => `GET ${target.endpoints.token}?… for an approved oob_code: expected a 4xx error, got ${describeResponse(res)}`,
      `GET refused: ${describeResponse(res)}`)
  })
