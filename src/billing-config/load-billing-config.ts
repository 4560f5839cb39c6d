import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { rateLooksLikeFraction } from '../money/bounds.ts';
import { parseDecimal } from '../money/decimal.ts';
import type { BillingConfig } from './billing-config.ts';
import { billingConfigSchema } from './billing-config-schema.ts';

export class BillingConfigError extends Error {
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(`Invalid billing config ${file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'BillingConfigError';
    this.problems = problems;
  }
}

/** Reads and validates billing.yml; throws a BillingConfigError naming file:line, the path and what was expected. */
export async function loadBillingConfig(file: string): Promise<BillingConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new BillingConfigError(file, [`${reason}; copy billing.example.yml to start one`]);
  }
  return parseBillingConfig(text, file);
}

export function parseBillingConfig(text: string, file: string): BillingConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new BillingConfigError(
      file,
      document.errors.map((error) => {
        const at = lines.linePos(error.pos[0]);
        return `${file}:${at.line}:${at.col}: YAML syntax: ${error.message.split('\n')[0] ?? ''}`;
      }),
    );
  }
  keepNumbersExact(document);
  const parsed = billingConfigSchema.safeParse(document.toJS());
  if (!parsed.success) {
    throw new BillingConfigError(
      file,
      parsed.error.issues.map((issue) => describeIssue(issue, document, lines, file)),
    );
  }
  const { branding } = parsed.data;
  const logoPath =
    branding.logoPath === undefined ? undefined : path.resolve(path.dirname(file), branding.logoPath);
  const warnings = rateWarnings(document, lines, file);
  return { source: file, ...parsed.data, branding: { ...branding, logoPath }, warnings };
}

/**
 * Tax rates and discount percentages above 0 and below 1: allowed (0.5% exists), but far more often a
 * fraction typed where billing.yml wants percent (0.2 for 20%).
 */
function rateWarnings(document: Document, lines: LineCounter, file: string): string[] {
  const rates: (string | number)[][] = [];
  const config: unknown = document.toJS();
  for (const [jurisdiction, settings] of entriesOf(field(config, 'tax'), 'jurisdictions')) {
    for (const [category] of entriesOf(settings, 'rates')) {
      rates.push(['tax', 'jurisdictions', jurisdiction, 'rates', category]);
    }
  }
  const plans = field(config, 'plans');
  (Array.isArray(plans) ? (plans as unknown[]) : []).forEach((plan, planIndex) => {
    const components = field(plan, 'components');
    (Array.isArray(components) ? (components as unknown[]) : []).forEach((_component, index) => {
      rates.push(['plans', planIndex, 'components', index, 'discount', 'percent']);
    });
  });
  const warnings: string[] = [];
  for (const at of rates) {
    const written = document.getIn(at);
    const value = typeof written === 'string' ? parseDecimal(written) : undefined;
    if (value === undefined || !rateLooksLikeFraction(value)) continue;
    const { position } = locate(document, at, lines);
    const where = `${file}${position ? `:${position.line}:${position.col}` : ''}`;
    warnings.push(
      `${where} ${formatPath(at)}: ${value.toFixed()} is below 1 percent; rates are in percent, ` +
        `so did you mean ${value.times(100).toFixed()} rather than ${value.toFixed()}? (If ${value.toFixed()}% is right, ignore this.)`,
    );
  }
  return warnings;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function entriesOf(value: unknown, key: string): [string, unknown][] {
  const inner = field(value, key);
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? Object.entries(inner) : [];
}

// NOTE: YAML turns 0.1 into a float; money must stay the text the person wrote, so every number
// becomes its source string and the schema parses decimals (and coerces whole numbers) from it.
function keepNumbersExact(document: Document): void {
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.source !== undefined) node.value = node.source;
    },
  });
}

function describeIssue(
  issue: z.core.$ZodIssue,
  document: Document,
  lines: LineCounter,
  file: string,
): string {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const { position, value } = locate(document, path, lines);
  const where = `${file}${position ? `:${position.line}:${position.col}` : ''}`;
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value).slice(0, 80)})`;
  return `${where} ${formatPath(path) || '(top level)'}: ${issue.message}${shown}`;
}

/** plans[2].components[0].tiers[1].up_to */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

/** The nearest node on the path that exists (a missing key points at its parent). */
function locate(
  document: Document,
  path: (string | number)[],
  lines: LineCounter,
): { position: { line: number; col: number } | undefined; value: unknown } {
  for (let length = path.length; length >= 0; length -= 1) {
    const node: unknown = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) {
      const exact = length === path.length;
      const scalar = exact && 'value' in node && typeof node.value !== 'object' ? node.value : undefined;
      return { position: lines.linePos(node.range[0]), value: scalar };
    }
  }
  return { position: undefined, value: undefined };
}
