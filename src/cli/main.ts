#!/usr/bin/env node
/**
 * `oob-conformance` — commands: check, serve, client-check, verify-pact, merge-reports. Exit codes (DESIGN.md): 0 no MUST
 * failed, 1 a MUST failed (or a SHOULD under --strict, or an incomplete run under --require-complete), 2 usage or
 * configuration error, the target unreachable, or no check could run.
 * @module
 */
import { Command, CommanderError, Option } from 'commander'
import pc from 'picocolors'
import { isOobConformanceError } from '../errors.js'
import { packageVersion } from '../package-root.js'

const program = new Command('oob-conformance')
  .description('Conformance and contract tests for the OAuth 2.0 direct-authentication out-of-band (OOB) flow.')
  .version(packageVersion)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()

/** --quiet, --verbose and --no-color, the same on every command that runs checks. */
function outputOptions(command: Command): Command {
  return command
    .option('--quiet', 'print only the final line and errors')
    .option('--verbose', 'print every step of every check as it is judged')
    .option('--no-color', 'no colours (as NO_COLOR=1 does)')
}

outputOptions(program
  .command('check'))
  .description('check an authorization server, requirement by requirement; with no --base-url, the embedded reference server')
  .option('--base-url <url>', 'the server under test, e.g. https://auth.example.com (default: start the embedded reference server)')
  .option('--issuer <url>', 'issuer of an org (https://org) or custom authorization server (https://org/oauth2/default); sets the endpoint paths')
  .addOption(new Option('--profile <profile>', 'which wire behaviour to expect').choices(['okta', 'rfc']))
  .option('--config <file>', 'YAML or JSON file with any of these options by name (base-url or baseUrl), paths, clients and users (secrets: OOB_CLIENT_SECRET)')
  .option('--control-url <url>', 'base URL of the test-control API that plays the user (approve, deny, otp, expire)')
  .option('--driver <driver>', '"interactive" (you play the user at this terminal) or a module path exporting approve/deny/otp/expire')
  .addOption(new Option('--initiation <endpoint>', 'initiation endpoint the flows use').choices(['primary-authenticate', 'oob-authenticate']))
  .option('--suites <list>', 'comma-separated suites to run: schema,flows,properties,security,pact (pact verifies the committed consumer pacts; default: schema,flows,properties,security)')
  .option('--report-dir <dir>', 'where to write results.json, junit.xml, summary.md, report.html (default: reports)')
  .option('--shard <i/n>', 'run the i-th of n slices of the checks (split by id, the same on every machine); merge-reports joins them')
  .option('--seed <n>', 'seed for generated cases (printed by every run; replay with the same value)')
  .option('--num-runs <n>', 'generated cases per property (default 100)')
  .option('--expected-failures <file>', 'YAML/JSON list of {check|requirement, reason, expires?}: known failures become warnings')
  .option('--max-wait <seconds>', 'longest real-time wait a check may do (expiry, slow polling); longer ones are skipped (default 60)')
  .option('--request-timeout <seconds>', 'bound on each HTTP exchange (default 10)')
  .option('--rate-limit <n/s>', 'throttle the run to n requests per second')
  .option('--strict', 'a failed SHOULD fails the run (exit 1)')
  .option('--require-complete', 'an incomplete run (a MUST not exercised: no driver, a wait over --max-wait, …) exits 1')
  .action(async (options) => {
    // Each command loads its own modules: --help and the other commands never pay for the engine.
    const { runCheck } = await import('./check.js')
    process.exitCode = await runCheck(options)
  })

program
  .command('serve')
  .description('run the reference authorization server (with the test-only control API) for clients and experiments')
  .option('--port <port>', 'port to listen on (0 = any free port)', '4010')
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .addOption(new Option('--profile <profile>', 'wire behaviour').choices(['okta', 'rfc']).default('okta'))
  .option('--interval <seconds>', 'polling interval returned for push', '5')
  .option('--expires-in <seconds>', 'lifetime of each oob_code', '300')
  .option('--no-control', 'do not mount the test-control API under /control')
  .action(async (options) => {
    const { runServe } = await import('./serve.js')
    await runServe(options)
  })

