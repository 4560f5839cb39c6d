// ISO 4217 minor units. Most currencies have 2; these are the exceptions that billops can bill in.
// NOTE: from the ISO 4217 list (SIX), not from Intl/CLDR, which differs for a few (ISK, HUF, IDR…).
const ZERO_DECIMAL = [
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
];
const THREE_DECIMAL = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];
const FOUR_DECIMAL = ['CLF', 'UYW'];

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

export type CurrencyCode = string;

/** True for a three-letter ISO 4217 code that this runtime knows. */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN.has(code);
}

/** Digits after the decimal point in the currency's minor unit: JPY 0, USD 2, KWD 3. */
export function minorUnits(currency: CurrencyCode): number {
  return MINOR_UNITS.get(currency) ?? 2;
}

const MINOR_UNITS = new Map([
  ...ZERO_DECIMAL.map((code) => [code, 0] as const),
  ...THREE_DECIMAL.map((code) => [code, 3] as const),
  ...FOUR_DECIMAL.map((code) => [code, 4] as const),
]);
