import { access } from 'node:fs/promises';
import type { Config } from '../config.ts';
import type { BillingConfig } from './billing-config.ts';
import { loadBillingConfig } from './load-billing-config.ts';

export const EXAMPLE_BILLING_CONFIG = 'billing.example.yml';

/** BILLING_CONFIG, else billing.yml, else (first runs) the committed example. */
export async function resolveBillingConfig(config: Config): Promise<BillingConfig> {
  const { path, explicit } = config.billingConfig;
  if (!explicit && !(await exists(path))) return loadBillingConfig(EXAMPLE_BILLING_CONFIG);
  return loadBillingConfig(path);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
