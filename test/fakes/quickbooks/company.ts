import { z } from 'zod';

import { minorUnits } from '../../../src/money/currency.ts';
import { Decimal, sum } from '../../../src/money/decimal.ts';
import { parseQuery, runQuery } from './query-language.ts';
import {
  invalidReference,
  qboTime,
  QuickBooksFault,
  requiredParameter,
  textOf,
  validationFault,
  type JsonObject,
} from './wire.ts';

// One QBO company (realm) held in memory: its catalog (items, classes, departments, tax codes), the
// customers, invoices and attachables created through the API, and the rules QBO applies to them.

export interface CatalogEntry {
  id: string;
  name: string;
}

export interface TaxCodeEntry extends CatalogEntry {
  /** Percent, as an exact decimal string ("10", "7.5"). */
  ratePercent: string;
}

export interface CompanyCatalog {
  homeCurrency: string;
  items: CatalogEntry[];
  classes: CatalogEntry[];
  departments: CatalogEntry[];
  taxCodes: TaxCodeEntry[];
  /**
   * A US company on automated sales tax (AST), and the rate its engine works out for this company's
   * address; undefined for a company that applies the tax codes sent (non-US, or US before AST).
   */
  automatedSalesTax?: { ratePercent: string };
}

export const defaultCatalog: CompanyCatalog = {
  homeCurrency: 'USD',
  items: [
    { id: '1', name: 'Services' },
    { id: '2', name: 'Hours' },
    { id: '3', name: 'Subscription' },
  ],
  classes: [
    { id: '100', name: 'Sales' },
    { id: '101', name: 'Support' },
  ],
  departments: [
    { id: '1', name: 'North' },
    { id: '2', name: 'South' },
  ],
  taxCodes: [
    { id: 'TAX', name: 'Standard', ratePercent: '10' },
    { id: 'NON', name: 'Non-taxable', ratePercent: '0' },
  ],
};

/** A stored PDF or other file and the entities it is linked to. */
export interface LocalAttachment {
  realmId: string;
  id: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  entityRefs: { type: string; value: string }[];
}

export interface UploadedFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  /** The Attachable JSON sent in the matching file_metadata_NN part, if any. */
  metadata: unknown;
}

const docNumberMaxLength = 21;
const displayNameMaxLength = 500;
const allowedContentTypes = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv']);

const ref = z.looseObject({ value: z.coerce.string(), name: z.string().optional() });
const amount = z.union([z.number(), z.string()]);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

const invoiceLineSchema = z.looseObject({
  DetailType: z.string(),
  Amount: amount.optional(),
  Description: z.string().optional(),
  SalesItemLineDetail: z
    .looseObject({
      ItemRef: ref.optional(),
      ClassRef: ref.optional(),
      TaxCodeRef: ref.optional(),
      Qty: amount.optional(),
      UnitPrice: amount.optional(),
    })
    .optional(),
});

const invoiceSchema = z.looseObject({
  CustomerRef: ref.optional(),
  Line: z.array(invoiceLineSchema).optional(),
  DocNumber: z.string().optional(),
  TxnDate: isoDate.optional(),
  DueDate: isoDate.optional(),
  CurrencyRef: ref.optional(),
  DepartmentRef: ref.optional(),
  GlobalTaxCalculation: z.enum(['TaxExcluded', 'TaxInclusive', 'NotApplicable']).optional(),
  TxnTaxDetail: z.looseObject({ TotalTax: z.union([z.number(), z.string()]).optional() }).optional(),
  PrivateNote: z.string().optional(),
  BillEmail: z.looseObject({ Address: z.string() }).optional(),
});

const customerSchema = z.looseObject({
  DisplayName: z.string().optional(),
  CompanyName: z.string().optional(),
  GivenName: z.string().optional(),
  FamilyName: z.string().optional(),
  PrimaryEmailAddr: z.looseObject({ Address: z.string() }).optional(),
  CurrencyRef: ref.optional(),
  Notes: z.string().optional(),
});

const attachableRefSchema = z.looseObject({
  EntityRef: z.looseObject({ type: z.string(), value: z.coerce.string() }),
  IncludeOnSend: z.boolean().optional(),
});

