/** The codes from billing.yml that imported rows may refer to; the lead builds it from the config. */
export interface IntakeCatalog {
  currencies: ReadonlySet<string>;
  planCodes: ReadonlySet<string>;
  taxProfiles: ReadonlySet<string>;
  paymentTerms: ReadonlySet<string>;
}
