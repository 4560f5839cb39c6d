import { describe, expect, it } from 'vitest';
import { closestSubcommand } from './closest-subcommand.ts';

describe('closestSubcommand', () => {
  it.each([
    ['stauts', 'status'],
    ['shwo', 'show'],
    ['cedit', 'credit'],
    ['CONECT', 'connect'],
    ['reveiw', 'review'],
    ['payd', 'paid'],
    ['ru', 'run'],
  ])('reads %s as %s', (typed, meant) => {
    expect(closestSubcommand(typed)).toBe(meant);
  });

  it.each(['frobnicate', 'aprove', 'x', 'status'])('suggests nothing for %s', (typed) => {
    expect(closestSubcommand(typed)).toBeUndefined();
  });
});
