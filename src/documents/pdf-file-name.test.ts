import { describe, expect, it } from 'vitest';
import { pdfFileName } from './pdf-file-name.ts';

describe('pdfFileName', () => {
  it.each([
    ['INV-2026-00001', 'INV-2026-00001.pdf'],
    ['INV/2026/001', 'INV-2026-001.pdf'],
    ['..\\..\\etc\\passwd', 'etc-passwd.pdf'],
    ['CN:1*2?"3"<4>|5', 'CN-1-2--3--4--5.pdf'],
    ['INV\r\n1', 'INV--1.pdf'],
    ['', 'document.pdf'],
    ['Rechnung Ü-7', 'Rechnung Ü-7.pdf'],
  ])('%j → %j', (number, expected) => {
    expect(pdfFileName(number)).toBe(expected);
  });
});
