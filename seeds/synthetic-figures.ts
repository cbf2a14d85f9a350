/**
 * Deterministic, identity-respecting monthly figures for demo and synthetic units.
 *
 * A `FigureSeries` walks one unit through consecutive months: each month's opening balances are the previous
 * month's closing ones (carried over = carried forward, in force = in force + issued - repealed), so every identity
 * holds for a month and for any longer period, and no continuity warning is raised. Volumes are skewed like real
 * ones: most townships see almost no applications, a few county offices and departments see many.
 */
import { applicantColumns, caseBlocks, cells, outcomeRows, proactiveRows } from '../src/format/catalogue.js';
import { zeroValue, type CellValue, type CellValues } from '../src/format/figures.js';
import { UnitKind } from '../src/units/unit-kind.js';

/** FNV-1a: a stable 32-bit seed from a text key. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for synthetic data; the same seed gives the same numbers everywhere. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function poisson(rng: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
}

function binomial(rng: () => number, n: number, p: number): number {
  if (n > 200) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(rng))));
  let k = 0;
  for (let i = 0; i < n; i++) if (rng() < p) k++;
  return k;
}

/** Splits n items over buckets by weight (a multinomial draw). */
function spread(rng: () => number, n: number, weights: number[]): number[] {
  // Plain loops: this runs nine times for every generated month.
  const out: number[] = new Array<number>(weights.length).fill(0);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  if (n > 500) {
    // Large counts: expected shares, the rounding remainder to the largest bucket.
    weights.forEach((w, i) => (out[i] = Math.floor((n * w) / total)));
    out[weights.indexOf(Math.max(...weights))] += n - out.reduce((a, b) => a + b, 0);
    return out;
  }
  for (let i = 0; i < n; i++) {
    let r = rng() * total;
    let j = 0;
    while (r >= weights[j] && j < weights.length - 1) r -= weights[j++];
    out[j]++;
  }
  return out;
}

const APPLICANT_WEIGHTS: Record<string, number> = {
  naturalPerson: 82, commercialEnterprise: 9, researchInstitution: 1, publicInterestOrg: 1, legalServiceOrg: 4, otherOrg: 3,
};
/** Rough shares of the 21 outcomes in published reports: most are granted or "not held". */
const OUTCOME_WEIGHTS: Record<string, number> = {
  granted: 38, partiallyGranted: 8, deniedStateSecret: 0.2, deniedProhibitedByLaw: 0.5, deniedThreeSecurityOneStability: 0.3,
  deniedThirdPartyRights: 2, deniedInternalAffairs: 1, deniedProcessInformation: 1.5, deniedEnforcementCaseFile: 1,
  deniedAdministrativeQuery: 1, unableNotHeld: 25, unableNeedsCreation: 3, unableUnclearAfterCorrection: 3,
  notProcessedPetitionComplaint: 3, notProcessedDuplicate: 3, notProcessedPublication: 0.5, notProcessedExcessive: 1,
  notProcessedConfirmOrReissue: 1, otherOverdueCorrection: 2, otherOverdueFee: 0.2, otherOther: 4,
};

export interface Profile {
  applicationsPerMonth: number;
  rulesPerYear: number;
  normativeDocumentsPerMonth: number;
  licensingPerMonth: number;
  penaltiesPerMonth: number;
  coercionPerMonth: number;
  feesYuanPerMonth: number;
}

/** Volumes by kind of unit, scaled by a heavy-tailed factor so that a few units dominate. */
export function profileFor(kind: UnitKind, seedKey: string): Profile {
  const rng = random(hashSeed(`profile:${seedKey}`));
  const skew = Math.exp(normal(rng) * 0.9); // log-normal: median 1, a long right tail
  const base: Record<UnitKind, number> = {
    PROVINCE: 120, PREFECTURE: 40, DISTRICT: 8, COUNTY: 5, COUNTY_CITY: 6,
    SUBDISTRICT: 0.4, TOWN: 0.25, TOWNSHIP: 0.1, DEPARTMENT: 2, DEVELOPMENT_ZONE: 0.8, OTHER: 0.05,
  };
  const government = kind !== UnitKind.DEPARTMENT && kind !== UnitKind.OTHER && kind !== UnitKind.DEVELOPMENT_ZONE;
  const enforcing = kind === UnitKind.DEPARTMENT ? skew : 0.05;
  return {
    applicationsPerMonth: base[kind] * skew,
    rulesPerYear: kind === UnitKind.PROVINCE ? 12 : kind === UnitKind.PREFECTURE ? 3 : 0,
    normativeDocumentsPerMonth: government ? (base[kind] > 1 ? 0.8 : 0.05) : kind === UnitKind.DEPARTMENT ? 0.3 : 0,
    licensingPerMonth: 30 * enforcing,
    penaltiesPerMonth: 12 * enforcing,
    coercionPerMonth: 1.5 * enforcing,
    feesYuanPerMonth: kind === UnitKind.DEPARTMENT ? Math.round(20000 * skew) : 0,
  };
}

