/** The rollup query and small builders for hand-written expectations (totals are written out, never summed here). */
import { dataOf, type TestHub } from '../support/test-hub.js';

const AC = '{ naturalPerson commercialEnterprise researchInstitution publicInterestOrg legalServiceOrg otherOrg total }';
const CO = '{ upheld corrected otherOutcome pending total }';
const RATE = '{ numerator denominator value }';

export const FIGURES = `figures {
  proactive { rules { issued repealed inForce } normativeDocuments { issued repealed inForce }
    administrativeLicensing administrativePenalty administrativeCoercion administrativeFees }
  applications {
    newReceived ${AC} carriedOver ${AC} granted ${AC} partiallyGranted ${AC} deniedStateSecret ${AC} unableNotHeld ${AC}
    notProcessedDuplicate ${AC} otherOther ${AC} denied ${AC} unable ${AC} notProcessed ${AC} otherHandling ${AC}
    resultsTotal ${AC} carriedForward ${AC}
  }
  reviewLitigation { adminReview ${CO} litigationDirect ${CO} litigationAfterReview ${CO} }
}`;

export const RATES = `rates {
  disclosureRate ${RATE} fullDisclosureRate ${RATE} denialRate ${RATE} carryForwardRate ${RATE}
  reviewCorrectionRate ${RATE} reviewCorrectionRateOfAll ${RATE} litigationCorrectionRate ${RATE} litigationCorrectionRateOfAll ${RATE}
  disputeRate ${RATE}
}`;

export const ROLLUP = `query($unitCode: String!, $period: PeriodInput!) {
  rollup(unitCode: $unitCode, period: $period) {
    unit { code } period { kind label }
    ${FIGURES}
    ${RATES}
    sources { unitsInSubtree annualReportUnits monthlyReportUnits unitMonths unitsWithoutFigures aggregateReportsExcluded }
    published { matches differences { path label published computed difference } ${FIGURES} }
  }
}`;

export async function rollupOf(hub: TestHub, unitCode: string, period: { year: number; month?: number; quarter?: number }): Promise<any> {
  return dataOf(await hub.gql(ROLLUP, { unitCode, period })).rollup;
}

export interface ApplicantCounts {
  naturalPerson: number;
  commercialEnterprise: number;
  researchInstitution: number;
  publicInterestOrg: number;
  legalServiceOrg: number;
  otherOrg: number;
  total: number;
}

/** An ApplicantCounts row: the given columns, zeros elsewhere, and the total as written by the test. */
export function counts(columns: Partial<Omit<ApplicantCounts, 'total'>>, total: number): ApplicantCounts {
  return { naturalPerson: 0, commercialEnterprise: 0, researchInstitution: 0, publicInterestOrg: 0, legalServiceOrg: 0, otherOrg: 0, ...columns, total };
}

/** A CaseOutcomes block with its total as written by the test. */
export function cases(upheld: number, corrected: number, otherOutcome: number, pending: number, total: number) {
  return { upheld, corrected, otherOutcome, pending, total };
}

export const COLUMNS = ['naturalPerson', 'commercialEnterprise', 'researchInstitution', 'publicInterestOrg', 'legalServiceOrg', 'otherOrg', 'total'] as const;

/** Balanced monthly figures from [carriedOver, newReceived, carriedForward] per applicant column; everything decided is granted. */
export function flows(spec: {
  np?: [number, number, number];
  ce?: [number, number, number];
  issued?: number;
  inForce?: number;
  pending?: number;
  upheld?: number;
  fee?: string;
}): Record<string, any> {
  const [npOver, npNew, npForward] = spec.np ?? [0, 0, 0];
  const [ceOver, ceNew, ceForward] = spec.ce ?? [0, 0, 0];
  return {
    proactive: { normativeDocuments: { issued: spec.issued ?? 0, repealed: 0, inForce: spec.inForce ?? 0 }, administrativeFees: spec.fee ?? '0' },
    applications: {
      newReceived: { naturalPerson: npNew, commercialEnterprise: ceNew },
      carriedOver: { naturalPerson: npOver, commercialEnterprise: ceOver },
      granted: { naturalPerson: npOver + npNew - npForward, commercialEnterprise: ceOver + ceNew - ceForward },
      carriedForward: { naturalPerson: npForward, commercialEnterprise: ceForward },
    },
    reviewLitigation: { adminReview: { upheld: spec.upheld ?? 0, pending: spec.pending ?? 0 } },
  };
}
