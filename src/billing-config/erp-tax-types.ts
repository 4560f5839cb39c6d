import type { BillingConfig } from './billing-config.ts';
import { BillingConfigError } from './load-billing-config.ts';

/**
 * With an ERP connected, every tax profile must name the ERP tax type its lines are booked under. A
 * line sent without one takes the ERP account's default tax (Xero: the account's TaxType; QuickBooks:
 * the company's default code), which may differ from the tax on the invoice the customer received.
 * Throws a BillingConfigError naming each profile that lacks one.
 */
export function requireErpTaxTypes(billing: BillingConfig, erpName: string): void {
  const missing = [...billing.tax.profiles.values()].filter((profile) => profile.erpTaxType === undefined);
  if (missing.length === 0) return;
  throw new BillingConfigError(
    billing.source,
    missing.map(
      (profile) =>
        `tax.profiles.${profile.code}: no erp_tax_type. With ${erpName} connected, its lines would take ${erpName}'s default tax, which may not be the tax on the invoice. Add erp_tax_type (${erpName}'s tax type or tax code for ${profile.treatment === 'standard' ? `${profile.jurisdiction} ${profile.treatment}` : profile.treatment} sales) to the profile, or set ERP_PROVIDER=none.`,
    ),
  );
}
