// Problems that stop an invoice from being approved until someone fixes the data. A draft carries
// them instead of a guess; the approval policy blocks approval while any remain.

export type BillingExceptionCode =
  | 'no_recipient'
  | 'no_tax_profile'
  | 'unknown_tax_profile'
  | 'unknown_payment_terms'
  | 'unknown_plan'
  | 'unknown_metric'
  | 'usage_outside_subscription'
  | 'metric_priced_twice'
  | 'negative_usage'
  | 'negative_total'
  /** A line or the total beyond MAX_AMOUNT (money/bounds.ts): huge usage times a real price. */
  | 'amount_out_of_range'
  /** Reverse charge needs the customer's VAT number on the invoice; the customer has none. */
  | 'reverse_charge_without_vat_number'
  | 'currency_mismatch'
  | 'tax_mode_mismatch'
  | 'unmapped_item';

export interface BillingException {
  code: BillingExceptionCode;
  /** Says what is wrong and what to fix, for the approval card and the CLI. */
  message: string;
}
