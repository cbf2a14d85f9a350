import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, sampleFigures, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';
import { accepted, readReport, storedRevisions, submit, type Period, type Scope } from './report-helpers.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

const UNIT = '441802';
const MARCH: Period = { year: 2024, month: 3 };
/** The sample with one more application granted to a natural person, and so one fewer carried forward. */
function corrected(): Record<string, any> {
  const f = sampleFigures();
  f.applications.granted.naturalPerson = 7;
  f.applications.carriedForward.naturalPerson = 1;
  return f;
}

const REVISIONS = `query($unitCode: String!, $period: PeriodInput!, $scope: ReportScope) {
  report(unitCode: $unitCode, period: $period, scope: $scope) {
    id revision scope
    revisions { revision submittedAt figures { applications { granted { naturalPerson total } carriedForward { naturalPerson } } } }
  }
}`;
const revisionsOf = async (period: Period, scope?: Scope, unitCode = UNIT) =>
  dataOf(await hub.gql(REVISIONS, { unitCode, period, ...(scope ? { scope } : {}) })).report;

describe('re-submitting a report', () => {
  beforeAll(async () => {
    const first = await accepted(hub, UNIT, MARCH, sampleFigures());
    expect(first).toMatchObject({ replacedRevision: null, report: { revision: 1 } });
  });

  it('makes revision 2, which replaces revision 1', async () => {
    const second = await accepted(hub, UNIT, MARCH, corrected());
    expect(second).toMatchObject({ replacedRevision: 1, report: { revision: 2, period: { label: '2024年3月' } } });
  });

  it('answers `report` with the new figures', async () => {
    const report = await readReport(hub, UNIT, MARCH);
    expect(report.revision).toBe(2);
    expect(report.figures.applications.granted).toEqual({ naturalPerson: 7, total: 8 });
    expect(report.figures.applications.carriedForward).toEqual({ naturalPerson: 1, total: 1 });
  });

  it('lists both revisions, oldest first, each with its own figures', async () => {
    const report = await revisionsOf(MARCH);
    expect(report.revisions.map((r: any) => r.revision)).toEqual([1, 2]);
    expect(report.revisions[0].figures.applications).toEqual({ granted: { naturalPerson: 6, total: 7 }, carriedForward: { naturalPerson: 2 } });
    expect(report.revisions[1].figures.applications).toEqual({ granted: { naturalPerson: 7, total: 8 }, carriedForward: { naturalPerson: 1 } });
    expect(Date.parse(report.revisions[0].submittedAt)).toBeLessThanOrEqual(Date.parse(report.revisions[1].submittedAt));
  });

  it('keeps both rows in report_revision, and the report points at the second', async () => {
    const rows = await storedRevisions(hub, UNIT, MARCH);
    expect(rows.map((r) => [r.revision, r.a_granted__natural_person, r.a_carried_forward__natural_person])).toEqual([
      [1, 6, 2],
      [2, 7, 1],
    ]);
    const [report] = await hub.db.sql(`select current_revision from report where id = $1`, [rows[0].report_id]);
    expect(report.current_revision).toBe(2);
  });

  it('cannot be undone behind the API’s back: the database refuses to update or delete a revision', async () => {
    const [{ id }] = await storedRevisions(hub, UNIT, MARCH);
    await expect(hub.db.sql(`update report_revision set a_granted__natural_person = 99 where id = $1`, [id])).rejects.toThrow(/immutable/);
    await expect(hub.db.sql(`delete from report_revision where id = $1`, [id])).rejects.toThrow(/immutable/);
    const rows = await storedRevisions(hub, UNIT, MARCH);
    expect(rows.map((r) => r.a_granted__natural_person)).toEqual([6, 7]);
  });
});

describe('separate reports', () => {
  it('keeps a monthly and an annual report of the same unit and year apart', async () => {
    const unit = '441802001';
    await accepted(hub, unit, { year: 2023, month: 5 }, sampleFigures());
    const annual = await accepted(hub, unit, { year: 2023 }, corrected());
    expect(annual).toMatchObject({ replacedRevision: null, report: { revision: 1, period: { label: '2023年' } } });

    const month = await readReport(hub, unit, { year: 2023, month: 5 });
    const year = await readReport(hub, unit, { year: 2023 });
    expect(month).toMatchObject({ revision: 1, period: { kind: 'MONTH', month: 5 } });
    expect(year).toMatchObject({ revision: 1, period: { kind: 'YEAR', month: null } });
    expect(month.id).not.toBe(year.id);
    expect(month.figures.applications.granted.naturalPerson).toBe(6);
    expect(year.figures.applications.granted.naturalPerson).toBe(7);
  });

  it('keeps a SELF and an AGGREGATE report of the same period apart', async () => {
    const unit = '441803';
    const period = { year: 2023, month: 6 };
    await accepted(hub, unit, period, sampleFigures());
    const aggregate = await accepted(hub, unit, period, corrected(), 'AGGREGATE');
    expect(aggregate).toMatchObject({ replacedRevision: null, report: { revision: 1 } });

    const self = await readReport(hub, unit, period);
    const area = await readReport(hub, unit, period, 'AGGREGATE');
    expect(self).toMatchObject({ scope: 'SELF', revision: 1 });
    expect(area).toMatchObject({ scope: 'AGGREGATE', revision: 1 });
    expect(self.id).not.toBe(area.id);
    expect(self.figures.applications.granted.naturalPerson).toBe(6);
    expect(area.figures.applications.granted.naturalPerson).toBe(7);
    expect(await storedRevisions(hub, unit, period, 'SELF')).toHaveLength(1);
    expect(await storedRevisions(hub, unit, period, 'AGGREGATE')).toHaveLength(1);
  });
});

describe('concurrent submissions of one report', () => {
  it('all succeed, each with its own revision number, and the last one is in force', async () => {
    const unit = '441803102';
    const period = { year: 2024, month: 1 };
    const figures = (i: number) => {
      const f = sampleFigures();
      f.proactive.administrativeLicensing = 100 + i; // tells the submissions apart
      return f;
    };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => submit(hub, unit, period, figures(i))));
    const payloads = answers.map((a) => dataOf(a).submitReport);
    expect(payloads.map((p) => p.report.revision).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const p of payloads) expect(p.replacedRevision).toBe(p.report.revision === 1 ? null : p.report.revision - 1);

    const report = await readReport(hub, unit, period);
    expect(report.revision).toBe(8);
    const rows = await storedRevisions(hub, unit, period);
    expect(rows.map((r) => r.revision)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // the figures in force are those of the submission that got revision 8
    const last = payloads.findIndex((p) => p.report.revision === 8);
    expect(report.figures.proactive.administrativeLicensing).toBe(100 + last);
    expect(new Set(rows.map((r) => r.p_administrative_licensing__decisions)).size).toBe(8);
  });
});