const attachableSchema = z.looseObject({
  Id: z.coerce.string().optional(),
  SyncToken: z.coerce.string().optional(),
  FileName: z.string().optional(),
  ContentType: z.string().optional(),
  Note: z.string().optional(),
  AttachableRef: z.array(attachableRefSchema).optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw validationFault(
    '2010',
    'Request has invalid or unsupported property',
    `Property Name:${path} specified is unsupported or invalid: ${issue?.message ?? 'invalid'}`,
    path,
  );
}

function decimalOf(value: number | string, element: string): Decimal {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    throw validationFault(
      '2010',
      'Request has invalid or unsupported property',
      `Invalid number ${text}`,
      element,
    );
  }
  return new Decimal(text);
}

function metaData(now: Date): JsonObject {
  return { CreateTime: qboTime(now), LastUpdatedTime: qboTime(now) };
}

export class Company {
  readonly customers = new Map<string, JsonObject>();
  readonly invoices = new Map<string, JsonObject>();
  readonly creditMemos = new Map<string, JsonObject>();
  readonly payments = new Map<string, JsonObject>();
  readonly attachables = new Map<string, JsonObject>();
  readonly files = new Map<string, LocalAttachment>();
  private readonly counters = new Map<string, number>();
  readonly realmId: string;
  readonly catalog: CompanyCatalog;

  constructor(realmId: string, catalog: CompanyCatalog) {
    this.realmId = realmId;
    this.catalog = catalog;
  }

  private nextId(kind: string): string {
    const next = (this.counters.get(kind) ?? (kind === 'Invoice' ? 129 : 57)) + 1;
    this.counters.set(kind, next);
    return String(next);
  }

  private catalogEntities(kind: 'Item' | 'Class' | 'Department' | 'TaxCode'): JsonObject[] {
    const list =
      kind === 'Item'
        ? this.catalog.items
        : kind === 'Class'
          ? this.catalog.classes
          : kind === 'Department'
            ? this.catalog.departments
            : this.catalog.taxCodes;
    return list.map((entry) => ({ Id: entry.id, Name: entry.name, Active: true, SyncToken: '0' }));
  }

  entities(kind: string): JsonObject[] {
    if (kind === 'Customer') return [...this.customers.values()];
    if (kind === 'Invoice') return [...this.invoices.values()];
    if (kind === 'CreditMemo') return [...this.creditMemos.values()];
    if (kind === 'Payment') return [...this.payments.values()];
    if (kind === 'Attachable') return [...this.attachables.values()];
    if (kind === 'Item' || kind === 'Class' || kind === 'Department' || kind === 'TaxCode') {
      return this.catalogEntities(kind);
    }
    return [];
  }

  /** `select …` → the QueryResponse object. */
  query(text: string): JsonObject {
    const parsed = parseQuery(text);
    return runQuery(parsed, this.entities(parsed.entity));
  }

  read(kind: string, id: string): JsonObject {
    const found = this.entities(kind).find((entity) => entity.Id === id);
    if (found === undefined) {
      throw validationFault(
        '610',
        'Object Not Found',
        `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.`,
      );
    }
    return found;
  }

  createCustomer(body: unknown, now: Date): JsonObject {
    const input = parseBody(customerSchema, body);
    const derived = [input.GivenName, input.FamilyName].filter((part) => part !== undefined).join(' ');
    const displayName = (input.DisplayName ?? input.CompanyName ?? derived).trim();
    if (displayName === '') throw requiredParameter('DisplayName');
    if (displayName.length > displayNameMaxLength || displayName.includes(':')) {
      throw validationFault(
        '2050',
        'String length is either shorter or longer than supported by specification',
        `DisplayName must be 1 to ${displayNameMaxLength} characters without ':'`,
        'DisplayName',
      );
    }
    const taken = [...this.customers.values()].some(
      (customer) => textOf(customer.DisplayName).toLowerCase() === displayName.toLowerCase(),
    );
    if (taken) {
      throw validationFault(
        '6240',
        'Duplicate Name Exists Error',
        `The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.`,
      );
    }
    const currency = input.CurrencyRef?.value ?? this.catalog.homeCurrency;
    const id = this.nextId('Customer');
    const customer: JsonObject = {
      ...(body as JsonObject),
      Id: id,
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      DisplayName: displayName,
      FullyQualifiedName: displayName,
      PrintOnCheckName: input.CompanyName ?? displayName,
      Active: true,
      Job: false,
      Balance: 0,
      BalanceWithJobs: 0,
      CurrencyRef: { value: currency, name: currency },
      MetaData: metaData(now),
    };
    this.customers.set(id, customer);
    return customer;
  }