/** 元 as an exact 万元 decimal string (4 decimal places at most). */
export function yuanToWan(yuan: number): string {
  const whole = Math.floor(yuan / 10000);
  const frac = String(yuan % 10000).padStart(4, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** Where each cell the series writes sits in `cells` order; looked up once, not per month. */
const slotOf = new Map(cells.map((c, i) => [c.path, i]));
function slot(path: string): number {
  const i = slotOf.get(path);
  if (i === undefined) throw new Error(`the synthetic series writes ${path}, which the catalogue does not store`);
  return i;
}
const APPLICANT_SLOTS = applicantColumns.map((c) => ({
  field: c.field,
  share: APPLICANT_WEIGHTS[c.field] / 100,
  newReceived: slot(`applications.newReceived.${c.field}`),
  carriedOver: slot(`applications.carriedOver.${c.field}`),
  carriedForward: slot(`applications.carriedForward.${c.field}`),
  outcomes: outcomeRows.map((r) => slot(`applications.${r.field}.${c.field}`)),
}));
const OUTCOME_WEIGHT_LIST = outcomeRows.map((r) => OUTCOME_WEIGHTS[r.field]);
const CASE_WEIGHTS = [60, 10, 20, 10];
const CASE_SLOTS = caseBlocks.map((b) => ['upheld', 'corrected', 'otherOutcome', 'pending'].map((k) => slot(`reviewLitigation.${b.field}.${k}`)));
const DOCUMENT_ROWS = proactiveRows
  .filter((x) => x.shape === 'documents')
  .map((r) => ({ field: r.field, issued: slot(`proactive.${r.field}.issued`), repealed: slot(`proactive.${r.field}.repealed`), inForce: slot(`proactive.${r.field}.inForce`) }));
const LICENSING = slot('proactive.administrativeLicensing');
const PENALTY = slot('proactive.administrativePenalty');
const COERCION = slot('proactive.administrativeCoercion');
const FEES = slot('proactive.administrativeFees');
const EMPTY_ROW: CellValue[] = cells.map(zeroValue);

export class FigureSeries {
  private readonly rng: () => number;
  private carried: Record<string, number>;
  private inForce: Record<string, number>;

  constructor(seedKey: string, private readonly profile: Profile) {
    this.rng = random(hashSeed(`series:${seedKey}`));
    this.carried = Object.fromEntries(applicantColumns.map((c) => [c.field, poisson(this.rng, profile.applicationsPerMonth * 0.2 * (APPLICANT_WEIGHTS[c.field] / 100))]));
    this.inForce = {
      rules: profile.rulesPerYear ? 20 + Math.floor(this.rng() * 200) : 0,
      normativeDocuments: profile.normativeDocumentsPerMonth ? 5 + Math.floor(this.rng() * 120) : 0,
    };
  }

  /** Figures of the next month, keyed by catalogue path. */
  next(): CellValues {
    const row = this.nextRow();
    const v: CellValues = {};
    for (let i = 0; i < cells.length; i++) v[cells[i].path] = row[i];
    return v;
  }

  /**
   * Figures of the next month as one value per cell, in `cells` order: what a bulk load writes. The same draws as
   * `next()` (which is built on it), without a keyed object per month, which made the generator spend most of its
   * time hashing path strings.
   */
  nextRow(): CellValue[] {
    const v = EMPTY_ROW.slice();
    const { rng, profile } = this;
    let handled = 0;
    for (const c of APPLICANT_SLOTS) {
      const opening = this.carried[c.field];
      const received = poisson(rng, profile.applicationsPerMonth * c.share);
      const closing = binomial(rng, opening + received, 0.15);
      const outcomes = spread(rng, opening + received - closing, OUTCOME_WEIGHT_LIST);
      v[c.newReceived] = received;
      v[c.carriedOver] = opening;
      v[c.carriedForward] = closing;
      for (let i = 0; i < outcomes.length; i++) v[c.outcomes[i]] = outcomes[i];
      // The outcomes split exactly what was handled: opening + received - closing.
      handled += opening + received - closing;
      this.carried[c.field] = closing;
    }
    const caseMeans = [handled * 0.04, handled * 0.01, handled * 0.008];
    CASE_SLOTS.forEach((slots, i) => {
      const counts = spread(rng, poisson(rng, caseMeans[i]), CASE_WEIGHTS);
      slots.forEach((s, k) => (v[s] = counts[k]));
    });
    for (const r of DOCUMENT_ROWS) {
      const issued = poisson(rng, r.field === 'rules' ? profile.rulesPerYear / 12 : profile.normativeDocumentsPerMonth);
      const repealed = binomial(rng, this.inForce[r.field], 0.004);
      this.inForce[r.field] += issued - repealed;
      v[r.issued] = issued;
      v[r.repealed] = repealed;
      v[r.inForce] = this.inForce[r.field];
    }
    v[LICENSING] = poisson(rng, profile.licensingPerMonth);
    v[PENALTY] = poisson(rng, profile.penaltiesPerMonth);
    v[COERCION] = poisson(rng, profile.coercionPerMonth);
    v[FEES] = yuanToWan(profile.feesYuanPerMonth ? Math.round(profile.feesYuanPerMonth * (0.5 + rng())) : 0);
    return v;
  }
}
