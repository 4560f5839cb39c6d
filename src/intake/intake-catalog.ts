/** The codes from billing.yml that imported rows may refer to; the lead builds it from the config. */
export interface IntakeCatalog {
  currencies: ReadonlySet<string>;
  planCodes: ReadonlySet<string>;
  /** Each plan's currency, for amounts typed against a plan (a subscription's discount_amount). */
  planCurrencies: ReadonlyMap<string, string>;
  taxProfiles: ReadonlySet<string>;
  paymentTerms: ReadonlySet<string>;
}
