import { parseArgs } from 'node:util';
import { anchorAuditLog } from '../src/audit/anchor-audit-log.ts';
import { readAuditAnchors } from '../src/audit/audit-anchors.ts';
import { describeAuditAnchor, describeAuditFailure } from '../src/audit/describe-audit-verification.ts';
import { verifyAuditLog, type AuditVerification } from '../src/audit/verify-audit-log.ts';
import { CliFailure, openCliContext, runCli, usageError } from './cli-context.ts';

const USAGE = `Usage: npm run audit -- <command>
  verify   re-walk the audit log: every hash (keyed entries with AUDIT_KEY, or the key derived from
           ENCRYPTION_KEY), every link, and the chain against the anchors in AUDIT_ANCHOR_FILE;
           exit 1 and print the first entry that differs when it does not hold
  anchor   verify, then append the chain's head to AUDIT_ANCHOR_FILE (the app does this at every
           run's end and daily, and also posts it to the alerts channel)`;
const HELP = 'npm run audit -- --help';

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h', default: false } },
  });
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error), HELP);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [command, ...extra] = parsed.positionals;
if ((command !== 'verify' && command !== 'anchor') || extra.length > 0) {
  usageError(`Unknown command: ${parsed.positionals.join(' ') || '(none)'}; expected verify or anchor`, HELP);
}

/** Prints the first entry that differs (stdout) and fails with the finding in one line (stderr). */
function failOn(failure: Extract<AuditVerification, { ok: false }>): never {
  const [finding = failure.message, ...evidence] = describeAuditFailure(failure);
  process.stdout.write(`${evidence.join('\n')}\n`);
  throw new CliFailure(finding);
}

await runCli(`npm run audit -- ${command}`, async () => {
  const context = await openCliContext();
  try {
    const { anchorFile } = context.config.audit;
    if (command === 'anchor') {
      const result = await anchorAuditLog(context.db, {
        anchorFile,
        reason: 'manual',
        now: context.clock.now(),
      });
      if (result.code === 'chain_broken') failOn(result.verification);
      process.stdout.write(
        result.code === 'empty'
          ? 'The audit log is empty: nothing to anchor.\n'
          : `Anchored ${describeAuditAnchor(result.anchor)} in ${anchorFile}\n`,
      );
      return;
    }
    const anchors = await readAuditAnchors(anchorFile);
    const result = await verifyAuditLog(context.db, { anchors });
    if (!result.ok) failOn(result);
    const latest = anchors.at(-1);
    process.stdout.write(
      [
        `Audit log verified: ${result.entries} entries${result.head === undefined ? '' : `, head entry ${result.head.seq} (hash ${result.head.hash})`}${result.keyedFrom === null ? ', none keyed' : `, keyed from entry ${result.keyedFrom}`}.`,
        latest === undefined
          ? `No anchors in ${anchorFile} yet: removed newest entries or an emptied table cannot be told until one is written (npm run audit -- anchor).`
          : `Checked against ${anchors.length} anchor(s) in ${anchorFile}; latest: ${describeAuditAnchor(latest)}.`,
      ].join('\n') + '\n',
    );
  } finally {
    await context.close();
  }
});
