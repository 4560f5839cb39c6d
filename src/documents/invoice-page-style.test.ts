import { describe, expect, it } from 'vitest';
import { mix, parseHexColour } from './invoice-page-style.ts';

describe('parseHexColour', () => {
  it('accepts #rrggbb and #rgb as lower-case #rrggbb', () => {
    expect(parseHexColour('#1D3557')).toBe('#1d3557');
    expect(parseHexColour('#AbC')).toBe('#aabbcc');
  });

  it('refuses anything else, naming the value', () => {
    expect(() => parseHexColour('red')).toThrow('Invoice accent colour must look like #1d3557, got "red"');
  });
});

describe('mix', () => {
  it('moves a colour towards another', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(mix('#1d3557', '#ffffff', 0)).toBe('#1d3557');
  });
});
