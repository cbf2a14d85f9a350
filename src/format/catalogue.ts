/**
 * The one catalogue of the national annual-report format (国办公开办函〔2021〕30号).
 *
 * Everything else — the GraphQL figure types, validation, the storage columns, the SQL that sums them and the
 * exports — is derived from the lists built here, so no cell of the 175 + 15 + 10 is written out by hand anywhere.
 * Labels and keys come from `report-format.json` (a verbatim copy of ../shared/report-format.json);
 * what that file does not say (how each cell behaves over time, the contract's GraphQL names) is added below.
 */
import { readFileSync } from 'node:fs';

const format = JSON.parse(readFileSync(new URL('./report-format.json', import.meta.url), 'utf8')) as ReportFormatJson;

/** How a cell combines over a longer period (api-contract.md, Time). */
export type Aggregation = 'flow' | 'opening' | 'closing';
export type SectionKey = 'proactive' | 'applications' | 'reviewLitigation';
export type CellValueKind = 'count' | 'amount';

/** A stored, submitted cell: one leaf of a table. Totals and group subtotals are derived, never stored. */
export interface Cell {
  section: SectionKey;
  /** GraphQL field of the row (or block) inside its section, e.g. `deniedStateSecret`. */
  rowField: string;
  /** GraphQL field of the column inside the row, e.g. `naturalPerson`; null where the row is a single value. */
  columnField: string | null;
  /** Dotted GraphQL path, e.g. `applications.deniedStateSecret.naturalPerson`. */
  path: string;
  /** Column in `report_revision` and in rollup tables. Postgres identifiers stay under 63 characters. */
  sqlColumn: string;
  kind: CellValueKind;
  aggregation: Aggregation;
  /** The form's own label, as an office would say it: `三、（三）1.属于国家秘密 / 自然人`. */
  labelZh: string;
}

/** Turns a snake_case key of report-format.json into its contract name (api-contract.md: camelCase of the key). */
export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// ---------------------------------------------------------------- section 三: applications (25 x 7)

const appTable = format.tables.sec3_applications;

export interface ApplicantColumn { key: string; field: string; zh: string; en: string }
/** The six applicant columns that are entered; 总计 is derived from them. */
export const applicantColumns: ApplicantColumn[] = appTable.columns
  .filter((c) => c.key !== 'total')
  .map((c) => ({ key: c.key, field: camel(c.key), zh: c.zh, en: c.en }));
export const applicantTotalColumn = { key: 'total', field: 'total', zh: appTable.columns.find((c) => c.key === 'total')!.zh };

/** Group rows keep the contract's output names; `other_processing` is published as `otherHandling`. */
const GROUP_FIELD: Record<string, string> = { other_processing: 'otherHandling' };

export interface ApplicationRow {
  key: string;
  field: string;
  zh: string;
  en: string;
  kind: 'leaf' | 'group' | 'total';
  /** Key of the group the row sits in (`results`, `denied`, ...), or null at the top. */
  parent: string | null;
  labelZh: string;
  aggregation: Aggregation;
}

const appRowsByKey = new Map(appTable.rows.map((r) => [r.key, r]));

function rowLabel(key: string): string {
  const chain: string[] = [];
  for (let r = appRowsByKey.get(key); r; r = r.parent ? appRowsByKey.get(r.parent) : undefined) chain.unshift(numbered(r.label_number));
  return chain.join('') + appRowsByKey.get(key)!.zh;
}

/** 一 -> 一、, （三） -> （三）, 1 -> 1. — the punctuation the printed form uses after each kind of number. */
function numbered(n: string): string {
  if (n.startsWith('（')) return n;
  if (/^\d+$/.test(n)) return `${n}.`;
  return `${n}、`;
}

/** Opening and closing balances of the applications table; every other row is a flow. */
const APPLICATION_BALANCES: Record<string, Aggregation> = { carried_over: 'opening', carried_forward: 'closing' };

