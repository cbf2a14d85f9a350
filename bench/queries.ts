/**
 * The GraphQL documents the benchmark sends, built from the catalogue of the national format so that every stored
 * cell is asked for by name and none is typed out here: a new cell in the format is benchmarked without an edit.
 */
import { cells, type Cell } from '../src/format/catalogue.js';
import { toScaled } from '../src/format/decimal.js';
import { random } from '../seeds/synthetic-figures.js';

/** `{ proactive { rules { issued ... } ... } ... }`: a selection of the given cells, nested as `Figures` is. */
export function figuresSelection(of: Cell[] = cells): string {
  type Tree = Map<string, Tree>;
  const root: Tree = new Map();
  for (const cell of of) {
    let node = root;
    for (const key of cell.path.split('.')) node = node.get(key) ?? node.set(key, new Map()).get(key)!;
  }
  const print = (node: Tree): string => `{ ${[...node].map(([k, child]) => (child.size ? `${k} ${print(child)}` : k)).join(' ')} }`;
  return print(root);
}

const FIGURES = figuresSelection();
const RATES = '{ disclosureRate { numerator denominator value } denialRate { numerator denominator value } reviewCorrectionRate { numerator denominator value } disputeRate { numerator denominator value } }';

/** What the load reads: the figures of a subtree, every cell (the same cells PostGraphile is asked to sum). */
export const ROLLUP_FIGURES = `query Rollup($unit: String!, $period: PeriodInput!) { rollup(unitCode: $unit, period: $period) { figures ${FIGURES} } }`;

/** What the checks compare between the two hub modes: the figures and everything said about where they came from. */
export const ROLLUP_FULL = `query RollupFull($unit: String!, $period: PeriodInput!) { rollup(unitCode: $unit, period: $period) {
  basis period { label } sources { unitsInSubtree annualReportUnits monthlyReportUnits unitMonths unitsWithoutFigures aggregateReportsExcluded }
  figures ${FIGURES} rates ${RATES} } }`;

/** An oversight office's dashboard as a client would ask for it: headline, trend, children, completeness. */
export const DASHBOARD = `query Dashboard($unit: String!, $year: Int!) { dashboard(unitCode: $unit, year: $year) {
  year basis current { figures { applications { newReceived { total } resultsTotal { total } carriedForward { total } } } rates ${RATES} }
  headline { metric value previous change changeRatio }
  trend { period { label } newReceived resultsTotal disclosed disclosureRate { numerator denominator value } adminReviews lawsuits reportingUnits }
  children { unit { code name } metricValue figures { applications { newReceived { total } resultsTotal { total } } } }
  top { unit { code } metricValue } bottom { unit { code } metricValue }
  completeness { expected onTime late missing units unitsOnTime unitsLate unitsMissing }
  warnings { reportsWithWarnings byIdentity { identity count } } } }`;

export const RANKING = `query Ranking($input: RankingInput!) { ranking(input: $input) {
  metric period { label } previousPeriod { label }
  entries { rank value numerator denominator unrankedReason previousRank previousValue rankChange unit { code name parent { code } } } } }`;

export const SUBMIT = `mutation Submit($input: SubmitReportInput!) { submitReport(input: $input) { report { revision } replacedRevision } }`;

/** PostGraphile's sum of the submitted SELF figures of a subtree for a month, through the closure table. */
export function postgraphileSum(sumFields: string[]): string {
  return `query Sum($id: Int!, $year: Int!, $month: Int!) { allBenchFigures(filter: {
    year: { equalTo: $year }, month: { equalTo: $month }, scope: { equalTo: SELF },
    unitByUnitId: { unitClosuresByDescendantId: { some: { ancestorId: { equalTo: $id } } } } }) {
    aggregates { sum { ${sumFields.join(' ')} } } } }`;
}

/** The GraphQL name PostGraphile gives a column: its camelCase, matched loosely (its inflector, not ours, decides). */
export const looseName = (name: string) => name.replace(/_/g, '').toLowerCase();

/** A hub figure at a dotted path of a `Figures` answer. */
export function at(figures: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], figures);
}

/** Equal as exact numbers: counts as integers (PostGraphile sums are BigInt strings), fees to the 元, never floats. */
export function sameValue(cell: Cell, a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? '0') === (b ?? '0') || String(a ?? 0) === String(b ?? 0);
  return cell.kind === 'amount' ? toScaled(String(a)) === toScaled(String(b)) : BigInt(String(a)) === BigInt(String(b));
}

/**
 * Figures of one monthly report that pass every identity (一 + 二 = 三（七）+ 四 per column, and so on): a few
 * applications received and answered, a carried balance, a fee with 4 decimals, a review. Nested as FiguresInput.
 */
export function balancedFigures(rng: () => number): Record<string, unknown> {
  const n = (max: number) => Math.floor(rng() * (max + 1));
  const received = n(40);
  const carriedOver = n(10);
  const carriedForward = n(Math.min(10, received + carriedOver));
  const answered = received + carriedOver - carriedForward;
  const granted = n(answered);
  const denied = answered - granted;
  return {
    proactive: {
      rules: { issued: n(3), repealed: n(2), inForce: 20 + n(10) },
      normativeDocuments: { issued: n(5), repealed: n(2), inForce: 50 + n(20) },
      administrativeLicensing: n(500),
      administrativePenalty: n(100),
      administrativeCoercion: n(10),
      administrativeFees: `${n(99)}.${String(n(9999)).padStart(4, '0')}`,
    },
    applications: {
      newReceived: { naturalPerson: received },
      carriedOver: { naturalPerson: carriedOver },
      granted: { naturalPerson: granted },
      deniedStateSecret: { naturalPerson: denied },
      carriedForward: { naturalPerson: carriedForward },
    },
    reviewLitigation: { adminReview: { upheld: n(2), corrected: n(1), otherOutcome: 0, pending: n(2) } },
  };
}

/** The seeds' mulberry32, so that the mixed load sends the same sequence to every server. */
export const seededRandom = random;