outputOptions(program
  .command('client-check'))
  .description('judge an OOB client: run COMMAND once per scripted scenario against a mock authorization server')
  .argument('<command...>', 'the client, after --: it reads OOB_BASE_URL (or OOB_HOST, OOB_ISSUER), OOB_CLIENT_ID, ' +
    'OOB_LOGIN_HINT, OOB_CHANNEL, OOB_CLIENT_SECRET, OOB_OTP_FILE (or the code on stdin) and exits 0 only when it got tokens')
  .option('--scenarios <list>', 'comma-separated scenario names (default: all of the profile)')
  .option('--report-dir <dir>', 'where to write results.json, junit.xml, summary.md, report.html', 'reports')
  .addOption(new Option('--profile <profile>', 'which wire behaviour the mock shows').choices(['okta', 'rfc']).default('okta'))
  .option('--timeout <seconds>', 'per scenario; the client\'s process tree is killed after it', '60')
  .option('--expected-failures <file>', 'YAML/JSON list of {check|requirement, reason, expires?}: known failures become warnings')
  .option('--strict', 'a failed SHOULD fails the run (exit 1)')
  .option('--tls', 'serve HTTPS with a certificate of a CA made for the run: OOB_CA_FILE, SSL_CERT_FILE, ' +
    'NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE name it')
  .option('--channels <list>', 'the channels the client supports (push,sms,voice,email; default all): ' +
    'scenarios on others are skipped')
  .option('--client <list>', 'the registrations the client can run as (public,confidential; default both)')
  .option('--login-hint <value>', 'the login_hint for every scenario, for a client that cannot take the default ones')
  .action(async (command: string[], options) => {
    const { runClientCheck } = await import('./client-check.js')
    process.exitCode = await runClientCheck(command, options)
  })

outputOptions(program
  .command('verify-pact'))
  .description('check a client\'s pact: against the embedded reference server (or --base-url) and against the spec')
  .argument('<pact>', 'a pact file, or a directory of pact files (*.json)')
  .option('--base-url <url>', 'verify against this server instead of the embedded reference server')
  .option('--control-url <url>', 'test-control API of --base-url, which sets up the provider states')
  .addOption(new Option('--profile <profile>', 'which wire behaviour the server and the spec follow (default: each pact\'s own, from its provider name)').choices(['okta', 'rfc']))
  .option('--config <file>', 'YAML or JSON file with the target, as for check')
  .option('--report-dir <dir>', 'where to write results.json, junit.xml, summary.md, report.html', 'reports')
  .option('--max-wait <seconds>', 'longest real-time wait a provider state may do', '60')
  .option('--request-timeout <seconds>', 'bound on each HTTP exchange', '10')
  .option('--strict', 'a warning (the spec cannot confirm an expectation) fails the run (exit 1)')
  .action(async (pact: string, options) => {
    const { runVerifyPact } = await import('./verify-pact.js')
    process.exitCode = await runVerifyPact(pact, options)
  })

outputOptions(program
  .command('merge-reports'))
  .description('merge the results.json of several runs (the shards of check --shard, a CI matrix) into one report')
  .argument('<dir...>', 'report directories of the runs')
  .option('--report-dir <dir>', 'where to write the merged results.json, junit.xml, summary.md, report.html', 'reports')
  .option('--strict', 'a failed SHOULD fails the merged run (exit 1)')
  .action(async (dirs: string[], options) => {
    const { runMergeReports } = await import('./merge-reports.js')
    process.exitCode = await runMergeReports(dirs, options)
  })

try {
  await program.parseAsync(process.argv)
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end with code 0; every parse error is a usage error.
    process.exitCode = e.exitCode === 0 ? 0 : 2
  } else if (isOobConformanceError(e)) {
    process.stderr.write(`${pc.red('error')} ${e.message}\n`)
    process.exitCode = 2
  } else {
    process.stderr.write(`${pc.red('internal error')} ${(e as Error).stack ?? String(e)}\n`)
    process.exitCode = 2
  }
}
