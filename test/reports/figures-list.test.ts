/**
 * The write path carries figures as a list in catalogue order (format/figures.ts). What it hashes for idempotency
 * keys must stay what it was when figures were objects keyed by path, or a request retried across an upgrade would
 * be refused as "a different request".
 */
import { describe, expect, it } from '@jest/globals';
import { cells } from '../../src/format/catalogue.js';
import { canonicalList, readFiguresInput, valuesOfList, type CellList } from '../../src/format/figures.js';
import { figuresJson } from '../../src/reports/report.service.js';
import { sampleFigures } from '../support/fixtures.js';

describe('figures as a list', () => {
  it('hash the same JSON as the object keyed by path they replaced', () => {
    // Counts and amounts, zero and not, as a submission stores them.
    const list: CellList = cells.map((c, i) => (c.kind === 'amount' ? `${i}.25` : i % 3));
    expect(figuresJson(list)).toBe(JSON.stringify(valuesOfList(list)));
    expect(JSON.parse(figuresJson(list))).toEqual(valuesOfList(list));
  });

  it('read a nested input into catalogue order, omitted cells 0 and printed totals aside', () => {
    const input = sampleFigures();
    (input.applications as Record<string, Record<string, number>>).newReceived.total = 12;
    const { list, givenTotals } = readFiguresInput(input);
    expect(list).toHaveLength(cells.length);
    const at = (path: string) => list[cells.findIndex((c) => c.path === path)];
    expect(at('applications.newReceived.naturalPerson')).toBe(10);
    expect(at('applications.newReceived.commercialEnterprise')).toBe(2);
    expect(at('applications.newReceived.legalServiceOrg')).toBe(0);
    expect(at('proactive.administrativeFees')).toBe('96171.6');
    expect(at('reviewLitigation.adminReview.pending')).toBe(1);
    expect([...givenTotals]).toEqual([['applications.newReceived.total', 12]]);
    // Nothing given at all: every cell its zero.
    expect(readFiguresInput(undefined).list).toEqual(cells.map((c) => (c.kind === 'amount' ? '0' : 0)));
  });

  it('store amounts in their canonical form and leave counts alone', () => {
    const amount = cells.findIndex((c) => c.kind === 'amount');
    const list: CellList = cells.map((c) => (c.kind === 'amount' ? '0012.50' : 7));
    const stored = canonicalList(list);
    expect(stored[amount]).toBe('12.5');
    expect(stored.filter((v) => v === 7)).toHaveLength(cells.filter((c) => c.kind === 'count').length);
    expect(list[amount]).toBe('0012.50');
  });
});
