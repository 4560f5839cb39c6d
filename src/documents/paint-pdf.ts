import PDFDocument from 'pdfkit';
import type { FontFace } from './invoice-fonts.ts';
import { PAGE } from './invoice-page-style.ts';
import type { DrawOp } from './page-flow.ts';

export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  /** CreationDate and ModDate: fixed, so the same input gives the same bytes. */
  createdAt: Date;
}

// Bold for a face without a bold weight (the CJK font): its outline stroked at this fraction of the size.
const EMBOLDEN_STROKE = 0.035;

/**
 * Paints laid-out pages with pdfkit and returns the file. Nothing random goes in: pdfkit derives the
 * trailer /ID from the info dictionary (an MD5 of CreationDate, Title, Author…) and names font subsets
 * after their resource ids.
 */
export async function paintPdf(
  pages: readonly (readonly DrawOp[])[],
  metadata: PdfMetadata,
): Promise<Buffer> {
  if (Number.isNaN(metadata.createdAt.getTime()))
    throw new Error('The PDF creation date is not a valid date');
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: false,
    info: {
      Title: metadata.title,
      Author: metadata.author,
      Subject: metadata.subject,
      Creator: 'billops',
      Producer: 'billops (PDFKit)',
      CreationDate: metadata.createdAt,
      ModDate: metadata.createdAt,
    },
    lang: 'en',
    displayTitle: true,
    // NOTE: no `subset: 'PDF/A-3b'`: pdfkit 0.20.2 writes Title and Author into the XMP metadata without
    // escaping them ("Smith & Sons" makes it invalid XML) and leaves out ModDate, so the claim would be false.
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });

  const registered = new Set<string>();
  const useFace = (face: FontFace) => {
    if (!registered.has(face.name)) {
      // NOTE: pdfkit accepts a parsed fontkit Font (PDFFontFactory checks for `layout`); @types/pdfkit
      // lists only paths and buffers. Passing the parsed font skips re-parsing it for every PDF.
      doc.registerFont(face.name, face.font as unknown as PDFKit.Mixins.PDFFontSource);
      registered.add(face.name);
    }
    doc.font(face.name);
  };

  for (const ops of pages) {
    doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    for (const op of ops) paint(doc, op, useFace);
  }
  doc.end();
  return finished;
}

function paint(doc: PDFKit.PDFDocument, op: DrawOp, useFace: (face: FontFace) => void): void {
  switch (op.kind) {
    case 'text': {
      useFace(op.face);
      doc.fontSize(op.size).fillColor(op.color);
      if (op.face.emboldened) doc.lineWidth(op.size * EMBOLDEN_STROKE).strokeColor(op.color);
      doc.text(op.text, op.x, op.y, {
        lineBreak: false,
        baseline: 'alphabetic',
        fill: true,
        stroke: op.face.emboldened,
      });
      return;
    }
    case 'rect':
      doc.rect(op.x, op.y, op.width, op.height).fill(op.color);
      return;
    case 'rule':
      doc.moveTo(op.x1, op.y1).lineTo(op.x2, op.y2).lineWidth(op.width).strokeColor(op.color).stroke();
      return;
    case 'image':
      try {
        doc.image(op.image.data, op.x, op.y, { width: op.width, height: op.height });
      } catch (error) {
        throw new Error(`Invoice logo cannot be drawn: ${op.image.path} (${String(error)})`, {
          cause: error,
        });
      }
      return;
    case 'link':
      doc.link(op.x, op.y, op.width, op.height, op.url);
      return;
  }
}
