import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Db } from '../db/database.ts';
import type { ErpContactInput, ErpInvoiceInput } from '../ports/erp-client.ts';

export interface ErpInvoiceSource {
  customerId: string;
  /** The contact id the ERP gave this customer before, if any. */
  knownContactId: string | null;
  contact: ErpContactInput;
  invoice: Omit<ErpInvoiceInput, 'contactId'>;
}

/**
 * A finalized invoice in the ERP's terms. Account, item, tax type and tracking come from billing.yml
 * as it is NOW (by the line's plan component and the customer's tax profile), so a mapping fixed after
 * a refusal is used on Retry; what the line recorded at drafting is the fallback.
 */
export async function loadErpInvoice(
  db: Db,
  billing: BillingConfig,
  invoiceId: string,
  provider: 'xero' | 'quickbooks',
): Promise<ErpInvoiceSource | undefined> {
  const invoice = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.number',
      'invoices.currency',
      'invoices.issue_date',
      'invoices.due_date',
      'invoices.prices_include_tax',
      'invoices.total',
      'invoices.tax_total',
      'customers.id as customer_id',
      'customers.external_id',
      'customers.name',
      'customers.email_to',
      'customers.tax_id',
      'customers.billing_address',
      'customers.xero_contact_id',
      'customers.quickbooks_customer_id',
      'customers.tax_profile',
    ])
    .where('invoices.id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice?.number == null || invoice.issue_date === null || invoice.due_date === null) return undefined;
  const lines = await db
    .selectFrom('invoice_lines')
    .leftJoin('subscriptions', 'subscriptions.id', 'invoice_lines.subscription_id')
    .selectAll('invoice_lines')
    .select('subscriptions.plan_code')
    .where('invoice_id', '=', invoiceId)
    .orderBy('position')
    .execute();
  const taxType =
    invoice.tax_profile === null ? undefined : billing.tax.profiles.get(invoice.tax_profile)?.erpTaxType;
  const componentOf = (planCode: string | null, code: string | null) =>
    planCode === null || code === null
      ? undefined
      : billing.plans.get(planCode)?.components.find((component) => component.code === code);
  const address = invoice.billing_address as Record<string, unknown>;
  return {
    customerId: invoice.customer_id,
    knownContactId: provider === 'xero' ? invoice.xero_contact_id : invoice.quickbooks_customer_id,
    contact: {
      customerKey: invoice.external_id,
      name: invoice.name,
      email: invoice.email_to[0],
      taxNumber: invoice.tax_id ?? undefined,
      addressLines: ['line1', 'line2', 'city', 'region', 'postal_code', 'country']
        .map((key) => address[key])
        .filter((value): value is string => typeof value === 'string' && value !== ''),
      currency: invoice.currency,
    },
    invoice: {
      number: invoice.number,
      currency: invoice.currency,
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      pricesIncludeTax: invoice.prices_include_tax,
      total: invoice.total,
      totalTax: invoice.tax_total,
      lines: lines.map((line) => {
        const component = componentOf(line.plan_code, line.component_code);
        return {
          description: line.description,
          quantity: line.quantity,
          unitAmount: line.unit_amount,
          lineAmount: line.amount,
          discountAmount: line.discount_amount,
          taxAmount: line.tax_amount,
          accountCode: component?.glAccount ?? line.gl_account_code ?? undefined,
          itemCode: component?.itemCode ?? line.erp_item_code ?? undefined,
          taxType: taxType ?? line.tax_code ?? undefined,
          tracking:
            component?.tracking ??
            Object.fromEntries(
              Object.entries(line.tracking as Record<string, unknown>).filter(
                (entry): entry is [string, string] => typeof entry[1] === 'string',
              ),
            ),
        };
      }),
    },
  };
}