export const applicationRows: ApplicationRow[] = appTable.rows.map((r) => ({
  key: r.key,
  field: GROUP_FIELD[r.key] ?? camel(r.key),
  zh: r.zh,
  en: r.en,
  kind: r.kind,
  parent: r.parent ?? null,
  labelZh: rowLabel(r.key),
  aggregation: APPLICATION_BALANCES[r.key] ?? 'flow',
}));

export const applicationLeafRows = applicationRows.filter((r) => r.kind === 'leaf');
/** The 21 outcome leaves under 三、本年度办理结果, whose sum is 总计 (APP_RESULTS_SUM). */
export const outcomeRows = applicationLeafRows.filter((r) => r.parent !== null);
/** The four printed groups （三）–（六）, with their leaves; their subtotals are output only. */
export const outcomeGroups = applicationRows
  .filter((r) => r.kind === 'group' && r.parent === 'results')
  .map((g) => ({ ...g, leaves: outcomeRows.filter((l) => l.parent === g.key) }));
export const resultsTotalRow = applicationRows.find((r) => r.kind === 'total')!;
export const newReceivedRow = applicationRows.find((r) => r.key === 'new_received')!;
export const carriedOverRow = applicationRows.find((r) => r.key === 'carried_over')!;
export const carriedForwardRow = applicationRows.find((r) => r.key === 'carried_forward')!;

// ---------------------------------------------------------------- section 四: review and litigation (3 x 5)

const revTable = format.tables.sec4_review_litigation;
export interface CaseBlock { key: string; field: string; zh: string; en: string }
export const caseBlocks: CaseBlock[] = revTable.blocks.map((b) => ({ key: b.key, field: camel(b.key), zh: b.zh, en: b.en }));
export interface CaseColumn { key: string; field: string; zh: string; en: string; aggregation: Aggregation }
/** 尚未审结 is the cases still open at the end of the period: a closing balance. The rest are concluded cases, flows. */
export const caseColumns: CaseColumn[] = revTable.columns
  .filter((c) => c.key !== 'total')
  .map((c) => ({ key: c.key, field: camel(c.key), zh: c.zh, en: c.en, aggregation: c.key === 'pending' ? 'closing' : 'flow' }));
export const caseTotalColumn = { key: 'total', field: 'total', zh: revTable.columns.find((c) => c.key === 'total')!.zh };

// ---------------------------------------------------------------- section 二: proactive disclosure

export interface ProactiveColumn { key: string; field: string; zh: string; kind: CellValueKind; aggregation: Aggregation }
export interface ProactiveRow {
  key: string;
  field: string;
  zh: string;
  en: string;
  groupZh: string;
  /** `documents` rows are DocumentCounts objects; `single` rows are one number in the contract. */
  shape: 'documents' | 'single';
  columns: ProactiveColumn[];
}

/** 现行有效件数 is the stock at the end of the period; issued, repealed, decisions and fees are flows. */
const PROACTIVE_BALANCES: Record<string, Aggregation> = { in_force: 'closing' };
/** The contract names DocumentCounts' fields; the json's keys already match. */
export const proactiveRows: ProactiveRow[] = format.tables.sec2_active_disclosure.groups.flatMap((g) =>
  g.rows.map((r) => ({
    key: r.key,
    field: camel(r.key),
    zh: r.zh,
    en: r.en,
    groupZh: g.zh,
    shape: g.columns.length > 1 ? ('documents' as const) : ('single' as const),
    columns: g.columns.map((c) => ({
      key: c.key,
      field: camel(c.key),
      zh: c.zh,
      kind: c.type === 'decimal' ? ('amount' as const) : ('count' as const),
      aggregation: PROACTIVE_BALANCES[c.key] ?? 'flow',
    })),
  })),
);

// ---------------------------------------------------------------- every stored cell, in one list

const sectionNumber = Object.fromEntries(format.sections.map((s) => [s.key, s.number])) as Record<string, string>;

