import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';

// The local workspace page in Debian's Chromium, used as a finance team uses billops: demo data,
// /invoice run, approve, reject with a reason, then the PDF, the email and the ERP invoice.
// Every click goes through the page into /slack/events as a signed Slack request.

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = (process.env.CI ?? '') !== '' && process.env.CI !== 'false';
// NOTE: CI installs Chromium with apt; there a missing browser must fail, not skip.
const SKIP = !existsSync(CHROMIUM) && !IN_CI;
const SCREENSHOTS = path.resolve('test-results/screenshots');
const WAIT = { timeout: 30_000 };
/** Each step waits at most WAIT for what it expects, a few times over. */
const STEP_TIMEOUT_MS = 90_000;
const UNTRUSTED_MRKDWN =
  '*Acme* _net 30_ `INV-1` <https://example.com|site> <javascript:alert(1)|bad> <@U0APPROVER1> <#C0BILLING> ' +
  '&lt;img src=x onerror=alert(1)&gt; &amp; :tada: snake_case_name';

interface RenderedMrkdwn {
  html: string;
  text: string;
  links: (string | null)[];
}

let test: TestApp;
let context: BrowserContext;
let page: Page;
let profileDir: string;
let periodLabel = '';
let approvedNumber = '';

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const place = (view: string) => page.locator(`button.place[data-view="${view}"]`);
const pane = () => page.locator('#pane-body');
const card = (customer: string) => pane().locator('article.message', { hasText: customer });
const thread = () => page.getByRole('complementary', { name: 'Thread' });

async function choosePerson(userId: string): Promise<void> {
  await page.getByLabel('You are').selectOption(userId);
  await page.waitForURL(new RegExp(`as=${userId}`));
}

