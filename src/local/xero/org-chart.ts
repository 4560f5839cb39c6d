// What a Xero organisation is set up with, as far as invoice validation needs: its chart of accounts,
// tax rates, tracking categories and (optionally) its item codes.

export interface ChartAccount {
  name: string;
  /** The tax type Xero applies to a line on this account that names none. */
  defaultTaxType: string;
}

export interface OrganisationChart {
  /** Invoices without a CurrencyCode are in this currency. */
  baseCurrency: string;
  accounts: Readonly<Record<string, ChartAccount>>;
  /** Tax type → rate in percent ("20", "8.875"). */
  taxRates: Readonly<Record<string, string>>;
  /** Tracking category name → its active options. */
  trackingCategories: Readonly<Record<string, readonly string[]>>;
  /** Item codes the organisation has; undefined accepts any code (billops' examples name items loosely). */
  itemCodes: readonly string[] | undefined;
}

/** A UK-style organisation matching billing.example.yml: accounts 200, 260 and 4000; VAT and its own tax types. */
export const defaultOrganisationChart: OrganisationChart = {
  baseCurrency: 'GBP',
  accounts: {
    '200': { name: 'Sales', defaultTaxType: 'OUTPUT2' },
    '260': { name: 'Other Revenue', defaultTaxType: 'OUTPUT2' },
    '4000': { name: 'Sales (US)', defaultTaxType: 'NONE' },
  },
  taxRates: {
    OUTPUT2: '20',
    OUTPUT: '10',
    RROUTPUT: '5',
    ZERORATEDOUTPUT: '0',
    EXEMPTOUTPUT: '0',
    ECZROUTPUTSERVICES: '0',
    ECZROUTPUT: '0',
    NONE: '0',
    // NOTE: rates an organisation adds itself get per-organisation tax types TAX001, TAX002, …: here
    // Germany's 19% USt and New York's 8.875% sales tax, which billing.example.yml maps its profiles to.
    TAX001: '19',
    TAX002: '8.875',
  },
  trackingCategories: { Region: ['EU', 'UK', 'US', 'APAC', 'North', 'South'] },
  itemCodes: undefined,
};
