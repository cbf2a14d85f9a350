import { registerEnumType } from 'type-graphql';

/** DRAFT → SUBMITTED → APPROVED, or RETURNED (with a reason) and submitted again; an APPROVED report is locked. */
export enum ReportStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  RETURNED = 'RETURNED',
}

registerEnumType(ReportStatus, {
  name: 'ReportStatus',
  valuesConfig: {
    DRAFT: { description: '草稿: saved, not submitted; counts nowhere' },
    SUBMITTED: { description: '已报送: awaiting review; counts on the SUBMITTED basis' },
    APPROVED: { description: '已审核: locked until the reviewer reopens it; counts on both bases' },
    RETURNED: { description: '已退回: sent back with a reason (or reopened) for correction' },
  },
});

/** Which figures a rollup, ranking or dashboard counts. */
export enum Basis {
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
}

registerEnumType(Basis, {
  name: 'Basis',
  valuesConfig: {
    SUBMITTED: { description: 'The latest submitted figures of every report, approved or not' },
    APPROVED: { description: 'Only figures a reviewer approved (the latest approved revision of each report)' },
  },
});

/** The report column holding the revision each basis counts. */
export const basisColumn = (basis: Basis) => (basis === Basis.APPROVED ? 'approved_revision' : 'submitted_revision');
