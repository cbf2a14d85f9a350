/**
 * What is measured: subtree rollups (root, city, county; a month; 10 connections) on both hubs and PostGraphile,
 * a city's dashboard and a ~200-unit ranking on both hubs, a mixed load at 50 connections, and submissions.
 * Random sequences are seeded per run, so every server gets the same requests in the same order.
 */
import type { Sample, SampleUnit } from './database.js';
import { rankingInput } from './checks.js';
import type { Scenario, Target } from './load.js';
import { balancedFigures, DASHBOARD, postgraphileSum, RANKING, ROLLUP_FIGURES, seededRandom, SUBMIT } from './queries.js';

export const READ_MONTH = 6;
/** Submissions re-submit this month of the last year: reports that exist, each write a new revision. */
export const SUBMIT_MONTH = 12;

const json = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

export interface NamedScenario extends Scenario {
  /** Which servers run it: every one of these kinds. */
  kinds: Target['kind'][];
  /** The unit it reads, for the report. */
  unit?: SampleUnit;
}

export function readScenarios(sample: Sample, sumFields: Map<string, string>): NamedScenario[] {
  const sum = postgraphileSum([...sumFields.values()]);
  const rollup = (label: string, unit: SampleUnit): NamedScenario => ({
    name: `rollup ${label} ${unit.code} (${unit.size} units), ${sample.year}-${READ_MONTH}`,
    connections: 10,
    kinds: ['hub', 'postgraphile'],
    unit,
    body: (t) => t.kind === 'hub'
      ? json(ROLLUP_FIGURES, { unit: unit.code, period: { year: sample.year, month: READ_MONTH } })
      : json(sum, { id: unit.id, year: sample.year, month: READ_MONTH }),
  });
  return [
    rollup('top', sample.top),
    rollup('city', sample.city),
    rollup('county', sample.county),
    {
      name: `dashboard city ${sample.city.code}, ${sample.year}`,
      connections: 10,
      kinds: ['hub'],
      unit: sample.city,
      body: () => json(DASHBOARD, { unit: sample.city.code, year: sample.year }),
    },
    {
      name: `ranking ${sample.ranking.entries} units (${sample.ranking.kinds?.join('+') ?? 'children'} of ${sample.ranking.parentCode}), ${sample.year}`,
      connections: 10,
      kinds: ['hub'],
      body: () => json(RANKING, { input: rankingInput(sample, { year: sample.year }) }),
    },
    mixed(sample),
  ];
}

/**
 * 60% rollups of a random unit (a level first, then a unit of it, so that big subtrees are not drowned by the many
 * departments) for a random month, quarter or year; 20% dashboards of a random city or county; 20% rankings.
 */
function mixed(sample: Sample): NamedScenario {
  const governments = sample.levels.slice(1, 3).flat();
  const rankingParents = sample.levels.slice(0, 2).flat();
  return {
    name: 'mixed load (60% rollups, 20% dashboards, 20% rankings)',
    connections: 50,
    kinds: ['hub'],
    body: () => {
      const rng = seededRandom(20261123);
      const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
      return () => {
        const r = rng();
        const year = rng() < 0.5 ? sample.year : sample.year - 1;
        const p = rng();
        const period = p < 0.5 ? { year, month: 1 + Math.floor(rng() * 12) } : p < 0.8 ? { year, quarter: 1 + Math.floor(rng() * 4) } : { year };
        if (r < 0.6) return json(ROLLUP_FIGURES, { unit: pick(pick(sample.levels)).code, period });
        if (r < 0.8) return json(DASHBOARD, { unit: pick(governments).code, year });
        if (rng() < 0.5) return json(RANKING, { input: rankingInput(sample, period, pick(['DISCLOSURE_RATE', 'NEW_RECEIVED', 'DENIAL_RATE'])) });
        return json(RANKING, { input: { parentCode: pick(rankingParents).code, period, metric: 'NEW_RECEIVED' } });
      };
    },
  };
}

/** 32 connections re-submitting reports of one city's units for a recent month, with valid, balanced figures. */
export function submissionScenario(sample: Sample): NamedScenario {
  if (!sample.submitCodes.length) throw new Error(`no submitted reports of ${sample.year}-${SUBMIT_MONTH} under ${sample.city.code} to re-submit`);
  return {
    name: `submissions (${sample.submitCodes.length} units of ${sample.city.code}, ${sample.year}-${SUBMIT_MONTH})`,
    connections: 32,
    kinds: ['hub'],
    unit: sample.city,
    body: () => {
      const rng = seededRandom(7);
      return () => json(SUBMIT, {
        input: { unitCode: sample.submitCodes[Math.floor(rng() * sample.submitCodes.length)], year: sample.year, month: SUBMIT_MONTH, figures: balancedFigures(rng) },
      });
    },
  };
}
