// NOTE: the invoice number comes from billing.yml's numbering pattern, which may hold "/" (INV/2026/001)
// or characters Windows refuses in a file name; the PDF's name in an email, a Slack upload or an ERP
// attachment must be one safe file name wherever it is saved.
// eslint-disable-next-line no-control-regex -- control characters are what is replaced
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029/\\:*?"<>|]/g;

/** "INV/2026/001" → "INV-2026-001.pdf": a document number as a file name any system accepts. */
export function pdfFileName(number: string): string {
  const base = number
    .replace(UNSAFE, '-')
    .replace(/^[.\s-]+|[.\s]+$/g, '')
    .slice(0, 120);
  return `${base === '' ? 'document' : base}.pdf`;
}
