/**
 * Before anything is timed, every server must give the same figures: a fast wrong answer is worth nothing.
 * - the hub pre-aggregated and on the fly: rollups (figures, sources, rates) of the root, a city and a county for a
 *   month, a quarter and the year, deep-equal; their dashboards and rankings, deep-equal;
 * - PostGraphile's month sums against the hub's month figures of the same subtrees, every stored cell, counts as
 *   integers and the fee amount as an exact decimal.
 */
import { isDeepStrictEqual } from 'node:util';
import { cells } from '../src/format/catalogue.js';
import type { Sample } from './database.js';
import { graphql, type Server } from './peers.js';
import { at, DASHBOARD, looseName, postgraphileSum, RANKING, ROLLUP_FULL, sameValue } from './queries.js';

export interface CheckResult { name: string; ok: boolean; detail?: string }

/** The first path where two JSON values differ, for a message a person can act on. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (d) return d;
    }
  }
  return `${path || '(root)'}: ${JSON.stringify(a)?.slice(0, 120)} ≠ ${JSON.stringify(b)?.slice(0, 120)}`;
}

/** PostGraphile's GraphQL name of each figure column's sum, found by introspection (its inflector decides). */
export async function postgraphileSumFields(pgl: Server): Promise<Map<string, string>> {
  type Field = { name: string; type: { name: string | null; ofType: { name: string | null } | null } };
  const fieldsOf = async (type: string) =>
    (await graphql<{ __type: { fields: Field[] } | null }>(pgl, null, 'query($t: String!) { __type(name: $t) { fields { name type { name ofType { name } } } } }', { t: type }))
      .__type?.fields ?? [];
  const typeOf = async (type: string, field: string) => {
    const f = (await fieldsOf(type)).find((x) => x.name === field);
    if (!f) throw new Error(`PostGraphile's schema has no ${type}.${field}: is the bench_figures view there, with pg-aggregates loaded?`);
    return f.type.name ?? f.type.ofType?.name ?? '';
  };
  const sum = await typeOf(await typeOf(await typeOf('Query', 'allBenchFigures'), 'aggregates'), 'sum');
  const byLoose = new Map((await fieldsOf(sum)).map((f) => [looseName(f.name), f.name]));
  const fields = new Map<string, string>();
  for (const c of cells) {
    const name = byLoose.get(looseName(c.sqlColumn));
    if (!name) throw new Error(`PostGraphile offers no sum of ${c.sqlColumn}`);
    fields.set(c.sqlColumn, name);
  }
  return fields;
}

export interface CheckContext {
  pre: Server;
  fly: Server;
  pgl: Server;
  token: string;
  sample: Sample;
  sumFields: Map<string, string>;
  log: (line: string) => void;
}

export async function checkIdentical(ctx: CheckContext): Promise<CheckResult[]> {
  const { pre, fly, pgl, token, sample } = ctx;
  const results: CheckResult[] = [];
  const record = (name: string, detail: string | null) => {
    results.push({ name, ok: detail === null, ...(detail ? { detail } : {}) });
    ctx.log(`check ${detail === null ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  };
  const both = async (query: string, variables: Record<string, unknown>) =>
    Promise.all([graphql(pre, token, query, variables), graphql(fly, token, query, variables)]);

  const month = 6;
  const periods = [{ label: `${sample.year}-${month}`, period: { year: sample.year, month } }, { label: `${sample.year} Q2`, period: { year: sample.year, quarter: 2 } }, { label: `${sample.year}`, period: { year: sample.year } }];
  const sumQuery = postgraphileSum([...ctx.sumFields.values()]);
  for (const unit of [sample.top, sample.city, sample.county]) {
    for (const { label, period } of periods) {
      const [a, b] = await both(ROLLUP_FULL, { unit: unit.code, period });
      record(`rollup ${unit.code} ${unit.name} ${label}: pre-aggregated = on the fly`, firstDifference(a, b));
      if (!('month' in period)) continue;
      const hub = (a as { rollup: { figures: unknown } }).rollup.figures;
      const peer = await graphql<{ allBenchFigures: { aggregates: { sum: Record<string, unknown> } } }>(pgl, null, sumQuery, { id: unit.id, year: period.year, month: period.month });
      const sums = peer.allBenchFigures.aggregates.sum;
      const wrong = cells.filter((c) => !sameValue(c, at(hub, c.path), sums[ctx.sumFields.get(c.sqlColumn)!]));
      const fee = cells.find((c) => c.kind === 'amount')!;
      record(`rollup ${unit.code} ${label}: PostGraphile sums = hub (${cells.length} cells, fee ${String(at(hub, fee.path))})`,
        wrong.length ? `${wrong.length} cells differ, e.g. ${wrong.slice(0, 3).map((c) => `${c.path} hub ${String(at(hub, c.path))} vs ${String(sums[ctx.sumFields.get(c.sqlColumn)!])}`).join('; ')}` : null);
      if (String(at(hub, 'applications.newReceived.naturalPerson')) === '0') record(`rollup ${unit.code} ${label} has figures`, 'the hub summed nothing: the comparison would prove nothing');
    }
  }
  for (const unit of [sample.city, sample.county]) {
    const [a, b] = await both(DASHBOARD, { unit: unit.code, year: sample.year });
    record(`dashboard ${unit.code} ${sample.year}: pre-aggregated = on the fly`, firstDifference(a, b));
  }
  const rankings = [
    { label: `ranking ${sample.ranking.parentCode} ${sample.ranking.kinds?.join('+') ?? 'children'} ${sample.year}`, input: rankingInput(sample, { year: sample.year }) },
    { label: `ranking children of ${sample.top.code} ${sample.year}-${month}`, input: { parentCode: sample.top.code, period: { year: sample.year, month }, metric: 'NEW_RECEIVED' } },
  ];
  for (const { label, input } of rankings) {
    const [a, b] = await both(RANKING, { input });
    const entries = (a as { ranking: { entries: unknown[] } }).ranking.entries.length;
    record(`${label} (${entries} entries): pre-aggregated = on the fly`, firstDifference(a, b));
  }
  return results;
}

export function rankingInput(sample: Sample, period: { year: number; month?: number; quarter?: number }, metric = 'DISCLOSURE_RATE') {
  return { parentCode: sample.ranking.parentCode, ...(sample.ranking.kinds ? { kinds: sample.ranking.kinds } : {}), period, metric, minDenominator: 5 };
}
