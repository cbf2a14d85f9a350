import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { loadRankingFixture, rank, ranks, type Entry } from './ranking-fixtures.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await loadRankingFixture(hub);
});
afterAll(() => hub.close());

const MARCH = { year: 2025, month: 3 };
const byCode = (entries: Entry[]) => new Map(entries.map((e) => [e.unit.code, e]));

describe('ranking the children of a unit by a count', () => {
  it('ranks each child by its whole subtree, ties sharing a rank and the next rank skipped', async () => {
    const r = await rank(hub, { period: MARCH, metric: 'NEW_RECEIVED' });
    expect(r).toMatchObject({ metric: 'NEW_RECEIVED', order: 'DESC', period: { label: '2025年3月' }, previousPeriod: { label: '2025年2月' }, parent: { code: '441800' } });
    expect(ranks(r.entries)).toEqual([['441803', 1], ['441802', 2], ['441821', 2], ['441823', 4], ['441881', null]]);
    expect(r.entries.map((e: Entry) => e.value).slice(0, 4)).toEqual([30, 20, 20, 10]);
    expect(byCode(r.entries).get('441803')).toMatchObject({ numerator: 30, denominator: null, unrankedReason: null });
  });

  it('ranks ascending with the same competition ranks', async () => {
    const r = await rank(hub, { period: MARCH, metric: 'NEW_RECEIVED', order: 'ASC' });
    expect(r.order).toBe('ASC');
    expect(ranks(r.entries)).toEqual([['441823', 1], ['441802', 2], ['441821', 2], ['441803', 4], ['441881', null]]);
  });

  it('leaves a child without any report unranked, NO_FIGURES', async () => {
    const r = await rank(hub, { period: MARCH, metric: 'NEW_RECEIVED' });
    expect(byCode(r.entries).get('441881')).toMatchObject({ rank: null, unrankedReason: 'NO_FIGURES', rankChange: null });
  });

  it('gives the previous month’s rank and value, and the change', async () => {
    // February: 清城区 40 (1), 佛冈县 10 (2), 清新区 5 (3); 阳山县 and 英德市 nothing
    const e = byCode((await rank(hub, { period: MARCH, metric: 'NEW_RECEIVED' })).entries);
    expect(e.get('441803')).toMatchObject({ rank: 1, previousRank: 3, previousValue: 5, rankChange: 2 });
    expect(e.get('441802')).toMatchObject({ rank: 2, previousRank: 1, previousValue: 40, rankChange: -1 });
    expect(e.get('441821')).toMatchObject({ rank: 2, previousRank: 2, previousValue: 10, rankChange: 0 });
    expect(e.get('441823')).toMatchObject({ rank: 4, previousRank: null, rankChange: null });
  });

  it('compares a quarter with the quarter before', async () => {
    // Q1 (February + March): 清城区 60, 清新区 35, 佛冈县 30, 阳山县 10; Q2 (April): 阳山县 50, 佛冈县 5
    const r = await rank(hub, { period: { year: 2025, quarter: 2 }, metric: 'NEW_RECEIVED' });
    expect(r.previousPeriod.label).toBe('2025年第1季度');
    expect(ranks(r.entries)).toEqual([['441823', 1], ['441821', 2], ['441802', null], ['441803', null], ['441881', null]]);
    const e = byCode(r.entries);
    expect(e.get('441823')).toMatchObject({ value: 50, previousRank: 4, previousValue: 10, rankChange: 3 });
    expect(e.get('441821')).toMatchObject({ value: 5, previousRank: 3, previousValue: 30, rankChange: 1 });
    expect(e.get('441802')).toMatchObject({ unrankedReason: 'NO_FIGURES', previousRank: 1, previousValue: 60, rankChange: null });
    expect(e.get('441803')).toMatchObject({ unrankedReason: 'NO_FIGURES', previousRank: 2, previousValue: 35 });
  });

  it('compares a year with the year before, annual reports standing for their units’ years', async () => {
    // 2025: 清城区 60, 阳山县 60, 清新区 35, 佛冈县 35; 2024: 英德市 100 (annual), 清新区 50 (annual), 清城区 7 (December)
    const r = await rank(hub, { period: { year: 2025 }, metric: 'NEW_RECEIVED' });
    expect(r.previousPeriod.label).toBe('2024年');
    expect(ranks(r.entries)).toEqual([['441802', 1], ['441823', 1], ['441803', 3], ['441821', 3], ['441881', null]]);
    const e = byCode(r.entries);
    expect(e.get('441802')).toMatchObject({ value: 60, previousRank: 3, previousValue: 7, rankChange: 2 });
    expect(e.get('441823')).toMatchObject({ value: 60, previousRank: null, rankChange: null });
    expect(e.get('441803')).toMatchObject({ value: 35, previousRank: 2, previousValue: 50, rankChange: -1 });
    expect(e.get('441881')).toMatchObject({ rank: null, unrankedReason: 'NO_FIGURES', previousRank: 1, previousValue: 100 });
  });

  it('ranks every unit of the given kinds anywhere in the subtree', async () => {
    const r = await rank(hub, { period: MARCH, metric: 'NEW_RECEIVED', kinds: ['TOWN'] });
    expect(ranks(r.entries)).toEqual([['441803104', 1], ['441803102', 2], ['441802100', 3], ['441821101', null]]);
    expect(r.entries.map((e: Entry) => e.value).slice(0, 3)).toEqual([18, 12, 6]);
    const e = byCode(r.entries);
    expect(e.get('441803102')).toMatchObject({ previousRank: 1, previousValue: 5, rankChange: -1 });
    expect(e.get('441821101')).toMatchObject({ unrankedReason: 'NO_FIGURES' });
  });
});

