import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInvoicePdf, sha256Of } from './render-invoice-pdf.ts';
import { Decimal } from '../money/decimal.ts';
import {
  sampleInvoiceDocument,
  sampleInvoiceWithLines,
  sampleLine,
  samplePricedLine,
  TINY_PNG,
} from './sample-invoice-document.ts';

const MARGIN = 48;

interface PdfText {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

interface PdfPage {
  /** Text items joined, lines separated by newlines. */
  text: string;
  /** The text with every run of white space as one space, so wrapped phrases still match. */
  flat: string;
  items: PdfText[];
  width: number;
  height: number;
  links: string[];
}

/** Parses a PDF back with pdfjs: what a reader would see and copy. */
async function readPdf(buffer: Buffer): Promise<{ pages: PdfPage[]; info: Record<string, unknown> }> {
  const pdf = await getDocument({ data: new Uint8Array(buffer), verbosity: 0 }).promise;
  try {
    const pages: PdfPage[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const items: PdfText[] = [];
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const [size = 0, , , , x = 0, y = 0] = item.transform as number[];
        items.push({ str: item.str, x, y, width: item.width, size });
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      const annotations = (await page.getAnnotations()) as { url?: string }[];
      const [, , width = 0, height = 0] = page.view;
      pages.push({
        text,
        flat: text.replace(/\s+/g, ' '),
        items,
        width,
        height,
        links: annotations.flatMap((annotation) => (annotation.url === undefined ? [] : [annotation.url])),
      });
    }
    const { info } = await pdf.getMetadata();
    return { pages, info: info as Record<string, unknown> };
  } finally {
    await pdf.destroy();
  }
}

function onlyPage(pages: PdfPage[]): PdfPage {
  expect(pages).toHaveLength(1);
  const [page] = pages;
  if (page === undefined) throw new Error('no page');
  return page;
}

/** Text items (not the gaps pdfjs fills with spaces) that run outside the margins or overlap another. */
function layoutProblems(page: PdfPage): string[] {
  const problems: string[] = [];
  const inked = page.items.filter((item) => item.str.trim() !== '');
  for (const item of inked) {
    if (item.x < MARGIN - 0.5 || item.x + item.width > page.width - MARGIN + 0.5) {
      problems.push(
        `"${item.str}" runs outside the margins (x ${item.x.toFixed(1)}, width ${item.width.toFixed(1)})`,
      );
    }
    if (item.y < 0 || item.y > page.height)
      problems.push(`"${item.str}" is off the page (y ${item.y.toFixed(1)})`);
  }
  inked.forEach((a, index) => {
    for (const b of inked.slice(index + 1)) {
      const sameLine = Math.abs(a.y - b.y) < Math.min(a.size, b.size) * 0.9;
      const overlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      if (sameLine && overlap > 0.5) problems.push(`"${a.str}" overlaps "${b.str}"`);
    }
  });
  return problems;
}

describe('renderInvoicePdf', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'billops-pdf-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('shows a one-page invoice: details, customer, lines, tax breakdown, totals, notes and payment', async () => {
    const document = sampleInvoiceDocument();
    const { pages, info } = await readPdf(await renderInvoicePdf(document));
    const page = onlyPage(pages);
    const expected = [
      'INVOICE',
      'Northwind Analytics Ltd',
      'Tax ID: GB123456789',
      'INV-2026-0042',
      '2026-11-01',
      '2026-12-01',
      '1 Oct – 31 Oct 2026',
      'Contoso GmbH',
      'Friedrichstraße 123',
      'Tax ID: DE987654321',
      'Platform subscription (Team plan)',
      'API calls',
      '2026-10-15 – 2026-10-31',
      '1,250,000',
      '£0.0004',
      'Data export for EU subsidiary',
      'VAT 20%',
      '£1,700.00',
      'Reverse charge',
      'Subtotal',
      '£2,000.00',
      '£340.00',
      'Total',
      '£2,340.00',
      'Reverse charge: the customer accounts for VAT under Article 196 of Council Directive 2006/112/EC.',
      'Sort code 83-06-08 · Account 12345678',
      'IBAN GB33 RBOS 8306 0812 3456 78',
      'https://pay.northwind.example/i/INV-2026-0042',
      'Northwind Analytics Ltd · Registered in Scotland SC123456',
      'Page 1 of 1',
    ];
    for (const text of expected) expect(page.flat).toContain(text);
    expect(page.flat).not.toContain('Discount');
    expect(page.links).toEqual(['https://pay.northwind.example/i/INV-2026-0042']);
    expect(info).toMatchObject({
      Title: 'INV-2026-0042',
      Author: 'Northwind Analytics Ltd',
      Creator: 'billops',
    });
    expect(layoutProblems(page)).toEqual([]);
  });

  it('prints prices the customer can check: a percentage of an amount, packages, tiers, and unit prices that multiply out', async () => {
    const tiers = [
      { upTo: new Decimal(10000), unitPrice: new Decimal(0), flatFee: new Decimal(0) },
      { upTo: null, unitPrice: new Decimal('0.002'), flatFee: new Decimal(0) },
    ];
    const lines = [
      {
        ...samplePricedLine({ kind: 'percentage', percent: new Decimal('1.4') }, '73522.50'),
        description: 'Payment processing',
      },
      {
        ...samplePricedLine(
          { kind: 'package', packageSize: new Decimal(1000), packagePrice: new Decimal('1.50') },
          '21900',
        ),
        description: 'Messages',
      },
      { ...samplePricedLine({ kind: 'graduated', tiers }, '15000'), description: 'API calls' },
      {
        ...samplePricedLine({ kind: 'per_unit', unitPrice: new Decimal('0.0004') }, '1250000'),
        description: 'Events',
      },
    ];
    const page = onlyPage((await readPdf(await renderInvoicePdf(sampleInvoiceDocument({ lines })))).pages);
    for (const text of [
      'Payment processing 1.4% of £73,522.50 20% £1,029.32',
      'Messages 21,900 in packages of 1,000: 22 packages × £1.50 22 £1.50 20% £33.00',
      'API calls Up to 10,000: 10,000 × £0.00 = £0.00 Over 10,000: 5,000 × £0.002 = £10.00 15,000 20% £10.00',
      'Events 1,250,000 £0.0004 20% £500.00',
    ]) {
      expect(page.flat).toContain(text);
    }
    // The derived amount ÷ quantity is gone: it multiplies out to nothing a customer can check.
    expect(page.flat).not.toMatch(/£0\.0140|£0\.00150|£0\.000666/);
    expect(layoutProblems(page)).toEqual([]);
  });

  it('draws any script as real glyphs that copy back as the same characters', async () => {
    const document = sampleInvoiceDocument({
      customer: {
        name: 'Zoë Łódź 東京株式会社',
        addressLines: ['Ærøskøbing', 'Αθήνα', 'Москва'],
        taxId: undefined,
      },
      lines: [
        sampleLine({ description: 'Überweisung ₹/₩/€' }),
        sampleLine({ description: 'Gebühr ฿ ₫ ₴ ₦ ₺ ₪ ¥' }),
      ],
    });
    const buffer = await renderInvoicePdf(document);
    const page = onlyPage((await readPdf(buffer)).pages);
    for (const text of [
      'Zoë Łódź 東京株式会社',
      'Überweisung ₹/₩/€',
      'Gebühr ฿ ₫ ₴ ₦ ₺ ₪ ¥',
      'Ærøskøbing',
      'Αθήνα',
      'Москва',
    ]) {
      expect(page.text).toContain(text);
    }
    // Every font is embedded (FontFile2); none is a standard font the reader would substitute.
    const raw = buffer.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DroidSansFallback/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansThai-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans-Bold/);
    expect(raw).not.toContain('/Helvetica');
    expect(raw.match(/\/FontFile2/g)?.length).toBe(raw.match(/\/Type \/FontDescriptor/g)?.length);
  });

  it('runs 120 lines onto further pages, with the header row and page numbers on each and the totals once at the end', async () => {
    const document = sampleInvoiceWithLines(120);
    const { pages } = await readPdf(await renderInvoicePdf(document));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, index) => {
      expect(page.flat).toMatch(/Description Qty Unit price Tax Amount/);
      expect(page.flat).toContain(`Page ${index + 1} of ${pages.length}`);
      expect(layoutProblems(page)).toEqual([]);
    });
    const last = pages.length - 1;
    pages.forEach((page, index) => {
      expect(page.flat.includes('Subtotal')).toBe(index === last);
      expect(page.flat.includes('£14,400.00')).toBe(index === last);
    });
    const all = pages.map((page) => page.flat).join(' ');
    expect(all.match(/Subtotal/g)).toHaveLength(1);
    for (let line = 1; line <= 120; line += 1) {
      expect(all.match(new RegExp(`Usage item ${String(line).padStart(3, '0')}:`, 'g'))).toHaveLength(1);
    }
  });

  it('gives the same bytes for the same invoice, and another hash when an amount changes', async () => {
    const document = sampleInvoiceDocument({
      customer: { name: 'Zoë Łódź 東京株式会社', addressLines: [], taxId: undefined },
    });
    const [first, second] = await Promise.all([renderInvoicePdf(document), renderInvoicePdf(document)]);
    const third = await renderInvoicePdf(sampleInvoiceDocument({ ...document }));
    expect(first.equals(second)).toBe(true);
    expect(first.equals(third)).toBe(true);
    expect(sha256Of(first)).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Of(first)).toBe(sha256Of(second));

    const changed = await renderInvoicePdf({ ...document, total: '2340.01' });
    expect(sha256Of(changed)).not.toBe(sha256Of(first));
  });

  it('formats amounts in the invoice currency: yen without decimals, dinar with three', async () => {
    const yen = sampleInvoiceDocument({
      currency: 'JPY',
      lines: [
        sampleLine({ quantity: '3', unitAmount: '400', amount: '1200', taxRate: '10', taxAmount: '120' }),
      ],
      taxBreakdown: [{ label: 'JCT 10%', net: '1200', tax: '120' }],
      subtotal: '1200',
      tax: '120',
      total: '1320',
    });
    const yenPage = onlyPage((await readPdf(await renderInvoicePdf(yen))).pages);
    for (const text of ['JP¥400', 'JP¥1,200', 'JP¥120', 'JP¥1,320', 'JCT 10%'])
      expect(yenPage.flat).toContain(text);
    expect(yenPage.flat).not.toMatch(/JP¥[\d,]+\./);

    const dinar = sampleInvoiceDocument({
      currency: 'KWD',
      lines: [sampleLine({ unitAmount: '1.25', amount: '1.25', taxRate: '0', taxAmount: '0' })],
      taxBreakdown: [{ label: 'Exempt', net: '1.25', tax: '0' }],
      subtotal: '1.25',
      tax: '0',
      total: '1.25',
    });
    const dinarPage = onlyPage((await readPdf(await renderInvoicePdf(dinar))).pages);
    expect(dinarPage.flat.replace(/\u00a0/g, ' ')).toContain('KWD 1.250');
    expect(dinarPage.flat.replace(/\u00a0/g, ' ')).toContain('KWD 0.000');
  });

  it('wraps long customer names and unbroken descriptions inside the margins, with nothing overlapping', async () => {
    const document = sampleInvoiceDocument({
      customer: {
        name: `${'Zoë Łódź 東京株式会社 '.repeat(8)}${'W'.repeat(150)}`,
        addressLines: ['A'.repeat(200)],
        taxId: undefined,
      },
      lines: [
        sampleLine({ description: 'X'.repeat(400), discountAmount: '5.00', periodLabel: '9'.repeat(120) }),
        sampleLine({
          description: 'https://example.com/'.repeat(20),
          quantity: '123456789012.123456',
          unitAmount: '123456789.123456',
        }),
      ],
    });
    const { pages } = await readPdf(await renderInvoicePdf(document));
    for (const page of pages) expect(layoutProblems(page)).toEqual([]);
    const text = pages.map((page) => page.text.replace(/\n/g, '')).join('');
    expect(text).toContain('X'.repeat(400));
    expect(text).toContain('W'.repeat(150));
  });

  it('cuts a description longer than a page across pages instead of running off the bottom', async () => {
    const description = Array.from({ length: 900 }, (_, index) => `word${index}`).join(' ');
    const { pages } = await readPdf(
      await renderInvoicePdf(sampleInvoiceDocument({ lines: [sampleLine({ description })] })),
    );
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(layoutProblems(page)).toEqual([]);
      // Nothing below the footer rule's baseline area: every text sits above the bottom 20 points.
      for (const item of page.items) if (item.str.trim() !== '') expect(item.y).toBeGreaterThan(20);
    }
    expect(pages.map((page) => page.flat).join(' ')).toContain('word0 word1');
    expect(pages.map((page) => page.flat).join(' ')).toContain('word898 word899');
  });

  it('says the total includes tax when prices include it, and shows discounts when there are any', async () => {
    const document = sampleInvoiceDocument({
      pricesIncludeTax: true,
      lines: [sampleLine({ amount: '120.00', discountAmount: '12.00', taxAmount: '18.00' })],
      subtotal: '120.00',
      discount: '12.00',
      tax: '18.00',
      total: '108.00',
      notes: [],
    });
    const page = onlyPage((await readPdf(await renderInvoicePdf(document))).pages);
    for (const text of ['Discount', '-£12.00', 'Tax (included)', 'Total (includes tax)', '£108.00']) {
      expect(page.flat).toContain(text);
    }
    expect(page.flat).not.toContain('NOTES');
  });

  it('draws the logo, and names the path when the logo file is missing', async () => {
    const logoPath = path.join(directory, 'logo.png');
    await writeFile(logoPath, TINY_PNG);
    const branding = { logoPath, color: '#c0392b', footer: undefined };
    const withLogo = await renderInvoicePdf(sampleInvoiceDocument({ branding }));
    expect(withLogo.toString('latin1')).toContain('/Subtype /Image');
    expect(onlyPage((await readPdf(withLogo)).pages).flat).toContain('Page 1 of 1');

    const missing = path.join(directory, 'missing.png');
    await expect(
      renderInvoicePdf(sampleInvoiceDocument({ branding: { ...branding, logoPath: missing } })),
    ).rejects.toThrow(`Invoice logo not found: ${missing}`);
  });
});
