/**
 * The write path's unit directory (src/units/unit-directory.ts): a submission names its unit by code, and the
 * process remembers which unit a code names, so a repeated submission costs no statement to find it; a code that
 * named nothing is asked again, because the unit may be created in between.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, sampleFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { unitDirectory } from '../../src/units/unit-directory.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

const submit = (unitCode: string, month: number, token?: string) =>
  hub.gql(SUBMIT, { input: { unitCode, year: 2025, month, figures: sampleFigures() } }, token);

describe('the unit directory of the write path', () => {
  it('looks a unit up once: later submissions to it find it remembered', async () => {
    const directory = unitDirectory(hub.db.orm.em);
    expect(directory.remembers('441803104')).toBe(false);
    dataOf(await submit('441803104', 1));
    expect(directory.remembers('441803104')).toBe(true);
    const resubmit = (code: string) => hub.gql(SUBMIT, { input: { unitCode: code, year: 2025, month: 1, figures: sampleFigures() } });
    // Forgotten, the unit is looked up once more; remembered, not again, also by the 12-digit form of its code.
    directory.forget();
    const before = directory.lookups;
    expect(dataOf(await resubmit('441803104')).submitReport.report.revision).toBe(2);
    expect(directory.lookups).toBe(before + 1);
    expect(dataOf(await resubmit('441803104')).submitReport.report.revision).toBe(3);
    expect(dataOf(await resubmit('441803104000')).submitReport.report.revision).toBe(4);
    expect(directory.lookups).toBe(before + 1);
  });

  it('does not remember a code that named no unit: created afterwards, the unit takes submissions at once', async () => {
    const before = await submit('441803105', 1);
    expect(before.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(unitDirectory(hub.db.orm.em).remembers('441803105')).toBe(false);
    await createUnits(hub, [{ code: '441803105', name: '三坑镇', kind: 'TOWN', parentCode: '441803' }]);
    const after = await submit('441803105', 1);
    expect(dataOf(after).submitReport.report.revision).toBe(1);
  });

  it('still lets a SUBMITTER write only its own unit, remembered or not', async () => {
    const own = await hub.tokenFor('441802100', 'SUBMITTER');
    expect(dataOf(await submit('441802100', 1, own)).submitReport.report.revision).toBe(1);
    // 441803104 is remembered from the first test; 441802001 is not yet.
    for (const other of ['441803104', '441802001']) {
      const refused = await submit(other, 4, own);
      expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    // A token naming a unit that does not exist may submit nowhere: its own code names no unit, and it authenticates
    // nobody for any other.
    const ghost = await hub.tokenFor('441803199', 'SUBMITTER');
    expect((await submit('441803199', 1, ghost)).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await submit('441802100', 2, ghost)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