  private requireCatalogRef(
    list: readonly CatalogEntry[],
    entity: string,
    value: string,
    element: string,
  ): CatalogEntry {
    const found = list.find((entry) => entry.id === value);
    if (found === undefined) throw invalidReference(entity, value, element);
    return found;
  }

  /**
   * developer.intuit.com/hub/blog/2017/12/11/using-quickbooks-online-api-automated-sales-tax: "The AST
   * engine assigns the appropriate tax code to sales transaction objects and automatically calculates
   * the tax amount" (whatever tax code the lines name); "whenever an explicit tax amount is sent in the
   * transaction request the AST engine honors the amount" (TxnTaxDetail.TotalTax).
   */
  private automatedTax(
    ratePercent: string,
    priced: readonly { json: JsonObject; amount: Decimal }[],
    detail: { TotalTax?: number | string | undefined } | undefined,
    digits: number,
  ): Decimal {
    if (detail?.TotalTax !== undefined) return decimalOf(detail.TotalTax, 'TxnTaxDetail.TotalTax');
    const base = sum(priced.map((line) => line.amount));
    return base.times(ratePercent).dividedBy(100).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP);
  }

  /** GET /preferences: the parts billops reads (TaxPrefs.PartnerTaxEnabled says AST, minor version 3+). */
  preferences(): JsonObject {
    return {
      Id: '1',
      SyncToken: '0',
      TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: this.catalog.automatedSalesTax !== undefined },
      CurrencyPrefs: { HomeCurrency: { value: this.catalog.homeCurrency }, MultiCurrencyEnabled: true },
    };
  }

  createInvoice(body: unknown, now: Date, options: { allowDuplicateDocNumber: boolean }): JsonObject {
    return this.createSale('Invoice', body, now, options);
  }

  /**
   * POST /creditmemo: a sales credit priced as an invoice is (same lines, items, tax codes and
   * validation), DocNumber unique among credit memos; it is open credit (Balance, RemainingCredit)
   * until applied.
   */
  createCreditMemo(body: unknown, now: Date, options: { allowDuplicateDocNumber: boolean }): JsonObject {
    return this.createSale('CreditMemo', body, now, options);
  }

  private createSale(
    kind: 'Invoice' | 'CreditMemo',
    body: unknown,
    now: Date,
    options: { allowDuplicateDocNumber: boolean },
  ): JsonObject {
    const store = kind === 'Invoice' ? this.invoices : this.creditMemos;
    const input = parseBody(invoiceSchema, body);
    if (input.CustomerRef === undefined) throw requiredParameter('CustomerRef');
    const customer = this.customers.get(input.CustomerRef.value);
    if (customer === undefined) throw invalidReference('Customer', input.CustomerRef.value, 'CustomerRef');
    if (input.Line === undefined || input.Line.length === 0) throw requiredParameter('Line');

    const docNumber = input.DocNumber;
    if (docNumber !== undefined && docNumber.length > docNumberMaxLength) {
      throw validationFault(
        '2050',
        'String length is either shorter or longer than supported by specification',
        `String length specified does not match the supported length. Min:0 Max:${docNumberMaxLength} supplied length:${docNumber.length}`,
        'DocNumber',
      );
    }
    if (docNumber !== undefined && !options.allowDuplicateDocNumber) {
      const existing = [...store.values()].find((invoice) => invoice.DocNumber === docNumber);
      if (existing !== undefined) {
        throw validationFault(
          '6140',
          'Duplicate Document Number Error',
          `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${kind} with TxnId=${textOf(existing.Id)}`,
        );
      }
    }

    const customerCurrency = (customer.CurrencyRef as { value?: string } | undefined)?.value;
    const currency = input.CurrencyRef?.value ?? customerCurrency ?? this.catalog.homeCurrency;
    if (customerCurrency !== undefined && currency !== customerCurrency) {
      throw validationFault(
        '6000',
        'A business validation error has occurred while processing your request',
        `Business Validation Error: The currency ${currency} of the transaction must match the customer's currency ${customerCurrency}.`,
      );
    }
    const department = input.DepartmentRef;
    if (department !== undefined) {
      this.requireCatalogRef(this.catalog.departments, 'Department', department.value, 'DepartmentRef');
    }
    const digits = minorUnits(currency);
    const ast = this.catalog.automatedSalesTax;
    // NOTE: GlobalTaxCalculation is for non-US companies (Intuit: "Manage sales tax for non-US locales");
    // an AST company is sent none, and here refuses one, as billops' own mapping assumes.
    if (ast !== undefined && input.GlobalTaxCalculation !== undefined) {
      throw validationFault(
        '2010',
        'Request has invalid or unsupported property',
        'GlobalTaxCalculation is not supported for a company using automated sales tax',
        'GlobalTaxCalculation',
      );
    }
    const taxMode = input.GlobalTaxCalculation ?? 'TaxExcluded';

    const taxable = new Map<string, Decimal>();
    const priced = input.Line.map((line, index): { json: JsonObject; amount: Decimal } => {
      const element = `Line[${index}]`;
      if (line.DetailType === 'DescriptionOnly') {
        return {
          json: { ...(line as JsonObject), Id: String(index + 1), LineNum: index + 1, Amount: 0 },
          amount: new Decimal(0),
        };
      }
      if (line.DetailType !== 'SalesItemLineDetail') {
        throw validationFault(
          '2010',
          'Request has invalid or unsupported property',
          `DetailType ${line.DetailType} is not supported by the local QuickBooks server`,
          `${element}.DetailType`,
        );
      }
      const detail = line.SalesItemLineDetail ?? {};
      // NOTE: QBO falls back to the "Services" item when a sales line names none [unverified].
      const item = this.requireCatalogRef(
        this.catalog.items,
        'Item',
        detail.ItemRef?.value ?? '1',
        `${element}.ItemRef`,
      );
      const klass =
        detail.ClassRef === undefined
          ? undefined
          : this.requireCatalogRef(
              this.catalog.classes,
              'Class',
              detail.ClassRef.value,
              `${element}.ClassRef`,
            );
      const taxCode =
        detail.TaxCodeRef === undefined
          ? undefined
          : this.requireCatalogRef(
              this.catalog.taxCodes,
              'TaxCode',
              detail.TaxCodeRef.value,
              `${element}.TaxCodeRef`,
            );

      // NOTE: QuickBooks keeps Qty and UnitPrice to 7 decimal places and cuts finer figures before it
      // checks Amount = Qty × UnitPrice (issue 19; Intuit API reference, Invoice, SalesItemLineDetail),
      // so a finer unit price times a large quantity fails 6070 or is stored as another price.
      const qty =
        detail.Qty === undefined ? undefined : toSevenPlaces(decimalOf(detail.Qty, `${element}.Qty`));
      const unitPrice =
        detail.UnitPrice === undefined
          ? undefined
          : toSevenPlaces(decimalOf(detail.UnitPrice, `${element}.UnitPrice`));
      const computed =
        qty !== undefined && unitPrice !== undefined
          ? qty.times(unitPrice).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP)
          : undefined;
      const supplied = line.Amount === undefined ? undefined : decimalOf(line.Amount, `${element}.Amount`);
      if (supplied === undefined && computed === undefined) throw requiredParameter(`${element}.Amount`);
      const lineAmount = (supplied ?? computed ?? new Decimal(0)).toDecimalPlaces(
        digits,
        Decimal.ROUND_HALF_UP,
      );
      if (computed !== undefined && !computed.equals(lineAmount)) {
        throw validationFault(
          '6070',
          'Amount calculation error',
          `Amount is not equal to UnitPrice * Qty. Supplied value:${lineAmount.toFixed()}`,
          `${element}.Amount`,
        );
      }
      if (taxCode !== undefined) {
        taxable.set(taxCode.id, (taxable.get(taxCode.id) ?? new Decimal(0)).plus(lineAmount));
      }
      const storedDetail: JsonObject = {
        ...(detail as JsonObject),
        ItemRef: { value: item.id, name: item.name },
      };
      if (klass !== undefined) storedDetail.ClassRef = { value: klass.id, name: klass.name };
      if (taxCode !== undefined) storedDetail.TaxCodeRef = { value: taxCode.id };
      if (qty !== undefined) storedDetail.Qty = qty.toNumber();
      if (unitPrice !== undefined) storedDetail.UnitPrice = unitPrice.toNumber();
      return {
        json: {
          ...(line as JsonObject),
          Id: String(index + 1),
          LineNum: index + 1,
          Amount: lineAmount.toNumber(),
          SalesItemLineDetail: storedDetail,
        },
        amount: lineAmount,
      };
    });

    const lines = priced.map((line) => line.json);
    const subtotal = sum(priced.map((line) => line.amount));
    // NOTE: tax is worked out per tax code on the sum of its lines, then rounded once, as QBO does.
    const taxes = [...taxable.entries()].map(([codeId, base]) => {
      const rate = new Decimal(this.catalog.taxCodes.find((code) => code.id === codeId)?.ratePercent ?? '0');
      const tax =
        taxMode === 'TaxInclusive'
          ? base.times(rate).dividedBy(rate.plus(100))
          : taxMode === 'TaxExcluded'
            ? base.times(rate).dividedBy(100)
            : new Decimal(0);
      return tax.toDecimalPlaces(digits, Decimal.ROUND_HALF_UP);
    });
    const totalTax =
      ast === undefined ? sum(taxes) : this.automatedTax(ast.ratePercent, priced, input.TxnTaxDetail, digits);
    const total = taxMode === 'TaxExcluded' ? subtotal.plus(totalTax) : subtotal;

    const id = this.nextId(kind);
    const invoice: JsonObject = {
      ...(body as JsonObject),
      Id: id,
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      MetaData: metaData(now),
      DocNumber: docNumber ?? id,
      TxnDate: input.TxnDate ?? now.toISOString().slice(0, 10),
      CurrencyRef: { value: currency, name: currency },
      ExchangeRate: 1,
      CustomerRef: { value: textOf(customer.Id), name: textOf(customer.DisplayName) },
      GlobalTaxCalculation: taxMode,
      Line: [
        ...lines,
        { Amount: subtotal.toNumber(), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
      ],
      TxnTaxDetail: { TotalTax: totalTax.toNumber() },
      TotalAmt: total.toNumber(),
      Balance: total.toNumber(),
      EmailStatus: 'NotSet',
      PrintStatus: 'NeedToPrint',
    };
    if (kind === 'CreditMemo') {
      // NOTE: a credit memo has no due date; what is not applied yet is its RemainingCredit.
      delete invoice.DueDate;
      invoice.RemainingCredit = total.toNumber();
    } else if (input.DueDate !== undefined) invoice.DueDate = input.DueDate;
    store.set(id, invoice);
    return invoice;
  }

  /**
   * POST /invoice?operation=void: the invoice stays, with its amounts zeroed, Balance 0 and PrivateNote
   * "Voided" (as QBO shows a void). Id and SyncToken are required and the SyncToken must be current.
   * NOTE: this server refuses to void an invoice with a payment linked; billops never asks it to.
   */
  voidInvoice(body: unknown, now: Date): JsonObject {
    const input = parseBody(z.looseObject({ Id: z.coerce.string(), SyncToken: z.coerce.string() }), body);
    const existing = this.invoices.get(input.Id);
    if (existing === undefined) throw invalidReference('Invoice', input.Id, 'Id');
    if (input.SyncToken !== textOf(existing.SyncToken)) {
      throw validationFault(
        '5010',
        'Stale Object Error',
        `Stale Object Error : You and another user were working on the same thing. Id=${input.Id} SyncToken=${input.SyncToken}`,
      );
    }
    const links = Array.isArray(existing.LinkedTxn) ? existing.LinkedTxn : [];
    if (links.some((link) => (link as JsonObject | null)?.TxnType === 'Payment')) {
      throw validationFault(
        '6000',
        'A business validation error has occurred while processing your request',
        'Business Validation Error: This transaction has payments applied to it. Remove the payments before voiding it.',
      );
    }
    const lines = Array.isArray(existing.Line) ? existing.Line : [];
    const voided: JsonObject = {
      ...existing,
      Line: lines.map((line) => ({ ...(line as JsonObject), Amount: 0 })),
      TotalAmt: 0,
      Balance: 0,
      PrivateNote: 'Voided',
      SyncToken: String(Number(existing.SyncToken) + 1),
      MetaData: { ...(existing.MetaData as JsonObject), LastUpdatedTime: qboTime(now) },
    };
    if (existing.TxnTaxDetail !== undefined)
      voided.TxnTaxDetail = { ...(existing.TxnTaxDetail as JsonObject), TotalTax: 0 };
    this.invoices.set(input.Id, voided);
    return voided;
  }

  /**
   * A customer's payment (Receive payment in QBO), applied to one or more of their invoices: each
   * invoice's Balance drops and it links the payment (LinkedTxn); the payment's lines say how much
   * went to which invoice. Throws when an invoice is unknown or would be paid more than its balance.
   */
  receivePayment(
    applications: readonly { invoiceNumber: string; amount: string }[],
    date: string,
    now: Date,
  ): JsonObject {
    const [first] = applications;
    if (first === undefined) throw new RangeError('A payment must be applied to at least one invoice');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`Payment date ${date} is not YYYY-MM-DD`);
    const applied = applications.map(({ invoiceNumber, amount }) => {
      const invoice = [...this.invoices.values()].find((candidate) => candidate.DocNumber === invoiceNumber);
      if (invoice === undefined) throw new RangeError(`No invoice has DocNumber ${invoiceNumber}`);
      const value = decimalOf(amount, 'Line.Amount');
      const currency =
        (invoice.CurrencyRef as { value?: string } | undefined)?.value ?? this.catalog.homeCurrency;
      const balance = decimalOf(textOf(invoice.Balance), 'Balance');
      if (value.lessThanOrEqualTo(0) || value.decimalPlaces() > minorUnits(currency)) {
        throw new RangeError(`${amount} is not a payment amount in ${currency}`);
      }
      if (value.greaterThan(balance)) {
        throw new RangeError(
          `${amount} is more than invoice ${invoiceNumber}'s balance of ${balance.toFixed()}`,
        );
      }
      return { invoice, value, balance };
    });
    const customerRefs = new Set(applied.map(({ invoice }) => JSON.stringify(invoice.CustomerRef)));
    if (customerRefs.size > 1) throw new RangeError('A payment comes from one customer');
    const id = this.nextId('Payment');
    const total = sum(applied.map(({ value }) => value));
    const payment: JsonObject = {
      Id: id,
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      TxnDate: date,
      TotalAmt: total.toNumber(),
      UnappliedAmt: 0,
      ProcessPayment: false,
      CustomerRef: applied[0]?.invoice.CustomerRef ?? null,
      CurrencyRef: applied[0]?.invoice.CurrencyRef ?? null,
      ExchangeRate: 1,
      Line: applied.map(({ invoice, value }) => ({
        Amount: value.toNumber(),
        LinkedTxn: [{ TxnId: textOf(invoice.Id), TxnType: 'Invoice' }],
      })),
      MetaData: metaData(now),
    };
    this.payments.set(id, payment);
    for (const { invoice, value, balance } of applied) {
      const links = Array.isArray(invoice.LinkedTxn) ? invoice.LinkedTxn : [];
      this.invoices.set(textOf(invoice.Id), {
        ...invoice,
        Balance: balance.minus(value).toNumber(),
        LinkedTxn: [...links, { TxnId: id, TxnType: 'Payment' }],
        SyncToken: String(Number(invoice.SyncToken) + 1),
        MetaData: { ...(invoice.MetaData as JsonObject), LastUpdatedTime: qboTime(now) },
      });
    }
    return payment;
  }

  private validateRefs(
    refs: readonly z.infer<typeof attachableRefSchema>[],
  ): { type: string; value: string }[] {
    return refs.map((item, index) => {
      const { type, value } = item.EntityRef;
      const known =
        type.toLowerCase() === 'invoice'
          ? this.invoices
          : type.toLowerCase() === 'customer'
            ? this.customers
            : undefined;
      if (known === undefined || !known.has(value)) {
        throw invalidReference(type, value, `AttachableRef[${index}].EntityRef`);
      }
      return { type: type.toLowerCase() === 'invoice' ? 'Invoice' : 'Customer', value };
    });
  }

  private storeAttachable(attachable: JsonObject, file: LocalAttachment | undefined): JsonObject {
    this.attachables.set(textOf(attachable.Id), attachable);
    if (file !== undefined) this.files.set(file.id, file);
    return attachable;
  }

  /** POST /upload: one Attachable per file part, linked when its metadata part says so. */
  upload(files: readonly UploadedFile[], now: Date): JsonObject[] {
    if (files.length === 0) throw requiredParameter('file_content_01');
    return files.map((file) => {
      if (!allowedContentTypes.has(file.contentType)) {
        throw validationFault(
          '2010',
          'Request has invalid or unsupported property',
          `Unsupported file type ${file.contentType}`,
        );
      }
      const metadata =
        file.metadata === undefined ? { AttachableRef: [] } : parseBody(attachableSchema, file.metadata);
      const entityRefs = this.validateRefs(metadata.AttachableRef ?? []);
      const id = this.nextId('Attachable');
      const fileName = metadata.FileName ?? file.fileName;
      const attachable: JsonObject = {
        Id: id,
        SyncToken: '0',
        domain: 'QBO',
        sparse: false,
        FileName: fileName,
        ContentType: file.contentType,
        Size: file.bytes.length,
        FileAccessUri: `/v3/company/${this.realmId}/download/${id}`,
        TempDownloadUri: `https://local-quickbooks.invalid/download/${id}`,
        AttachableRef: entityRefs.map((entityRef) => ({ EntityRef: entityRef, IncludeOnSend: false })),
        MetaData: metaData(now),
      };
      return this.storeAttachable(attachable, {
        realmId: this.realmId,
        id,
        fileName,
        contentType: file.contentType,
        bytes: file.bytes,
        entityRefs,
      });
    });
  }

  /** POST /attachable?operation=update: links an uploaded file to entities (sparse, SyncToken checked). */
  updateAttachable(body: unknown, now: Date): JsonObject {
    const input = parseBody(attachableSchema, body);
    if (input.Id === undefined) throw requiredParameter('Id');
    const existing = this.attachables.get(input.Id);
    if (existing === undefined) throw invalidReference('Attachable', input.Id, 'Id');
    if (input.SyncToken !== existing.SyncToken) {
      throw validationFault(
        '5010',
        'Stale Object Error',
        `Stale Object Error : You and another user were working on the same thing. Id=${input.Id} SyncToken=${String(input.SyncToken)}`,
      );
    }
    const entityRefs = input.AttachableRef === undefined ? undefined : this.validateRefs(input.AttachableRef);
    const updated: JsonObject = {
      ...existing,
      ...(body as JsonObject),
      SyncToken: String(Number(existing.SyncToken) + 1),
      MetaData: { ...(existing.MetaData as JsonObject), LastUpdatedTime: qboTime(now) },
    };
    delete updated.sparse;
    if (entityRefs !== undefined) {
      updated.AttachableRef = entityRefs.map((entityRef, index) => ({
        EntityRef: entityRef,
        IncludeOnSend: input.AttachableRef?.[index]?.IncludeOnSend ?? false,
      }));
      const file = this.files.get(input.Id);
      if (file !== undefined) file.entityRefs = entityRefs;
    }
    return this.storeAttachable(updated, undefined);
  }

  /** POST /attachable: a note-only Attachable (files go through /upload). */
  createAttachable(body: unknown, now: Date): JsonObject {
    const input = parseBody(attachableSchema, body);
    const entityRefs = this.validateRefs(input.AttachableRef ?? []);
    const id = this.nextId('Attachable');
    return this.storeAttachable(
      {
        ...(body as JsonObject),
        Id: id,
        SyncToken: '0',
        domain: 'QBO',
        AttachableRef: entityRefs.map((entityRef) => ({ EntityRef: entityRef })),
        MetaData: metaData(now),
      },
      undefined,
    );
  }
}

export function isQuickBooksFault(error: unknown): error is QuickBooksFault {
  return error instanceof QuickBooksFault;
}

const toSevenPlaces = (value: Decimal) => value.toDecimalPlaces(7, Decimal.ROUND_HALF_UP);
