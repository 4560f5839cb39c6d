import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAuditChainKey } from '../src/audit/audit-chain-key.ts';
import { recordAuditEntry } from '../src/audit/record-audit-entry.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

// npm run audit -- verify | anchor as an operator runs it: the real script, a real database, a real
// anchor file, and the database tampered with as a superuser would.

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);
const AUDIT_KEY = '5e'.repeat(32);

let database: TestDatabase;
let dir: string;
let anchorFile: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function audit(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  via: 'tsx' | 'npm' = 'tsx',
): Promise<CliResult> {
  const [file, argv] =
    via === 'npm' ? ['npm', ['run', 'audit', '--', ...args]] : [TSX, ['scripts/audit.ts', ...args]];
  try {
    const { stdout, stderr } = await run(file, argv, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        BILLING_CONFIG: 'billing.example.yml',
        AUDIT_KEY,
        AUDIT_ANCHOR_FILE: anchorFile,
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function asSuperuser(statement: ReturnType<typeof sql>): Promise<void> {
  await database.db.connection().execute(async (connection) => {
    await sql`set session_replication_role = replica`.execute(connection);
    await statement.execute(connection);
    await sql`set session_replication_role = origin`.execute(connection);
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'billops-audit-cli-'));
  anchorFile = path.join(dir, 'audit-anchors.jsonl');
  const keyed = withAuditChainKey(database.db, Buffer.from(AUDIT_KEY, 'hex'));
  for (let n = 1; n <= 4; n++) {
    await recordAuditEntry(keyed, {
      actor: 'U0APPROVER1',
      action: 'invoice.finalized',
      subjectType: 'invoice',
      subjectId: `inv_${n}`,
      details: { total: '58.80' },
    });
  }
});
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run audit', () => {
  it('verifies an untampered chain (exit 0), and says when there is no anchor yet', async () => {
    const { code, stdout } = await audit(['verify'], {}, 'npm');
    expect(code).toBe(0);
    expect(stdout).toContain('Audit log verified: 4 entries, head entry 4');
    expect(stdout).toContain('keyed from entry 1');
    expect(stdout).toContain(`No anchors in ${anchorFile} yet`);
  });

  it('anchors the head in the anchor file, then verifies against it', async () => {
    const anchored = await audit(['anchor']);
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toContain(`Anchored entry 4, hash`);
    const lines = (await readFile(anchorFile, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ seq: '4', keyedFrom: '1', reason: 'manual' });
    const verified = await audit(['verify']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('Checked against 1 anchor(s)');
  });

  it('fails without the key that wrote the entries, in one line', async () => {
    const { code, stderr } = await audit(['verify'], { AUDIT_KEY: '' });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('entry 1 is keyed and no audit key is set');
  });

  it('exits 1 on an edited entry and prints it', async () => {
    await asSuperuser(sql`update audit_log set details = '{"total": "0.01"}' where seq = 2`);
    const { code, stdout, stderr } = await audit(['verify']);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).toContain('Audit log tampered: entry 2 was changed after it was written');
    expect(stdout).toContain('entry 2: ');
    expect(stdout).toContain('invoice.finalized invoice inv_2 {"total":"0.01"}');
    // A broken chain is not anchored.
    expect((await audit(['anchor'])).code).toBe(1);
    expect((await readFile(anchorFile, 'utf8')).trim().split('\n')).toHaveLength(1);
    await asSuperuser(sql`update audit_log set details = '{"total": "58.80"}' where seq = 2`);
    expect((await audit(['verify'])).code).toBe(0);
  });

  it('exits 1 on deleted newest entries, against the anchor (npm run audit -- verify)', async () => {
    await asSuperuser(sql`delete from audit_log where seq >= 3`);
    const { code, stdout, stderr } = await audit(['verify'], {}, 'npm');
    expect(code).toBe(1);
    expect(stderr).toContain('the audit log ends at entry 2, but entry 4 was anchored on');
    expect(stdout).toContain('entry 3: removed');
    expect(stdout).toContain('anchored: entry 4, hash');
  });

  it('refuses an unknown command with the usage pointer (exit 2)', async () => {
    const { code, stderr } = await audit(['erase']);
    expect(code).toBe(2);
    expect(stderr).toContain('npm run audit -- --help');
  });
});
