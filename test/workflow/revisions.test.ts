/**
 * Revisions under concurrency and retries, and the history of a report: a submission based on a stale revision is a
 * CONFLICT; a retried request with the same idempotency key writes once and answers the first result; every step
 * is an immutable event naming who took it, from which state, and what changed cell by cell.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';
import { codeOf, figures, review, stateOf, storedCounts, write, type Month } from './workflow-helpers.js';

let hub: TestHub;
let submitter: string;
const UNIT = '441802001';

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  submitter = await hub.tokenFor(UNIT, 'SUBMITTER');
});
afterAll(() => hub.close());

const submit = (period: Month, k: number, extra: { baseRevision?: number; idempotencyKey?: string } = {}, token = submitter, unit = UNIT) =>
  write(hub, token, 'submitReport', unit, period, figures(k), extra);

describe('a submission based on a stale revision', () => {
  const JAN = { year: 2024, month: 1 };

  it('is refused with CONFLICT naming the current revision, and nothing is saved', async () => {
    expect(dataOf(await submit(JAN, 0)).submitReport.report.revision).toBe(1);
    expect(dataOf(await submit(JAN, 1, { baseRevision: 1 })).submitReport).toMatchObject({ replacedRevision: 1, report: { revision: 2 } });
    const stale = await submit(JAN, 2, { baseRevision: 1 });
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.errors![0].extensions).toMatchObject({ baseRevision: 1, currentRevision: 2 });
    expect(stale.data?.submitReport ?? null).toBeNull();
    expect(await storedCounts(hub, UNIT, JAN)).toEqual({ revisions: 2, events: 2 });
    expect(await stateOf(hub, UNIT, JAN)).toMatchObject({ revision: 2, figures: { applications: { newReceived: { total: 13 } } } });
  });

  it('based on the current revision it is accepted', async () => {
    expect(dataOf(await submit(JAN, 2, { baseRevision: 2 })).submitReport.report.revision).toBe(3);
  });
});

describe('a retried submission with the same idempotency key', () => {
  it('sent twice writes one revision, and both answers name it', async () => {
    const FEB = { year: 2024, month: 2 };
    const first = dataOf(await submit(FEB, 0, { idempotencyKey: 'feb-2024-a' })).submitReport;
    const second = dataOf(await submit(FEB, 0, { idempotencyKey: 'feb-2024-a' })).submitReport;
    expect(first).toMatchObject({ replacedRevision: null, report: { revision: 1 } });
    expect(second).toEqual(first);
    expect(await storedCounts(hub, UNIT, FEB)).toEqual({ revisions: 1, events: 1 });
  });

  it('sent five times at once writes one revision, and every answer names it', async () => {
    const MAR = { year: 2024, month: 3 };
    const answers = await Promise.all(Array.from({ length: 5 }, () => submit(MAR, 4, { idempotencyKey: 'mar-2024-a' })));
    const revisions = answers.map((a) => dataOf(a).submitReport.report.revision);
    expect(revisions).toEqual([1, 1, 1, 1, 1]);
    expect(await storedCounts(hub, UNIT, MAR)).toEqual({ revisions: 1, events: 1 });
  });

  it('sent five times at once on a report with revisions already writes one more', async () => {
    const MAR = { year: 2024, month: 3 };
    const answers = await Promise.all(Array.from({ length: 5 }, () => submit(MAR, 6, { idempotencyKey: 'mar-2024-b' })));
    expect(answers.map((a) => dataOf(a).submitReport.report.revision)).toEqual([2, 2, 2, 2, 2]);
    expect(await storedCounts(hub, UNIT, MAR)).toEqual({ revisions: 2, events: 2 });
  });

  it('answers the first result even after a later revision, without writing', async () => {
    const APR = { year: 2024, month: 4 };
    dataOf(await submit(APR, 0, { idempotencyKey: 'apr-2024-a' }));
    dataOf(await submit(APR, 1));
    expect(dataOf(await submit(APR, 0, { idempotencyKey: 'apr-2024-a' })).submitReport.report.revision).toBe(1);
    expect(await storedCounts(hub, UNIT, APR)).toEqual({ revisions: 2, events: 2 });
    expect((await stateOf(hub, UNIT, APR)).revision).toBe(2);
  });

  it('with different figures, or for another report, is a CONFLICT and saves nothing', async () => {
    const MAY = { year: 2024, month: 5 };
    dataOf(await submit(MAY, 0, { idempotencyKey: 'may-2024-a' }));
    const changed = await submit(MAY, 3, { idempotencyKey: 'may-2024-a' });
    expect(codeOf(changed)).toBe('CONFLICT');
    expect(changed.errors![0].extensions.idempotencyKey).toBe('may-2024-a');
    expect(codeOf(await submit({ year: 2024, month: 6 }, 0, { idempotencyKey: 'may-2024-a' }))).toBe('CONFLICT');
    expect(await storedCounts(hub, UNIT, MAY)).toEqual({ revisions: 1, events: 1 });
    expect(await storedCounts(hub, UNIT, { year: 2024, month: 6 })).toEqual({ revisions: 0, events: 0 });
  });

  it('longer than the 200 characters a key may have is refused as BAD_USER_INPUT, and nothing is saved', async () => {
    const SEP = { year: 2024, month: 9 };
    const res = await submit(SEP, 0, { idempotencyKey: 'k'.repeat(201) });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(await storedCounts(hub, UNIT, SEP)).toEqual({ revisions: 0, events: 0 });
  });

  it('is the sender’s own: another unit’s submitter may use the same key for its own report', async () => {
    const JUL = { year: 2024, month: 7 };
    const other = await hub.tokenFor('441802100', 'SUBMITTER');
    dataOf(await submit(JUL, 0, { idempotencyKey: 'jul-2024' }));
    expect(dataOf(await submit(JUL, 0, { idempotencyKey: 'jul-2024' }, other, '441802100')).submitReport.report.revision).toBe(1);
    expect(await storedCounts(hub, '441802100', JUL)).toEqual({ revisions: 1, events: 1 });
  });
});

describe('the history of a report', () => {
  const AUG = { year: 2024, month: 8 };
  const HISTORY = `query($p: PeriodInput!) { report(unitCode: "${UNIT}", period: $p) {
    history { seq at action fromStatus toStatus revision actor { unitCode role } reason changes { path label before after } } } }`;
  let history: any[];

  beforeAll(async () => {
    const reviewer = await hub.tokenFor('441802', 'REVIEWER');
    const cityAdmin = await hub.tokenFor('441800', 'ADMIN');
    dataOf(await write(hub, submitter, 'saveDraft', UNIT, AUG, figures(0)));
    dataOf(await write(hub, submitter, 'submitReport', UNIT, AUG, figures(5)));
    dataOf(await review(hub, reviewer, 'returnReport', UNIT, AUG, { reason: '请核对收费金额' }));
    const third = figures(5);
    third.proactive.administrativeFees = '100.5';
    dataOf(await write(hub, cityAdmin, 'submitReport', UNIT, AUG, third));
    dataOf(await review(hub, reviewer, 'approveReport', UNIT, AUG, { revision: 3 }));
    history = dataOf(await hub.gql(HISTORY, { p: AUG }, submitter)).report.history;
  });

  it('lists every step in order, with who took it, from which state to which, and on which revision', () => {
    expect(history.map(({ seq, action, fromStatus, toStatus, revision, actor, reason }) => ({ seq, action, fromStatus, toStatus, revision, actor, reason }))).toEqual([
      { seq: 1, action: 'SAVE_DRAFT', fromStatus: null, toStatus: 'DRAFT', revision: 1, actor: { unitCode: UNIT, role: 'SUBMITTER' }, reason: null },
      { seq: 2, action: 'SUBMIT', fromStatus: 'DRAFT', toStatus: 'SUBMITTED', revision: 2, actor: { unitCode: UNIT, role: 'SUBMITTER' }, reason: null },
      { seq: 3, action: 'RETURN', fromStatus: 'SUBMITTED', toStatus: 'RETURNED', revision: 2, actor: { unitCode: '441802', role: 'REVIEWER' }, reason: '请核对收费金额' },
      { seq: 4, action: 'SUBMIT', fromStatus: 'RETURNED', toStatus: 'SUBMITTED', revision: 3, actor: { unitCode: '441800', role: 'ADMIN' }, reason: null },
      { seq: 5, action: 'APPROVE', fromStatus: 'SUBMITTED', toStatus: 'APPROVED', revision: 3, actor: { unitCode: '441802', role: 'REVIEWER' }, reason: null },
    ]);
    const times = history.map((e) => Date.parse(e.at));
    expect(times.every((t, i) => Number.isFinite(t) && (i === 0 || t >= times[i - 1]))).toBe(true);
  });

  it('shows the first revision as every non-zero cell changed from zero', () => {
    const first = history[0].changes;
    expect(first).toHaveLength(23);
    expect(first).toContainEqual({ path: 'applications.newReceived.naturalPerson', label: expect.stringContaining('自然人'), before: '0', after: '10' });
    expect(first).toContainEqual(expect.objectContaining({ path: 'proactive.administrativeFees', before: '0', after: '96171.6' }));
    expect(first.some((c: any) => c.path === 'applications.deniedProhibitedByLaw.naturalPerson')).toBe(false);
  });

  it('shows a later revision as exactly the cells it changed, with their values before and after', () => {
    expect(history[1].changes).toEqual([
      { path: 'applications.newReceived.naturalPerson', label: '一、本年新收政府信息公开申请数量 / 自然人', before: '10', after: '15' },
      { path: 'applications.carriedForward.naturalPerson', label: expect.stringContaining('自然人'), before: '2', after: '7' },
    ]);
    expect(history[3].changes).toEqual([{ path: 'proactive.administrativeFees', label: expect.any(String), before: '96171.6', after: '100.5' }]);
  });

  it('shows no cell changes for a return or an approval', () => {
    expect(history[2].changes).toEqual([]);
    expect(history[4].changes).toEqual([]);
  });

  it('keeps no second copy of the changes of a step that wrote a revision: they are derived from the revisions', async () => {
    const stored = await hub.db.sql<{ action: string; changes: unknown }>(
      `select e.action, e.changes from report_event e join report r on r.id = e.report_id join unit u on u.id = r.unit_id
       where u.code = $1 and r.year = $2 and r.month = $3 order by e.seq`,
      [UNIT, AUG.year, AUG.month],
    );
    expect(stored).toEqual([
      { action: 'SAVE_DRAFT', changes: null },
      { action: 'SUBMIT', changes: null },
      { action: 'RETURN', changes: [] },
      { action: 'SUBMIT', changes: null },
      { action: 'APPROVE', changes: [] },
    ]);
  });

  it('numbers events from the report’s own count, which always equals its last event', async () => {
    const off = await hub.db.sql<{ id: number }>(
      `select r.id from report r left join (select report_id, max(seq) as last from report_event group by report_id) e on e.report_id = r.id
       where r.last_event_seq <> coalesce(e.last, 0)`,
    );
    expect(off).toEqual([]);
    expect((await hub.db.sql<{ n: number }>(`select count(*)::int as n from report where last_event_seq > 0`))[0].n).toBeGreaterThan(5);
  });

  it('shows a copy stored by an event written before the changes were derived exactly as stored', async () => {
    const SEP = { year: 2024, month: 9 };
    dataOf(await submit(SEP, 0));
    const [{ id }] = await hub.db.sql<{ id: number }>(
      `select r.id from report r join unit u on u.id = r.unit_id where u.code = $1 and r.year = $2 and r.month = $3`,
      [UNIT, SEP.year, SEP.month],
    );
    const copy = [{ path: 'applications.newReceived.naturalPerson', label: '一、本年新收政府信息公开申请数量 / 自然人', before: '0', after: '10' }];
    // An event as a hub before 2026-11-25 wrote it: a re-submission with its changes stored (a revision 2 follows).
    await hub.db.sql(
      `insert into report_event (report_id, seq, action, from_status, to_status, revision, actor_unit, actor_role, changes)
       values ($1, 2, 'SUBMIT', 'SUBMITTED', 'SUBMITTED', 2, $2, 'SUBMITTER', $3::jsonb)`,
      [id, UNIT, JSON.stringify(copy)],
    );
    await hub.db.sql(`insert into report_revision (report_id, revision, draft, author_unit, author_role, submitted_at)
      select report_id, 2, draft, author_unit, author_role, now() from report_revision where report_id = $1 and revision = 1`, [id]);
    const events = dataOf(await hub.gql(HISTORY, { p: SEP }, submitter)).report.history;
    expect(events.map((e: any) => e.action)).toEqual(['SUBMIT', 'SUBMIT']);
    expect(events[0].changes).toContainEqual({ path: 'applications.newReceived.naturalPerson', label: expect.any(String), before: '0', after: '10' });
    expect(events[1].changes).toEqual(copy);
  });

  it('cannot be altered behind the API’s back: the database refuses to update, delete or truncate events', async () => {
    const rows = await hub.db.sql<{ id: string }>(`select e.id from report_event e order by e.id limit 1`);
    await expect(hub.db.sql(`update report_event set reason = 'forged', actor_role = 'ADMIN' where id = $1`, [rows[0].id])).rejects.toThrow(/immutable/);
    await expect(hub.db.sql(`delete from report_event where id = $1`, [rows[0].id])).rejects.toThrow(/immutable/);
    await expect(hub.db.sql(`truncate report_event cascade`)).rejects.toThrow(/immutable/);
    const after = dataOf(await hub.gql(HISTORY, { p: AUG })).report.history;
    expect(after).toEqual(history);
  });
});
