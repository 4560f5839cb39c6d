import { describe, expect, it } from 'vitest';

import { compileWhere, QueryParseError } from './where-filter.ts';

const contact = {
  ContactNumber: 'CUST-42',
  Name: 'Acme "Widgets" Ltd',
  Status: 'ACTIVE',
  Total: 120.5,
  Contact: { ContactID: 'AB2C1E2F-0000-4000-8000-000000000001' },
};

describe('compileWhere', () => {
  it.each([
    ['ContactNumber=="CUST-42"', true],
    ['ContactNumber=="CUST-43"', false],
    ['ContactNumber=="CUST-42" AND Status!="ARCHIVED"', true],
    ['ContactNumber=="X" || Name.Contains("widgets")', true],
    ['ContactNumber=="X" OR ContactNumber=="CUST-42" OR ContactNumber=="Y"', true],
    ['ContactNumber=="X" OR ContactNumber=="Y"', false],
    ['ContactNumber=="K\\" OR ContactNumber!=\\"x"', false],
    ['Name.ToLower().StartsWith("acme")', true],
    ['Name=="Acme \\"Widgets\\" Ltd"', true],
    ['Total>100 && Total<=120.5', true],
    ['!(Total>100)', false],
    ['Contact.ContactID==Guid("ab2c1e2f-0000-4000-8000-000000000001")', true],
    ['EmailAddress==null', true],
  ])('%s → %s', (where, expected) => {
    expect(compileWhere(where)(contact)).toBe(expected);
  });

  it.each(['Name==', 'Name.Explode("x")', 'Name=="unterminated', '(Name=="x"'])('refuses %s', (where) => {
    expect(() => compileWhere(where)(contact)).toThrow(QueryParseError);
  });
});
