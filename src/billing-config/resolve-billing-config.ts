import { access } from 'node:fs/promises';
import type { BillingConfig } from './billing-config.ts';
import { loadBillingConfig } from './load-billing-config.ts';

export const EXAMPLE_BILLING_CONFIG = 'billing.example.yml';

/** Where billing.yml is (Config's `billingConfig`): `explicit` when BILLING_CONFIG names it. */
export interface BillingConfigLocation {
  path: string;
  explicit: boolean;
}

/** BILLING_CONFIG, else billing.yml, else (first runs) the committed example. */
export async function resolveBillingConfig({
  path,
  explicit,
}: BillingConfigLocation): Promise<BillingConfig> {
  if (!explicit && !(await exists(path))) return loadBillingConfig(EXAMPLE_BILLING_CONFIG);
  return loadBillingConfig(path);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
