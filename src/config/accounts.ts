import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../package-root.js'
import type { Accounts } from './target.js'

interface AccountsFile {
  clients: Record<'public' | 'confidential' | 'noGrant', { client_id: string; client_secret?: string }>
  users: Record<keyof Accounts['users'], { login_hint: string }>
  scope: string
}

/** The standard test accounts of `spec/accounts.json` (DESIGN.md), as a fresh mutable copy. */
export function standardAccounts(): Accounts {
  const file: AccountsFile = JSON.parse(readFileSync(join(packageRoot, 'spec', 'accounts.json'), 'utf8'))
  const client = (c: { client_id: string; client_secret?: string }) =>
    c.client_secret ? { clientId: c.client_id, clientSecret: c.client_secret } : { clientId: c.client_id }
  const users = Object.fromEntries(Object.entries(file.users).map(([k, u]) => [k, u.login_hint]))
  return {
    clients: { public: client(file.clients.public), confidential: client(file.clients.confidential), noGrant: client(file.clients.noGrant) },
    users: users as Accounts['users'],
    scope: file.scope,
  }
}
