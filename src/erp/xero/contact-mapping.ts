import { Address, Contact } from 'xero-node';

import type { ErpContactInput, ErpError } from '../../ports/erp-client.ts';
import { xeroCurrency, type Mapped } from './invoice-mapping.ts';
import { xeroModel } from './xero-models.ts';

// NOTE: Xero's ContactNumber holds at most 50 characters and has four address lines.
const MAX_CONTACT_NUMBER = 50;
const ADDRESS_LINES = 4;

function refuse(message: string): { ok: false; error: ErpError } {
  return { ok: false, error: { retryable: false, code: 'validation', message } };
}

/** The Xero contact for one of our customers. */
export function toXeroContact(input: ErpContactInput): Mapped<Contact> {
  if (input.customerKey.length > MAX_CONTACT_NUMBER) {
    return refuse(
      `Customer ${input.customerKey}: its key is longer than the 50 characters Xero's contact number holds.`,
    );
  }
  const contact = xeroModel(Contact, { name: input.name, contactNumber: input.customerKey });
  if (input.email !== undefined) contact.emailAddress = input.email;
  if (input.taxNumber !== undefined) contact.taxNumber = input.taxNumber;
  const currency = xeroCurrency(input.currency);
  if (currency !== undefined) contact.defaultCurrency = currency;
  if (input.addressLines.length > 0) {
    const lines = [
      ...input.addressLines.slice(0, ADDRESS_LINES - 1),
      input.addressLines.slice(ADDRESS_LINES - 1).join(', '),
    ].filter((line) => line !== '');
    contact.addresses = [
      xeroModel(Address, {
        addressType: Address.AddressTypeEnum.POBOX,
        addressLine1: lines[0],
        addressLine2: lines[1],
        addressLine3: lines[2],
        addressLine4: lines[3],
      }),
    ];
  }
  return { ok: true, value: contact };
}
