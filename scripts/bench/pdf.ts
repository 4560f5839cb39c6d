import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from '../../src/documents/invoice-document.ts';
import { renderInvoicePdf } from '../../src/documents/render-invoice-pdf.ts';
import { sampleInvoiceWithLines } from '../../src/documents/sample-invoice-document.ts';

const ROUNDS = 3;
const WARM_UP = 10;

/**
 * Invoice PDFs per second, a 1-page (10 lines) and a 10-page (300 lines) invoice, against the floor:
 * pdfkit writing a bare one-line document with its built-in font, in the same process.
 */
export async function benchPdf(): Promise<void> {
  const bare = await perSecond(renderBarePdf, 1_000);
  const cases: [string, InvoiceDocument, number][] = [
    ['1-page', sampleInvoiceWithLines(10), 200],
    ['10-page', sampleInvoiceWithLines(300), 30],
  ];
  for (const [name, document, count] of cases) {
    const sample = await renderInvoicePdf(document);
    const pages = sample.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
    const rate = await perSecond(() => renderInvoicePdf(document), count);
    log(
      `pdf: ${name} (${document.lines.length} lines, ${pages} page${pages === 1 ? '' : 's'}, ${kilobytes(sample.length)}): ` +
        `${rate.toFixed(1)} PDFs/s (bare pdfkit ${Math.round(bare).toLocaleString('en')}/s, ratio ${(bare / rate).toFixed(1)})`,
    );
  }
}

/** Median rate over a few rounds of `count` sequential renders, after a warm-up. */
async function perSecond(render: () => Promise<Buffer>, count: number): Promise<number> {
  for (let index = 0; index < WARM_UP; index += 1) await render();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    for (let index = 0; index < count; index += 1) await render();
    rates.push(count / ((performance.now() - started) / 1000));
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? 0;
}

function renderBarePdf(): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });
  doc.text('Hello');
  doc.end();
  return finished;
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