export const cells: Cell[] = [
  ...proactiveRows.flatMap((r) =>
    r.columns.map<Cell>((c) => ({
      section: 'proactive',
      rowField: r.field,
      columnField: r.shape === 'documents' ? c.field : null,
      path: r.shape === 'documents' ? `proactive.${r.field}.${c.field}` : `proactive.${r.field}`,
      sqlColumn: `p_${r.key}__${c.key}`,
      kind: c.kind,
      aggregation: c.aggregation,
      labelZh: `${sectionNumber.active_disclosure}、${r.groupZh} ${r.zh} / ${c.zh}`,
    })),
  ),
  ...applicationLeafRows.flatMap((r) =>
    applicantColumns.map<Cell>((c) => ({
      section: 'applications',
      rowField: r.field,
      columnField: c.field,
      path: `applications.${r.field}.${c.field}`,
      sqlColumn: `a_${r.key}__${c.key}`,
      kind: 'count',
      aggregation: r.aggregation,
      labelZh: `${r.labelZh} / ${c.zh}`,
    })),
  ),
  ...caseBlocks.flatMap((b) =>
    caseColumns.map<Cell>((c) => ({
      section: 'reviewLitigation',
      rowField: b.field,
      columnField: c.field,
      path: `reviewLitigation.${b.field}.${c.field}`,
      sqlColumn: `r_${b.key}__${c.key}`,
      kind: 'count',
      aggregation: c.aggregation,
      labelZh: `${sectionNumber.review_litigation}、${b.zh} / ${c.zh}`,
    })),
  ),
];

export const cellByPath = new Map(cells.map((c) => [c.path, c]));

const cellPositions = new Map(cells.map((c, i) => [c.path, i]));
/** A cell's position in `cells` (and in every list of figures in catalogue order); an error for a path not there. */
export function cellIndexOf(path: string): number {
  const i = cellPositions.get(path);
  if (i === undefined) throw new Error(`no cell ${path} in the catalogue`);
  return i;
}
/** The positions of the amount cells (万元, exact decimals); every other cell is a count. */
export const amountCellIndexes = cells.flatMap((c, i) => (c.kind === 'amount' ? [i] : []));

/** Labels of derived (total) cells, for error messages about a given total. */
export function derivedLabel(path: string): string {
  const [section, row, column] = path.split('.');
  if (section === 'applications') {
    const r = applicationRows.find((x) => x.field === row)!;
    const col = column === 'total' ? applicantTotalColumn.zh : applicantColumns.find((c) => c.field === column)!.zh;
    return `${r.labelZh} / ${col}`;
  }
  if (section === 'reviewLitigation') {
    const b = caseBlocks.find((x) => x.field === row)!;
    return `${sectionNumber.review_litigation}、${b.zh} / ${caseTotalColumn.zh}`;
  }
  return cellByPath.get(path)?.labelZh ?? path;
}

export const formatInfo = {
  version: format.version,
  titleZh: format.title_zh,
  documentNumber: format.document_number,
  identities: format.identities,
  derivedMetrics: format.derived_metrics,
};

// ---------------------------------------------------------------- the shape of report-format.json that is read here

interface ReportFormatJson {
  version: string;
  title_zh: string;
  document_number: string;
  sections: { key: string; number: string; zh: string }[];
  tables: {
    sec2_active_disclosure: {
      groups: { key: string; zh: string; columns: { key: string; zh: string; type: string }[]; rows: { key: string; zh: string; en: string }[] }[];
    };
    sec3_applications: {
      columns: { key: string; zh: string; en: string }[];
      rows: { key: string; zh: string; en: string; kind: 'leaf' | 'group' | 'total'; parent?: string; label_number: string }[];
    };
    sec4_review_litigation: {
      blocks: { key: string; zh: string; en: string }[];
      columns: { key: string; zh: string; en: string }[];
    };
  };
  identities: { id: string; severity: 'error' | 'warning' | 'info'; expr: string }[];
  derived_metrics: { key: string; zh: string; expr: string }[];
}
