/**
 * The GraphQL types of the national format (api-contract.md, "Names of the figures"), generated from the
 * catalogue: every field name, type and Chinese description comes from format/catalogue.ts.
 * Output types have every field non-null with totals derived; input types default omitted counts to 0 and accept
 * printed totals, which are checked, never trusted.
 */
import { Int } from 'type-graphql';
import {
  applicantColumns,
  applicantTotalColumn,
  applicationLeafRows,
  caseBlocks,
  caseColumns,
  caseTotalColumn,
  outcomeGroups,
  proactiveRows,
  resultsTotalRow,
} from '../format/catalogue.js';
import { declareType, type FieldSpec } from '../graphql/declare-type.js';
import { DecimalScalar } from '../graphql/scalars.js';

type TypeFn = () => unknown;
const declare = declareType;

const count = (name: string, description: string): FieldSpec => ({ name, type: () => Int, description });
const countInput = (name: string, description: string): FieldSpec => ({ name, type: () => Int, description, defaultValue: 0 });
const printedTotal = (description: string): FieldSpec => ({
  name: 'total',
  type: () => Int,
  description: `${description} — optional; when given it is checked against the sum of the other fields`,
  nullable: true,
});
const object = (name: string, type: TypeFn, description: string, nullable = false): FieldSpec => ({ name, type, description, nullable });

// ---------------------------------------------------------------- rows of section 三 and blocks of section 四

export const ApplicantCounts = declare('object', 'ApplicantCounts', '申请人情况: one row of section 三 by applicant type.', [
  ...applicantColumns.map((c) => count(c.field, `${c.zh} (${c.en})`)),
  count('total', `${applicantTotalColumn.zh} (sum of the six applicant columns)`),
]);
export const ApplicantCountsInput = declare('input', 'ApplicantCountsInput', '申请人情况: one row of section 三; omitted counts are 0.', [
  ...applicantColumns.map((c) => countInput(c.field, `${c.zh} (${c.en})`)),
  printedTotal(applicantTotalColumn.zh),
]);

/** 三（七）总计 as printed: every column optional, and only the columns given are checked. */
export const ApplicantTotalsInput = declare('input', 'ApplicantTotalsInput', '三、（七）总计 as printed; each column optional and checked when given.', [
  ...applicantColumns.map((c) => ({ name: c.field, type: () => Int, description: `${c.zh} (${c.en})`, nullable: true })),
  printedTotal(applicantTotalColumn.zh),
]);

export const CaseOutcomes = declare('object', 'CaseOutcomes', 'One block of section 四: concluded and pending cases.', [
  ...caseColumns.map((c) => count(c.field, `${c.zh} (${c.en})`)),
  count('total', `${caseTotalColumn.zh} (upheld + corrected + other outcome + pending)`),
]);
export const CaseOutcomesInput = declare('input', 'CaseOutcomesInput', 'One block of section 四; omitted counts are 0.', [
  ...caseColumns.map((c) => countInput(c.field, `${c.zh} (${c.en})`)),
  printedTotal(caseTotalColumn.zh),
]);

const documentRow = proactiveRows.find((r) => r.shape === 'documents')!;
export const DocumentCounts = declare(
  'object',
  'DocumentCounts',
  'Rules or normative documents: issued and repealed in the period, in force at its end.',
  documentRow.columns.map((c) => count(c.field, c.zh)),
);
export const DocumentCountsInput = declare(
  'input',
  'DocumentCountsInput',
  'Rules or normative documents; omitted counts are 0.',
  documentRow.columns.map((c) => countInput(c.field, c.zh)),
);

// ---------------------------------------------------------------- the three sections

function proactiveFields(input: boolean): FieldSpec[] {
  return proactiveRows.map((r) => {
    const description = `${r.groupZh} ${r.zh}${r.shape === 'single' ? ` — ${r.columns[0].zh}` : ''}`;
    if (r.shape === 'documents') return object(r.field, () => (input ? DocumentCountsInput : DocumentCounts), description, input);
    if (r.columns[0].kind === 'amount') {
      return { name: r.field, type: () => DecimalScalar, description, ...(input ? { defaultValue: '0' } : {}) };
    }
    return input ? countInput(r.field, description) : count(r.field, description);
  });
}
export const ProactiveFigures = declare('object', 'ProactiveFigures', '二、主动公开政府信息情况', proactiveFields(false));
export const ProactiveFiguresInput = declare('input', 'ProactiveFiguresInput', '二、主动公开政府信息情况', proactiveFields(true));

export const ApplicationFigures = declare('object', 'ApplicationFigures', '三、收到和处理政府信息公开申请情况', [
  ...applicationLeafRows.map((r) => object(r.field, () => ApplicantCounts, r.labelZh)),
  ...outcomeGroups.map((g) => object(g.field, () => ApplicantCounts, `${g.labelZh} (subtotal of its ${g.leaves.length} rows)`)),
  object(resultsTotalRow.field, () => ApplicantCounts, `${resultsTotalRow.labelZh} (sum of the 21 outcome rows)`),
]);
export const ApplicationFiguresInput = declare('input', 'ApplicationFiguresInput', '三、收到和处理政府信息公开申请情况', [
  ...applicationLeafRows.map((r) => object(r.field, () => ApplicantCountsInput, r.labelZh, true)),
  object(resultsTotalRow.field, () => ApplicantTotalsInput, `${resultsTotalRow.labelZh} — optional; checked against the outcome rows`, true),
]);

export const ReviewLitigationFigures = declare(
  'object',
  'ReviewLitigationFigures',
  '四、政府信息公开行政复议、行政诉讼情况',
  caseBlocks.map((b) => object(b.field, () => CaseOutcomes, b.zh)),
);
export const ReviewLitigationFiguresInput = declare(
  'input',
  'ReviewLitigationFiguresInput',
  '四、政府信息公开行政复议、行政诉讼情况',
  caseBlocks.map((b) => object(b.field, () => CaseOutcomesInput, b.zh, true)),
);

export const Figures = declare('object', 'Figures', 'The three tables of the national annual-report format (国办公开办函〔2021〕30号).', [
  object('proactive', () => ProactiveFigures, '二、主动公开政府信息情况'),
  object('applications', () => ApplicationFigures, '三、收到和处理政府信息公开申请情况'),
  object('reviewLitigation', () => ReviewLitigationFigures, '四、政府信息公开行政复议、行政诉讼情况'),
]);
export const FiguresInput = declare('input', 'FiguresInput', 'Figures in the national format; every section and cell may be omitted (0).', [
  object('proactive', () => ProactiveFiguresInput, '二、主动公开政府信息情况', true),
  object('applications', () => ApplicationFiguresInput, '三、收到和处理政府信息公开申请情况', true),
  object('reviewLitigation', () => ReviewLitigationFiguresInput, '四、政府信息公开行政复议、行政诉讼情况', true),
]);
