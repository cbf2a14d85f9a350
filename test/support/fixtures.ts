/** Records the tests create through the public API. */
import { dataOf, type TestHub } from './test-hub.js';

export interface UnitSpec {
  code: string;
  name: string;
  kind: string;
  parentCode?: string | null;
}

export const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { id code name kind } }`;

export async function createUnits(hub: TestHub, units: UnitSpec[]): Promise<void> {
  for (const input of units) dataOf(await hub.gql(CREATE_UNIT, { input }));
}

/** 清远市 with two counties, a few townships and a department: a small real tree for most tests. */
export const smallTree: UnitSpec[] = [
  { code: '441800', name: '清远市', kind: 'PREFECTURE' },
  { code: '441802', name: '清城区', kind: 'DISTRICT', parentCode: '441800' },
  { code: '441803', name: '清新区', kind: 'DISTRICT', parentCode: '441800' },
  { code: '441802001', name: '凤城街道', kind: 'SUBDISTRICT', parentCode: '441802' },
  { code: '441802100', name: '源潭镇', kind: 'TOWN', parentCode: '441802' },
  { code: '441803102', name: '太和镇', kind: 'TOWN', parentCode: '441803' },
  { code: '441803104', name: '太平镇', kind: 'TOWN', parentCode: '441803' },
  { code: 'D441802001', name: '清远市清城区教育局', kind: 'DEPARTMENT', parentCode: '441802' },
];

/** A balanced set of figures: every identity holds in every row and column. */
export function sampleFigures(): Record<string, any> {
  return {
    proactive: {
      rules: { issued: 1, repealed: 0, inForce: 10 },
      normativeDocuments: { issued: 2, repealed: 1, inForce: 30 },
      administrativeLicensing: 100,
      administrativePenalty: 20,
      administrativeCoercion: 3,
      administrativeFees: '96171.6',
    },
    applications: {
      newReceived: { naturalPerson: 10, commercialEnterprise: 2 },
      carriedOver: { naturalPerson: 3 },
      granted: { naturalPerson: 6, commercialEnterprise: 1 },
      partiallyGranted: { naturalPerson: 2 },
      deniedStateSecret: { naturalPerson: 1 },
      unableNotHeld: { naturalPerson: 2, commercialEnterprise: 1 },
      carriedForward: { naturalPerson: 2 },
    },
    reviewLitigation: {
      adminReview: { upheld: 2, corrected: 1, otherOutcome: 0, pending: 1 },
      litigationDirect: { upheld: 1 },
    },
  };
}

/** Balanced figures that differ by a seed, with opening and closing balances that change from month to month. */
export function seededFigures(seed: number): Record<string, any> {
  const f = sampleFigures();
  f.applications.newReceived.naturalPerson += seed;
  f.applications.granted.naturalPerson += seed;
  f.applications.carriedOver = { naturalPerson: 3 + (seed % 4) };
  f.applications.carriedForward = { naturalPerson: 2 + (seed % 4) };
  f.proactive.normativeDocuments.inForce = 30 + seed;
  f.proactive.administrativeFees = `${seed}.${seed}01`;
  f.reviewLitigation.adminReview.pending = seed % 3;
  return f;
}

export const SUBMIT = `mutation($input: SubmitReportInput!) {
  submitReport(input: $input) { replacedRevision warnings { identity path expected actual } report { id revision period { label } } }
}`;

export const REPORT = `query($unitCode: String!, $period: PeriodInput!, $scope: ReportScope) {
  report(unitCode: $unitCode, period: $period, scope: $scope) {
    id revision scope period { kind year month label }
    warnings { identity path label expected actual message }
    figures {
      proactive { rules { issued repealed inForce } normativeDocuments { issued repealed inForce } administrativeLicensing administrativePenalty administrativeCoercion administrativeFees }
      applications {
        newReceived { naturalPerson commercialEnterprise total } carriedOver { naturalPerson total }
        granted { naturalPerson total } denied { naturalPerson total } unable { total } notProcessed { total } otherHandling { total }
        resultsTotal { naturalPerson commercialEnterprise total } carriedForward { naturalPerson total }
      }
      reviewLitigation { adminReview { upheld corrected otherOutcome pending total } litigationDirect { total } litigationAfterReview { total } }
    }
  }
}`;
