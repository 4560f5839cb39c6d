import type { IntakeCatalog } from './intake-catalog.ts';
import type { BillingConfig } from '../billing-config/billing-config.ts';

/** The codes imported rows may use, taken from billing.yml. */
export function intakeCatalogFor(billing: BillingConfig): IntakeCatalog {
  return {
    currencies: new Set(billing.currencies),
    planCodes: new Set(billing.plans.keys()),
    planCurrencies: new Map([...billing.plans.values()].map((plan) => [plan.code, plan.currency])),
    taxProfiles: new Set(billing.tax.profiles.keys()),
    paymentTerms: new Set(billing.paymentTerms.terms.keys()),
  };
}
