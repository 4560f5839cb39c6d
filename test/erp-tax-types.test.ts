import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireErpTaxTypes } from '../src/billing-config/erp-tax-types.ts';
import { loadBillingConfig } from '../src/billing-config/load-billing-config.ts';
import { loadConfig } from '../src/config.ts';
import { startApp } from '../src/start-app.ts';

// Issue 19: a tax profile without erp_tax_type lets the ERP apply its own default tax (Xero: 20% on
// account 200), so with an ERP connected billops refuses to start, naming the profile.

let dir: string;
let withoutTaxType: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'billops-tax-types-'));
  withoutTaxType = path.join(dir, 'billing.yml');
  const example = await readFile('billing.example.yml', 'utf8');
  const edited = example.replace('jurisdiction: DE, erp_tax_type: TAX001 }', 'jurisdiction: DE }');
  expect(edited).not.toBe(example);
  await writeFile(withoutTaxType, edited);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tax types with an ERP connected', () => {
  it('stops at start naming the profile without an erp_tax_type', async () => {
    const config = loadConfig({ DATA_DIR: dir, PORT: '0', BILLING_CONFIG: withoutTaxType });

    await expect(startApp(config, pino({ level: 'silent' }))).rejects.toThrow(
      /tax\.profiles\.de_vat: no erp_tax_type\. With the local Xero connected, its lines would take the local Xero's default tax/,
    );
  });

  it('asks nothing of a config whose every profile names its tax type, and names only those that do not', async () => {
    const example = await loadBillingConfig('billing.example.yml');
    const edited = await loadBillingConfig(withoutTaxType);

    expect(() => {
      requireErpTaxTypes(example, 'Xero');
    }).not.toThrow();
    expect(() => {
      requireErpTaxTypes(edited, 'Xero');
    }).toThrow(expect.objectContaining({ problems: [expect.stringMatching(/^tax\.profiles\.de_vat: /)] }));
  });
});
