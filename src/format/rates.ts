/**
 * Derived rates (report-format.json → derived_metrics; none is defined by the national format). A rate is always a
 * sum of figures over a sum of figures, computed after the figures are summed — never an average of percentages.
 * Where two denominators are in use (correction rates: of concluded cases, or of all cases), both are offered.
 */
import { sumOfPaths } from './expressions.js';
import type { CellValues } from './figures.js';

export interface RateDefinition {
  /** GraphQL field of `Rates` and base of the RankingMetric name. */
  field: string;
  zh: string;
  numerator: string[];
  denominator: string[];
  description: string;
}

const results = ['applications.resultsTotal.total'];
const concluded = (block: string) => ['upheld', 'corrected', 'otherOutcome'].map((c) => `reviewLitigation.${block}.${c}`);
const litigation = ['litigationDirect', 'litigationAfterReview'];

export const rateDefinitions: RateDefinition[] = [
  { field: 'disclosureRate', zh: '公开率', numerator: ['applications.granted.total', 'applications.partiallyGranted.total'], denominator: results, description: '(予以公开 + 部分公开) / 办理结果总计' },
  { field: 'fullDisclosureRate', zh: '予以公开率', numerator: ['applications.granted.total'], denominator: results, description: '予以公开 / 办理结果总计' },
  { field: 'denialRate', zh: '不予公开率', numerator: ['applications.denied.total'], denominator: results, description: '不予公开 / 办理结果总计' },
  { field: 'carryForwardRate', zh: '结转率', numerator: ['applications.carriedForward.total'], denominator: ['applications.newReceived.total', 'applications.carriedOver.total'], description: '结转下年度 / (新收 + 上年结转)' },
  { field: 'reviewCorrectionRate', zh: '行政复议纠错率', numerator: ['reviewLitigation.adminReview.corrected'], denominator: concluded('adminReview'), description: '结果纠正 / (总计 − 尚未审结): of concluded reviews' },
  { field: 'reviewCorrectionRateOfAll', zh: '行政复议纠错率（含未审结）', numerator: ['reviewLitigation.adminReview.corrected'], denominator: ['reviewLitigation.adminReview.total'], description: '结果纠正 / 总计: of all reviews' },
  { field: 'litigationCorrectionRate', zh: '行政诉讼纠错率', numerator: litigation.map((b) => `reviewLitigation.${b}.corrected`), denominator: litigation.flatMap(concluded), description: '结果纠正 / (总计 − 尚未审结), both kinds of litigation' },
  { field: 'litigationCorrectionRateOfAll', zh: '行政诉讼纠错率（含未审结）', numerator: litigation.map((b) => `reviewLitigation.${b}.corrected`), denominator: litigation.map((b) => `reviewLitigation.${b}.total`), description: '结果纠正 / 总计, both kinds of litigation' },
  { field: 'disputeRate', zh: '复议诉讼发生率', numerator: ['adminReview', ...litigation].map((b) => `reviewLitigation.${b}.total`), denominator: results, description: '(复议总计 + 诉讼总计) / 办理结果总计' },
];

export interface RateValue {
  numerator: number;
  denominator: number;
  /** null when the denominator is 0. */
  value: number | null;
}

export function computeRate(def: RateDefinition, values: CellValues): RateValue {
  const numerator = sumOfPaths(values, def.numerator);
  const denominator = sumOfPaths(values, def.denominator);
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

export function computeRates(values: CellValues): Record<string, RateValue> {
  return Object.fromEntries(rateDefinitions.map((d) => [d.field, computeRate(d, values)]));
}
