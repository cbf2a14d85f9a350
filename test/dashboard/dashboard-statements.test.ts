import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertMonthlyReports, insertTree } from '../rankings/bulk.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

const QUERY = `query($unitCode: String!) {
  dashboard(unitCode: $unitCode, year: 2025) {
    unit { code name }
    current { figures { applications { newReceived { total } } } rates { disclosureRate { value } } }
    previous { figures { applications { newReceived { total } } } }
    headline { metric value previous change changeRatio }
    trend { period { label } newReceived reportingUnits disclosureRate { value } }
    children { unit { code name parent { code } } metricValue figures { applications { resultsTotal { total } } } }
    top { unit { code } metricValue }
    bottom { unit { code } metricValue }
    completeness { units expected onTime late missing }
    warnings { reportsWithWarnings byIdentity { identity count } }
  }
}`;

describe('the cost of a dashboard', () => {
  it('is the same bounded number of SQL statements for 21 units and for 253', async () => {
    expect(await insertTree(hub, '4201', 2, 9)).toBe(21);
    expect(await insertTree(hub, '4202', 12, 20)).toBe(253);
    for (const root of ['420100', '420200']) {
      for (const month of [1, 2, 3]) await insertMonthlyReports(hub, root, 2025, month);
      await insertMonthlyReports(hub, root, 2024, 12);
    }

    const small = await hub.gql(QUERY, { unitCode: '420100' });
    const large = await hub.gql(QUERY, { unitCode: '420200' });
    const s = dataOf(small).dashboard;
    const l = dataOf(large).dashboard;
    expect(s.children).toHaveLength(2);
    expect(l.children).toHaveLength(12);
    expect(l.children[0].unit.parent).toEqual({ code: '420200' });
    expect(l.top).toHaveLength(5);
    expect(l.bottom).toHaveLength(5);
    expect(l.trend.map((p: { reportingUnits: number }) => p.reportingUnits)).toEqual([253, 253, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.trend[0].reportingUnits).toBe(21);
    // bulk-loaded today, long after the 2025 deadlines: 3 late months per unit, 9 missing
    expect(l.completeness).toMatchObject({ units: 253, expected: 3036, onTime: 0, late: 759, missing: 2277 });
    expect(s.completeness).toMatchObject({ units: 21, expected: 252, onTime: 0, late: 63, missing: 189 });

    for (const answer of [small, large]) {
      expect(answer.extensions?.sqlStatements).toBeGreaterThan(0);
      expect(answer.extensions?.sqlStatements).toBeLessThanOrEqual(12);
    }
  });
});