describe('ranking by a rate', () => {
  it('ranks by the subtree’s pooled rate, with its numerator and denominator', async () => {
    const r = await rank(hub, { period: MARCH, metric: 'DISCLOSURE_RATE' });
    expect(r.metricLabel).toBe('公开率');
    expect(ranks(r.entries)).toEqual([['441821', 1], ['441802', 2], ['441803', 3], ['441823', null], ['441881', null]]);
    const e = byCode(r.entries);
    expect(e.get('441821')).toMatchObject({ value: 1, numerator: 5, denominator: 5 });
    expect(e.get('441802')).toMatchObject({ value: 0.5, numerator: 10, denominator: 20 });
    expect(e.get('441803')).toMatchObject({ numerator: 38, denominator: 85 });
    expect(e.get('441803')!.value).toBeCloseTo(38 / 85, 10);
  });

  it('leaves a rate with denominator 0 unranked, ZERO_DENOMINATOR', async () => {
    const e = byCode((await rank(hub, { period: MARCH, metric: 'DISCLOSURE_RATE' })).entries);
    expect(e.get('441823')).toMatchObject({ rank: null, value: null, numerator: 0, denominator: 0, unrankedReason: 'ZERO_DENOMINATOR' });
    expect(e.get('441881')).toMatchObject({ rank: null, value: null, unrankedReason: 'NO_FIGURES' });
  });

  it('gives the previous month’s rate ranks', async () => {
    // February: 清新区 5/5 (1), 清城区 20/40 (2), 佛冈县 1/10 (3)
    const e = byCode((await rank(hub, { period: MARCH, metric: 'DISCLOSURE_RATE' })).entries);
    expect(e.get('441821')).toMatchObject({ previousRank: 3, previousValue: 0.1, rankChange: 2 });
    expect(e.get('441802')).toMatchObject({ previousRank: 2, previousValue: 0.5, rankChange: 0 });
    expect(e.get('441803')).toMatchObject({ previousRank: 1, previousValue: 1, rankChange: -2 });
  });

  it('leaves a unit below minDenominator unranked and closes up the ranks of the others', async () => {
    const r = await rank(hub, { period: MARCH, metric: 'DISCLOSURE_RATE', minDenominator: 10 });
    expect(r.minDenominator).toBe(10);
    expect(ranks(r.entries)).toEqual([['441802', 1], ['441803', 2], ['441821', null], ['441823', null], ['441881', null]]);
    const e = byCode(r.entries);
    expect(e.get('441821')).toMatchObject({ unrankedReason: 'BELOW_MIN_DENOMINATOR', numerator: 5, denominator: 5 });
    expect(e.get('441823')!.unrankedReason).toBe('ZERO_DENOMINATOR');
    // the previous month is ranked under the same minimum: 清新区's 5 applications leave it unranked there
    expect(e.get('441802')).toMatchObject({ previousRank: 1, rankChange: 0 });
    expect(e.get('441803')).toMatchObject({ previousRank: null, rankChange: null });
  });
});
