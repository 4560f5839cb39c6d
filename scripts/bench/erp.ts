import { performance } from 'node:perf_hooks';
import { loadBillingConfig } from '../../src/billing-config/load-billing-config.ts';
import { renderInvoicePdf } from '../../src/documents/render-invoice-pdf.ts';
import { scaledBudgetClock, XERO_BUDGET } from '../../src/erp/budget/call-budget.ts';
import { completeErpConnection, erpAuthorizeLink } from '../../src/erp/connect/connect-erp.ts';
import { sandboxEndpoints } from '../../src/local/connect-local-sandbox.ts';
import { createErpGateway } from '../../src/erp/erp-gateway.ts';
import { syncInvoicesToErp } from '../../src/erp/sync-invoices-to-erp.ts';
import { finalizeInvoice } from '../../src/invoices/finalize-invoice.ts';
import { loadInvoiceDocument } from '../../src/documents/load-invoice-document.ts';
import { startLocalXero } from '../../src/local/xero/index.ts';
import { insertApprovedInvoice, insertCustomer } from '../../test/support/billing-factories.ts';
import { openBenchDatabase } from './bench-database.ts';

const INVOICES = 1_000;
const CUSTOMERS = 200;
// NOTE: one budget-minute passes in one real second, on both sides (the local Xero's clock and the
// client's budget), so Xero's 60 calls a minute are 60 a second here.
const SCALE = 60;
const PER_RUN = 50;

/**
 * 1,000 finalized invoices (200 customers) synced to the local Xero, which enforces 60 calls a minute,
 * 5 in flight and 5,000 a day, through the app's gateway, budget and batch sync, run after run as the
 * serial ERP queue would. Prints calls per budget-minute against the 60 allowed, 429s and duplicates.
 */
export async function benchErp(): Promise<void> {
  const clock = scaledBudgetClock(SCALE);
  const sandbox = await startLocalXero({ now: () => new Date(clock.now()) });
  const database = await openBenchDatabase();
  try {
    const billing = await loadBillingConfig('billing.example.yml');
    const systemClock = { now: () => new Date() };
    // NOTE: token lifetimes run on the scaled clock too: the sandbox's 30-minute access token lasts 30 s.
    const scaledTime = { now: () => new Date(clock.now()) };
    const gateway = createErpGateway({
      db: database.db,
      clock: scaledTime,
      budgetClock: clock,
      oauth: {
        provider: 'xero',
        endpoints: sandboxEndpoints(sandbox),
        redirectUri: 'http://localhost/erp/callback',
        encryptionKey: Buffer.alloc(32, 7),
      },
    });
    const consent = await fetch(erpAuthorizeLink(gateway.oauth, 'bench', scaledTime.now()), {
      redirect: 'manual',
    });
    const back = new URL(consent.headers.get('location') ?? '');
    const connected = await completeErpConnection(
      { db: database.db, clock: scaledTime },
      gateway.oauth,
      back.searchParams,
    );
    if (!connected.ok) throw new Error(connected.message);

    const deps = { db: database.db, billing, clock: systemClock, erp: gateway };
    const customers = await Promise.all(Array.from({ length: CUSTOMERS }, () => insertCustomer(database.db)));
    const pdfs = new Map<string, Buffer>();
    for (let index = 0; index < INVOICES; index += 1) {
      const invoiceId = await insertApprovedInvoice(database.db, {
        customerId: customers[index % CUSTOMERS] ?? '',
        taxRate: 20,
        taxCode: 'OUTPUT2',
        itemCode: null,
        accountCode: '200',
      });
      await finalizeInvoice(deps, invoiceId);
      const document = await loadInvoiceDocument(database.db, billing, invoiceId);
      if (document === undefined) throw new Error('not finalized');
      // NOTE: rendered beforehand, as the PDF job already has: CPU time is not scaled, so rendering
      // inside a 60-times-fast minute would measure pdfkit, not the use of Xero's budget.
      pdfs.set(invoiceId, await renderInvoicePdf(document));
    }
    const syncIds = (
      await database.db.selectFrom('erp_syncs').select('id').orderBy('created_at').execute()
    ).map((row) => row.id);

    const started = performance.now();
    let waiting = syncIds;
    let runs = 0;
    while (waiting.length > 0 && runs < 1_000) {
      const opened = await gateway.open();
      if (!opened.ok) throw new Error(opened.message);
      const batch = waiting.slice(0, PER_RUN);
      const results = await syncInvoicesToErp(
        {
          ...deps,
          erp: opened.client,
          renderPdf: (invoiceId) => Promise.resolve(pdfs.get(invoiceId) ?? Buffer.alloc(0)),
        },
        batch,
      );
      const again = [...results].filter(([, result]) => result.code === 'retry_later').map(([id]) => id);
      waiting = [...again, ...waiting.slice(PER_RUN)];
      runs += 1;
    }
    const seconds = (performance.now() - started) / 1000;

    const calls = sandbox.calls().filter((call) => call.path.startsWith('/api.xro/'));
    const admitted = calls.filter((call) => call.status !== 429);
    const first = admitted[0]?.at.getTime() ?? 0;
    const last = admitted.at(-1)?.at.getTime() ?? 0;
    // NOTE: a rolling 60-a-minute window allows 60 calls at once and then one a second: over a span of
    // T minutes from the first call, at most 60 × (T + 1) calls. That is what the achieved rate is held to.
    const budgetMinutes = (last - first) / 60_000;
    const perMinute = admitted.length / (budgetMinutes + 1);
    const numbers = sandbox.invoices().map((invoice) => invoice.invoiceNumber);
    const duplicates = numbers.length - new Set(numbers).size;
    const attachments = sandbox.attachments().length;
    const synced = await database.db
      .selectFrom('erp_syncs')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('state', '=', 'synced')
      .executeTakeFirstOrThrow();
    log(
      `erp: ${synced.count}/${INVOICES} invoices synced to the local Xero in ${runs} runs, ` +
        `${admitted.length} calls over ${budgetMinutes.toFixed(1)} budget-minutes (${seconds.toFixed(1)} s real at ${SCALE}x)`,
    );
    log(
      `erp: ${perMinute.toFixed(1)} calls per budget-minute of ${XERO_BUDGET.perMinute} allowed ` +
        `(${((perMinute / XERO_BUDGET.perMinute) * 100).toFixed(1)}% of the limit; target >= 90%); ` +
        `429s: ${calls.length - admitted.length}; duplicate invoices: ${duplicates}; ` +
        `attachments: ${attachments} for ${numbers.length} invoices`,
    );
  } finally {
    await database.close();
    await sandbox.stop();
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
