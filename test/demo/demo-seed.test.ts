import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applicantColumns, outcomeRows } from '../../src/format/catalogue.js';
import { checkIdentities } from '../../src/format/identities.js';
import { listOfValues } from '../../src/format/figures.js';
import { DEMO_YEARS, DemoSeeder } from '../../seeds/DemoSeeder.js';
import { FigureSeries, profileFor } from '../../seeds/synthetic-figures.js';
import { UnitKind } from '../../src/units/unit-kind.js';
import { verifyRollups } from '../../src/rollups/verify.js';
import { createTestDatabase, testLogger, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await new DemoSeeder(testLogger).run(db.orm.em.fork());
}, 300_000);
afterAll(() => db.drop());

const count = async (sql: string, params: unknown[] = []) => Number((await db.sql<{ n: string }>(sql, params))[0].n);

describe('the demo city 清远市', () => {
  it('has its eight county-level units and the real township-level units beneath them', async () => {
    const children = await db.sql<{ code: string; name: string }>(
      `select c.code, c.name from unit c join unit p on p.id = c.parent_id where p.code = '441800' order by c.code`,
    );
    expect(children.map((c) => c.name)).toEqual(['清城区', '清新区', '佛冈县', '阳山县', '连山壮族瑶族自治县', '连南瑶族自治县', '英德市', '连州市']);
    const townships = await count(
      `select count(*) as n from unit_closure c join unit u on u.id = c.descendant_id
       where c.ancestor_id = (select id from unit where code = '441800') and c.depth = 2 and u.kind <> 'DEPARTMENT'`,
    );
    expect(townships).toBe(92); // the NBS 2022 code set lists 92 township-level units in 清远市
    expect(await count(`select count(*) as n from unit where code = '441803102' and name = '太和镇'`)).toBe(1);
  });

  it('gives every unit below the province 24 months of figures in which every identity holds', async () => {
    const units = await count(`select count(*) as n from unit where kind <> 'PROVINCE'`);
    const monthly = await count(`select count(*) as n from report where month is not null`);
    // A couple of townships have not sent their last two months (for completeness to find).
    expect(monthly).toBeLessThan(units * DEMO_YEARS.length * 12);
    expect(monthly).toBeGreaterThanOrEqual(units * DEMO_YEARS.length * 12 - 8);
    // APP_BALANCE and non-negativity checked once more in SQL over every stored revision, column by column.
    const balance = applicantColumns
      .map((c) => {
        const col = (row: string) => `a_${row}__${c.key}`;
        const results = outcomeRows.map((r) => col(r.key)).join(' + ');
        return `${col('new_received')} + ${col('carried_over')} <> ${results} + ${col('carried_forward')}`;
      })
      .join(' or ');
    expect(await count(`select count(*) as n from report_revision where ${balance}`)).toBe(0);
    expect(await count(`select count(*) as n from report_revision where warnings <> '[]'::jsonb`)).toBe(0);
    expect(await count(`select count(*) as n from report_revision where a_new_received__natural_person > 0`)).toBeGreaterThan(100);
  });

  it('has its pre-aggregated rollups in step with the reports', async () => {
    const result = await verifyRollups(db.orm.em.fork());
    expect(result.rowsChecked).toBeGreaterThan(1000);
    expect(result.differences).toBe(0);
  });

  it('holds the 2017 annual report of 太和镇 as published: no applications, reviews or lawsuits', async () => {
    const [row] = await db.sql<Record<string, unknown>>(
      `select v.* from report r join unit u on u.id = r.unit_id join report_revision v on v.report_id = r.id
       where u.code = '441803102' and r.year = 2017 and r.month is null`,
    );
    expect(row.a_new_received__natural_person).toBe(0);
    expect(row.r_admin_review__upheld).toBe(0);
    expect((row.submitted as { source: string }).source).toMatch(/太和镇2017年度/);
  });
});

describe('the demo submissions', () => {
  it('came in at realistic times: most by the 10th of the next month, some late', async () => {
    const late = await count(
      `select count(*) as n from report r join report_revision v on v.report_id = r.id
       where r.month is not null and v.submitted_at > ((make_date(r.year, r.month, 1) + interval '1 month')::date + 10)::timestamp at time zone 'Asia/Shanghai'`,
    );
    const all = await count(`select count(*) as n from report where month is not null`);
    expect(late / all).toBeGreaterThan(0.05);
    expect(late / all).toBeLessThan(0.3);
  });

  it('include 清新区’s published 2025 area-wide report, two grants above the sum of its units', async () => {
    const [row] = await db.sql<Record<string, number>>(
      `select v.a_granted__natural_person from report r join unit u on u.id = r.unit_id join report_revision v on v.report_id = r.id
       where u.code = '441803' and r.year = 2025 and r.month is null and r.scope = 'AGGREGATE'`,
    );
    const [sum] = await db.sql<{ n: string }>(
      `select sum(v.a_granted__natural_person) as n from unit_closure c join report r on r.unit_id = c.descendant_id
       join report_revision v on v.report_id = r.id where c.ancestor_id = (select id from unit where code = '441803')
       and r.year = 2025 and r.month is not null and r.scope = 'SELF'`,
    );
    expect(row.a_granted__natural_person).toBe(Number(sum.n) + 2);
  });
});

describe('the synthetic figure series', () => {
  it('is deterministic and balanced month after month, with continuous carry-overs', () => {
    const a = new FigureSeries('441802', profileFor(UnitKind.DISTRICT, '441802'));
    const b = new FigureSeries('441802', profileFor(UnitKind.DISTRICT, '441802'));
    let previous: ReturnType<FigureSeries['next']> | null = null;
    for (let m = 0; m < 36; m++) {
      const month = a.next();
      expect(b.next()).toEqual(month);
      expect(checkIdentities({ list: listOfValues(month), givenTotals: new Map() })).toEqual([]);
      if (previous) expect(month['applications.carriedOver.naturalPerson']).toBe(previous['applications.carriedForward.naturalPerson']);
      previous = month;
    }
  });
});
