/**
 * The standard test accounts (spec/accounts.json) as the server uses them: clients by `client_id`,
 * users by `login_hint`. The JSON file is the single source; this module only indexes it.
 * @module
 */

import { createHash } from 'node:crypto'
import accounts from '../../spec/accounts.json' with { type: 'json' }
import type { AuthMethod, BindingMethod, Channel } from '../protocol/index.js'

export interface Client {
  id: string
  authMethods: readonly AuthMethod[]
  /** SHA-256 of the secret: comparing fixed-length digests keeps the comparison constant-time. */
  secretDigest?: Buffer
  oobGrant: boolean
}

export interface User {
  loginHint: string
  /** The one channel the user is enrolled in; `null` for the unenrolled user. */
  channel: Channel | null
  bindingMethod: BindingMethod | null
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

export const clients: ReadonlyMap<string, Client> = new Map(
  Object.values(accounts.clients).map((c): [string, Client] => {
    const authMethods = ('auth_methods' in c ? c.auth_methods : [c.auth_method]) as AuthMethod[]
    const client: Client = { id: c.client_id, authMethods, oobGrant: c.oob_grant }
    if ('client_secret' in c) client.secretDigest = sha256(c.client_secret)
    return [c.client_id, client]
  }),
)

export const users: ReadonlyMap<string, User> = new Map(
  Object.values(accounts.users).map((u): [string, User] => [
    u.login_hint,
    {
      loginHint: u.login_hint,
      channel: u.channel as Channel | null,
      bindingMethod: u.binding_method as BindingMethod | null,
    },
  ]),
)