describe.skipIf(SKIP)(
  `the local workspace page in Chromium${SKIP ? ` (skipped: no ${CHROMIUM}; apt-get install chromium)` : ''}`,
  { timeout: STEP_TIMEOUT_MS },
  () => {
    beforeAll(async () => {
      await mkdir(SCREENSHOTS, { recursive: true });
      test = await startTestApp();
      profileDir = await mkdtemp(path.join(tmpdir(), 'billops-chromium-'));
      context = await chromium.launchPersistentContext(profileDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport: { width: 1400, height: 900 },
      });
      context.setDefaultTimeout(WAIT.timeout);
      page = context.pages()[0] ?? (await context.newPage());
    });
    afterEach(async ({ task }) => {
      if (task.result?.state === 'fail') await screenshot(`failed-${task.name.replace(/\W+/g, '-')}`);
    });
    afterAll(async () => {
      await context.close();
      await test.stop();
      await rm(profileDir, { recursive: true, force: true });
    });

    it('opens on #billing as Fran and offers demo data on an empty database', async () => {
      await page.goto(test.app.url);
      await page.locator('#live-status.live').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('# billing');
      expect(await page.getByLabel('You are').inputValue()).toBe('U0FINANCE');
      await page.getByRole('button', { name: 'Load demo data' }).waitFor();
      await screenshot('01-empty-workspace');

      const [reply] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/local/demo')),
        page.getByRole('button', { name: 'Load demo data' }).click(),
      ]);
      const demo = (await reply.json()) as { created: boolean; customers: number; periodLabel: string };
      expect(demo).toMatchObject({ created: true, customers: 6 });
      periodLabel = demo.periodLabel;
      await page.locator('#demo-box').waitFor({ state: 'hidden' });
      expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('/invoice run');
    });

    it('starts a billing run from the message box, with a run summary and approval cards', async () => {
      await page.getByRole('textbox', { name: 'Message' }).fill('/invoice run');
      await page.getByRole('button', { name: 'Send' }).click();
      const summary = pane()
        .locator('article.message')
        .filter({ has: page.getByRole('heading', { name: `Billing run · ${periodLabel}` }) });
      await summary.getByText('Waiting for approval').waitFor();
      expect(await summary.getByRole('button').allTextContents()).toEqual([
        'Review',
        'Approve all within policy',
        'Export CSV',
      ]);
      await screenshot('02-run-summary');

      await place('C0APPROVALS').click();
      await expect.poll(() => pane().locator('article.message').count(), WAIT).toBe(6);
      for (const customer of [
        'Acme Ltd',
        'Initech Ltd',
        'Hooli UK Ltd',
        'Globex GmbH',
        'Umbrella BV',
        'Wonka Industries Ltd',
      ]) {
        await card(customer).waitFor();
      }
      // Its last invoice was paid; this one is more than 25% higher, so its card says by how much.
      await card('Wonka Industries Ltd').getByText('Against the last invoice:').waitFor();
      await screenshot('03-approval-cards');
    });

    it('refuses an approval from someone who is not an approver, telling only them', async () => {
      await card('Acme Ltd').getByRole('button', { name: 'Approve', exact: true }).click();
      await page
        .getByRole('dialog', { name: 'Approve this invoice?' })
        .getByRole('button', { name: 'Approve' })
        .click();
      await pane()
        .locator('article.message.ephemeral', { hasText: 'Only billing approvers can approve invoices' })
        .waitFor();
      expect(await card('Acme Ltd').textContent()).not.toContain('Approved by');
    });

    it('approves an invoice as an approver, through the confirm dialog', async () => {
      await choosePerson('U0APPROVER1');
      const approve = card('Acme Ltd').getByRole('button', { name: 'Approve', exact: true });
      await approve.click();
      const confirm = page.getByRole('dialog', { name: 'Approve this invoice?' });
      await confirm.getByText('Acme Ltd').waitFor();
      await screenshot('04-approve-confirm');
      await confirm.getByRole('button', { name: 'Approve' }).click();
      await card('Acme Ltd').getByText('Approved by @Avery').waitFor();
      await screenshot('05-approved');
    });

    it('rejects an invoice with a reason in the modal, asking for the reason first', async () => {
      await card('Hooli UK Ltd').getByRole('button', { name: 'Reject' }).click();
      const modal = page.getByRole('dialog', { name: 'Reject invoice' });
      await modal.waitFor();
      await modal.getByRole('button', { name: 'Reject' }).click();
      await modal.getByText('Please complete this required field.').waitFor();
      await modal.getByLabel('Reason').fill('Usage for the 14th was counted twice; re-run after the fix.');
      await screenshot('06-reject-modal');
      await modal.getByRole('button', { name: 'Reject' }).click();
      await modal.waitFor({ state: 'hidden' });
      await card('Hooli UK Ltd').getByText('Usage for the 14th was counted twice').waitFor();
      expect(await card('Hooli UK Ltd').textContent()).toContain('Rejected by @Avery');
      await screenshot('07-rejected');
    });

    it('opens Details in a modal and closes it', async () => {
      await card('Initech Ltd').getByRole('button', { name: 'Details' }).click();
      const details = page.getByRole('dialog', { name: 'Invoice details' });
      await details.getByText('Initech Ltd').first().waitFor();
      await details.getByRole('button', { name: 'Close', exact: true }).first().click();
      await details.waitFor({ state: 'hidden' });
    });

    it("shows the invoice PDF in the approved invoice's thread", async () => {
      const replies = card('Acme Ltd').getByRole('button', { name: /\d+ repl(y|ies)/ });
      await replies.waitFor();
      await replies.click();
      const pdf = thread().locator('a.file-card', { hasText: '.pdf' });
      await pdf.waitFor();
      approvedNumber = ((await pdf.locator('.file-name').textContent()) ?? '').replace(/\.pdf$/, '');
      expect(approvedNumber).toMatch(/^INV-\d{4}-\d{5}$/);
      await thread().getByText(`Finalized ${approvedNumber}`).waitFor();
      await screenshot('08-thread-with-pdf');

      const href = (await pdf.getAttribute('href')) ?? '';
      const file = await page.request.get(new URL(href, test.app.url).toString());
      expect(file.headers()['content-type']).toBe('application/pdf');
      expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('shows the email in the mail outbox, with its PDF', async () => {
      await place('outbox').click();
      const email = pane().getByRole('article', {
        name: `Email: Invoice ${approvedNumber} from Example Software Ltd`,
      });
      await email.waitFor();
      const text = (await email.textContent()) ?? '';
      expect(text).toContain('accounts@acme.example');
      expect(text).toContain('Message-ID');
      expect(text).toContain('Hello Acme Ltd');
      await email.getByRole('link', { name: `${approvedNumber}.pdf` }).waitFor();
      await screenshot('09-mail-outbox');
    });

    it('shows the invoice in the ERP sandbox with its total and PDF', async () => {
      await place('erp').click();
      const row = pane().locator(`tr[data-invoice-number="${approvedNumber}"]`);
      await row.waitFor();
      const cells = await row.locator('td').allTextContents();
      expect(cells[1]).toBe('Acme Ltd');
      expect(cells[4]).toBe('AUTHORISED');
      expect(cells[7]).toMatch(/£[\d,]+\.\d{2}/);
      await row.getByRole('link', { name: `${approvedNumber}.pdf` }).waitFor();
      await screenshot('10-erp-sandbox');
    });

    it("shows the approver's App Home with what still waits for them", async () => {
      await place('home').click();
      await pane().getByText('Waiting for your approval').first().waitFor();
      await pane().getByText('Initech Ltd').first().waitFor();
      await screenshot('11-app-home');
    });

    it('renders mrkdwn as text, never as markup', async () => {
      // NOTE: a string, so the test runner's module transform leaves the browser's import() alone.
      const rendered = await page.evaluate<RenderedMrkdwn>(`(async () => {
        const { renderMrkdwn } = await import('/assets/mrkdwn.js');
        const host = document.createElement('div');
        host.append(renderMrkdwn(${JSON.stringify(UNTRUSTED_MRKDWN)}, {
          userName: (id) => (id === 'U0APPROVER1' ? 'Avery' : id),
          channelName: (id) => (id === 'C0BILLING' ? 'billing' : id),
          openPermalink: () => undefined,
        }));
        return {
          html: host.innerHTML,
          text: host.textContent,
          links: [...host.querySelectorAll('a')].map((link) => link.getAttribute('href')),
        };
      })()`);
      expect(rendered.html).toContain('<strong>Acme</strong>');
      expect(rendered.html).toContain('<em>net 30</em>');
      expect(rendered.html).toContain('<code>INV-1</code>');
      expect(rendered.html).not.toContain('<img');
      expect(rendered.links).toEqual(['https://example.com']);
      expect(rendered.text).toContain('@Avery');
      expect(rendered.text).toContain('#billing');
      expect(rendered.text).toContain('<img src=x onerror=alert(1)> & 🎉 snake_case_name');
    });
  },
);
