import { z } from 'zod';
import type { IntakeCatalog } from './intake-catalog.ts';
import type { IntakeColumns } from './intake-columns.ts';
import {
  booleanField,
  countryField,
  emailList,
  optionalCatalogCode,
  optionalText,
  requiredCatalogCode,
  requiredText,
  timeZoneField,
} from './intake-fields.ts';

export const CUSTOMER_COLUMNS: IntakeColumns = {
  all: [
    'external_id',
    'name',
    'email_to',
    'email_cc',
    'currency',
    'payment_terms',
    'tax_profile',
    'tax_id',
    'address_line1',
    'address_line2',
    'city',
    'region',
    'postal_code',
    'country',
    'timezone',
    'hold_for_review',
    'reminders_opt_out',
  ],
  required: ['external_id', 'name', 'currency'],
};

/** One customer row; codes are checked against billing.yml. Recipients may be empty (the run flags it). */
export function customerRowSchema(catalog: IntakeCatalog) {
  return z.strictObject({
    external_id: requiredText("the customer's id in your system", 200),
    name: requiredText('the customer name'),
    email_to: emailList(),
    email_cc: emailList(),
    currency: requiredCatalogCode({
      expected: 'a currency from billing.yml',
      codes: catalog.currencies,
      upperCase: true,
    }),
    payment_terms: optionalCatalogCode({
      expected: 'payment terms from billing.yml',
      codes: catalog.paymentTerms,
    }),
    tax_profile: optionalCatalogCode({
      expected: 'a tax profile from billing.yml',
      codes: catalog.taxProfiles,
    }),
    tax_id: optionalText('a tax id such as DE123456789', 100),
    address_line1: optionalText('an address line'),
    address_line2: optionalText('an address line'),
    city: optionalText('a city', 200),
    region: optionalText('a region or state', 200),
    postal_code: optionalText('a postal code', 40),
    country: countryField(),
    timezone: timeZoneField(),
    hold_for_review: booleanField(false),
    /** yes: no payment reminders are emailed to this customer. */
    reminders_opt_out: booleanField(false),
  });
}

export type CustomerRow = z.output<ReturnType<typeof customerRowSchema>>;
