import { access } from 'node:fs/promises';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { BillingConfig } from './billing-config.ts';
import { loadBillingConfig } from './load-billing-config.ts';

export const EXAMPLE_BILLING_CONFIG = 'billing.example.yml';

/** BILLING_CONFIG, else billing.yml, else (first runs) the committed example, saying so. */
export async function resolveBillingConfig(config: Config, logger: Logger): Promise<BillingConfig> {
  const { path, explicit } = config.billingConfig;
  if (!explicit && !(await exists(path))) {
    logger.info(
      `Billing: no ${path}, so using ${EXAMPLE_BILLING_CONFIG}; copy it to ${path} to make it yours`,
    );
    return loadBillingConfig(EXAMPLE_BILLING_CONFIG);
  }
  return loadBillingConfig(path);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
