import { randomUUID } from 'node:crypto';

import type { OrganisationBooks, StoredAddress, StoredContact } from './org-books.ts';
import { compileWhere, QueryParseError } from './where-filter.ts';
import {
  badRequest,
  notFound,
  ok,
  validationErrors,
  validationException,
  wireContact,
  type WireRecord,
  type XeroAnswer,
} from './wire-format.ts';
import {
  flagParameter,
  listParameter,
  pageOf,
  parameter,
  writeElements,
  type XeroRequest,
} from './xero-request.ts';
import { isRecord, records, text } from './wire-values.ts';

const NO_ID = '00000000-0000-0000-0000-000000000000';
const MAX_CONTACT_NUMBER = 50;

/** GET Contacts (IDs, ContactNumbers, where, searchTerm, includeArchived, page) and GET Contacts/{id}. */
export function getContacts(request: XeroRequest): XeroAnswer {
  const { books, query } = request;
  const single = request.segments[1];
  if (single !== undefined) {
    const contact = books.contacts.get(single.toLowerCase());
    return contact === undefined ? notFound() : ok(request.now, { Contacts: [wireContact(contact)] });
  }
  const ids = listParameter(query, 'IDs')?.map((id) => id.toLowerCase());
  const numbers = listParameter(query, 'ContactNumbers');
  const includeArchived = flagParameter(query, 'includeArchived', false);
  const search = parameter(query, 'searchTerm')?.toLowerCase();
  let matches: (record: WireRecord) => boolean = () => true;
  const where = parameter(query, 'where');
  if (where !== undefined && where.trim() !== '') {
    try {
      matches = compileWhere(where);
    } catch (error) {
      if (error instanceof QueryParseError) return badRequest('QueryParseException', error.message, 16);
      throw error;
    }
  }
  const found = [...books.contacts.values()]
    .filter((contact) => includeArchived || contact.status === 'ACTIVE')
    .filter((contact) => ids === undefined || ids.includes(contact.contactId))
    .filter((contact) => numbers === undefined || numbers.includes(contact.contactNumber ?? ''))
    .filter(
      (contact) =>
        search === undefined ||
        [contact.name, contact.contactNumber, contact.emailAddress].some((value) =>
          value?.toLowerCase().includes(search),
        ),
    )
    .map(wireContact)
    .filter(matches);
  return ok(request.now, { Contacts: pageOf(found, query) });
}

function readAddresses(value: unknown): StoredAddress[] {
  return records(value).map((address) => ({
    addressType: text(address.AddressType) ?? 'POBOX',
    lines: [address.AddressLine1, address.AddressLine2, address.AddressLine3, address.AddressLine4]
      .map(text)
      .filter((line): line is string => line !== undefined),
    city: text(address.City),
    postalCode: text(address.PostalCode),
    country: text(address.Country),
  }));
}

function contactErrors(books: OrganisationBooks, contact: StoredContact, batchNames: Set<string>): string[] {
  const errors: string[] = [];
  if (contact.name === '') errors.push('The contact name must be specified.');
  const sameName = books.contactByName(contact.name);
  if (
    contact.name !== '' &&
    ((sameName !== undefined && sameName.contactId !== contact.contactId) ||
      batchNames.has(contact.name.toLowerCase()))
  ) {
    errors.push(
      `The contact name ${contact.name} is already assigned to another contact. The contact name must be unique across all active contacts.`,
    );
  }
  if ((contact.contactNumber?.length ?? 0) > MAX_CONTACT_NUMBER) {
    errors.push('The Contact Number cannot be longer than 50 characters.');
  }
  if (contact.emailAddress !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact.emailAddress)) {
    errors.push('Email address must be valid.');
  }
  if (contact.defaultCurrency !== undefined && !/^[A-Z]{3}$/.test(contact.defaultCurrency)) {
    errors.push(`The currency code '${contact.defaultCurrency}' is not valid.`);
  }
  return errors;
}

function merged(element: Record<string, unknown>, base: StoredContact | undefined, now: Date): StoredContact {
  const has = (key: string) => Object.hasOwn(element, key);
  return {
    contactId: base?.contactId ?? randomUUID(),
    name: has('Name') ? (text(element.Name) ?? '') : (base?.name ?? ''),
    contactNumber: has('ContactNumber') ? text(element.ContactNumber) : base?.contactNumber,
    emailAddress: has('EmailAddress') ? text(element.EmailAddress) : base?.emailAddress,
    taxNumber: has('TaxNumber') ? text(element.TaxNumber) : base?.taxNumber,
    defaultCurrency: has('DefaultCurrency') ? text(element.DefaultCurrency) : base?.defaultCurrency,
    addresses: has('Addresses') ? readAddresses(element.Addresses) : (base?.addresses ?? []),
    status: text(element.ContactStatus) === 'ARCHIVED' ? 'ARCHIVED' : (base?.status ?? 'ACTIVE'),
    updatedAt: now,
  };
}

/** PUT Contacts creates; POST Contacts updates the contact named by ContactID or ContactNumber, else creates. */
export function writeContacts(request: XeroRequest, mode: 'create' | 'upsert'): XeroAnswer {
  const body = writeElements(request, 'Contacts');
  if (!body.ok) return body.answer;
  const { books, now } = request;
  // NOTE: xero-node documents summarizeErrors=false as "return 200 OK and mix of successfully created
  // objects and any with validation errors" (each element StatusAttributeString OK or ERROR); by
  // default one invalid element fails the whole request with a ValidationException.
  const summarizeErrors = flagParameter(request.query, 'summarizeErrors', true);
  const batchNames = new Set<string>();
  const planned = body.elements.map((element) => {
    const contactId = text(element.ContactID)?.toLowerCase();
    const contactNumber = text(element.ContactNumber);
    const base =
      mode === 'upsert'
        ? ((contactId === undefined ? undefined : books.contacts.get(contactId)) ??
          (contactNumber === undefined ? undefined : books.contactByNumber(contactNumber)))
        : undefined;
    const errors: string[] = [];
    if (contactId !== undefined && base === undefined) {
      errors.push(`The contact with ContactID ${contactId} could not be found.`);
    }
    const contact = merged(element, base, now);
    errors.push(...contactErrors(books, contact, batchNames));
    if (request.injectedValidation !== undefined) errors.push(request.injectedValidation);
    batchNames.add(contact.name.toLowerCase());
    return { element, contact, errors };
  });
  const failed = planned.filter((plan) => plan.errors.length > 0);
  if (summarizeErrors && failed.length > 0) {
    return validationException(failed.map((plan) => rejectedElement(plan.element, plan.errors)));
  }
  const answered = planned.map((plan) => {
    if (plan.errors.length > 0) return rejectedElement(plan.element, plan.errors);
    books.contacts.set(plan.contact.contactId, plan.contact);
    const wire = wireContact(plan.contact);
    return summarizeErrors ? wire : { ...wire, StatusAttributeString: 'OK' };
  });
  return ok(now, { Contacts: answered });
}

function rejectedElement(element: Record<string, unknown>, errors: string[]): WireRecord {
  return {
    ...(isRecord(element) ? element : {}),
    ContactID: text(element.ContactID) ?? NO_ID,
    HasValidationErrors: true,
    StatusAttributeString: 'ERROR',
    ValidationErrors: validationErrors(errors),
  };
}
