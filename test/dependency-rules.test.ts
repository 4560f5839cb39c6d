import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The dependency rules of ARCHITECTURE §3 (.dependency-cruiser.cjs) must each refuse a deliberate
// violation: a small tree laid out like billops, with one offending import per case, is cruised with
// the project's own configuration.

const ROOT = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function cruise(cwd: string): Promise<Violation[]> {
  const bin = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const args = [bin, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'];
  const targets = ['src', 'handlers', 'blocks', 'scripts', 'migrations'];
  // NOTE: depcruise exits non-zero when it finds violations; the JSON report is on stdout either way.
  const output = await run(process.execPath, [...args, ...targets], { cwd, maxBuffer: 64 << 20 }).catch(
    (error: unknown) => ({ stdout: (error as { stdout?: string }).stdout ?? '' }),
  );
  const report = JSON.parse(output.stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

/** A tree with the floors' folders and the files the violations import. */
const BASE_FILES: Record<string, string> = {
  'src/money/decimal.ts': 'export const Decimal = 1;\n',
  'src/db/database.ts': 'export const openDatabase = 1;\n',
  'src/config.ts': 'export const config = 1;\n',
  'src/jobs/task-list.ts': 'export const taskList = 1;\n',
  'src/local/xero/index.ts': 'export const localXero = 1;\n',
  'src/local/start-local-world.ts': "export { localXero } from './xero/index.ts';\n",
  'src/start-app.ts':
    "import { localXero } from './local/start-local-world.ts';\nexport const app = localXero;\n",
  'test/support/factory.ts': 'export const factory = 1;\n',
  'handlers/index.ts': 'export const handlers = 1;\n',
  'blocks/ids.ts': 'export const ids = 1;\n',
  'scripts/migrate.ts': 'export const migrate = 1;\n',
  'migrations/20260101T0000_start.ts': "import { sql } from 'kysely';\nexport const up = sql;\n",
};

/** [rule, file, content]: each file breaks exactly the rule it is named for. */
const CASES: [string, string, string][] = [
  ['no-circular', 'src/money/ring-a.ts', "import { b } from './ring-b.ts';\nexport const a = () => b;\n"],
  [
    'floors: src/money/',
    'src/money/reads-db.ts',
    "import { openDatabase } from '../db/database.ts';\nexport const x = openDatabase;\n",
  ],
  [
    'floors: src/approval/',
    'src/approval/calls-a-task.ts',
    "import { taskList } from '../jobs/task-list.ts';\nexport const x = taskList;\n",
  ],
  [
    'floors: src/db/',
    'src/db/imports-a-use-case.ts',
    "import { x } from '../approval/calls-a-task.ts';\nexport const y = x;\n",
  ],
  [
    'every-folder-on-a-floor',
    'src/ports/uses-new-room.ts',
    "import { n } from '../new-room/n.ts';\nexport const y = n;\n",
  ],
  [
    'pure-folders-do-no-io',
    'src/calendar/reads-files.ts',
    "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
  ],
  [
    'blocks-are-pure',
    'blocks/reads-db.ts',
    "import { openDatabase } from '../src/db/database.ts';\nexport const x = openDatabase;\n",
  ],
  [
    'blocks-use-no-npm-but-slack-types',
    'blocks/uses-zod.ts',
    "import { z } from 'zod';\nexport const x = z;\n",
  ],
  ['handlers-hold-no-sql', 'handlers/runs-sql.ts', "import { sql } from 'kysely';\nexport const x = sql;\n"],
  [
    'handlers-use-no-vendor-sdk',
    'handlers/posts-to-slack.ts',
    "import { WebClient } from '@slack/web-api';\nexport const x = WebClient;\n",
  ],
  [
    'xero-node-only-in-its-adapter',
    'src/erp/posts-to-xero.ts',
    "import { XeroClient } from 'xero-node';\nexport const x = XeroClient;\n",
  ],
  [
    'node-quickbooks-only-in-its-adapter',
    'src/erp/xero/posts-to-qbo.ts',
    "import QuickBooks from 'node-quickbooks';\nexport const x = QuickBooks;\n",
  ],
  [
    'nodemailer-only-in-its-adapter',
    'src/invoices/sends-mail.ts',
    "import nodemailer from 'nodemailer';\nexport const x = nodemailer;\n",
  ],
  [
    'pdfkit-only-in-its-adapter',
    'src/delivery/draws-pdf.ts',
    "import PDFDocument from 'pdfkit';\nexport const x = PDFDocument;\n",
  ],
  [
    'graphile-worker-only-in-its-adapter',
    'src/queue/runs-jobs.ts',
    "import { run } from 'graphile-worker';\nexport const x = run;\n",
  ],
  [
    '@slack/web-api-only-in-its-adapter',
    'src/overdue/posts-itself.ts',
    "import { WebClient } from '@slack/web-api';\nexport const x = WebClient;\n",
  ],
  [
    'local-stand-ins-only-from-the-composition-root',
    'src/erp/uses-sandbox.ts',
    "import { localXero } from '../local/xero/index.ts';\nexport const x = localXero;\n",
  ],
  [
    'start-app-enters-local-once',
    'src/start-app.ts',
    "import { localXero } from './local/xero/index.ts';\nexport const app = localXero;\n",
  ],
  [
    'migrations-import-only-kysely',
    'migrations/20260102T0000_uses-src.ts',
    "import { Decimal } from '../src/money/decimal.ts';\nexport const up = Decimal;\n",
  ],
  [
    'product-never-imports-tests',
    'src/approval/uses-a-factory.ts',
    "import { factory } from '../../test/support/factory.ts';\nexport const x = factory;\n",
  ],
];

let tree: string;

async function writeTree(files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(tree, file)), { recursive: true });
    await writeFile(path.join(tree, file), content);
  }
}

beforeAll(async () => {
  tree = await mkdtemp(path.join(tmpdir(), 'billops-deps-'));
  for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json', 'package.json']) {
    await copyFile(path.join(ROOT, file), path.join(tree, file));
  }
  await symlink(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
  await writeTree(BASE_FILES);
});

afterAll(async () => {
  await rm(tree, { recursive: true, force: true });
});

describe('the dependency rules (ARCHITECTURE §3)', () => {
  it('find nothing in the tree that keeps them', async () => {
    expect(await cruise(tree)).toEqual([]);
  });

  it('refuse each deliberate violation by name', async () => {
    await writeTree({
      ...Object.fromEntries(CASES.map(([, file, content]) => [file, content])),
      'src/money/ring-b.ts': "import { a } from './ring-a.ts';\nexport const b = () => a;\n",
      'src/new-room/n.ts': 'export const n = 1;\n',
    });
    const found = new Set(
      (await cruise(tree)).map((violation) => `${violation.rule.name} ${violation.from}`),
    );
    for (const [rule, file] of CASES) {
      expect(found.has(`${rule} ${file}`), `${rule} refuses ${file}`).toBe(true);
    }
  });

  it('find nothing in billops itself', async () => {
    expect(await cruise(ROOT)).toEqual([]);
  });
});
