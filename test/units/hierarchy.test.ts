import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CREATE_UNIT, createUnits, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

const codes = (units: { code: string }[]) => units.map((u) => u.code);

describe('the unit hierarchy', () => {
  it('answers parent, children, ancestors and descendants of a unit', async () => {
    const { unit } = dataOf(
      await hub.gql(`{ unit(code: "441803102") { name kind parent { code } ancestors { code } descendants { code } } }`),
    );
    expect(unit).toEqual({ name: '太和镇', kind: 'TOWN', parent: { code: '441803' }, ancestors: [{ code: '441800' }, { code: '441803' }], descendants: [] });

    const { unit: city } = dataOf(await hub.gql(`{ unit(code: "441800") { parent { code } children { code } descendants { code } } }`));
    expect(city.parent).toBeNull();
    expect(codes(city.children)).toEqual(['441802', '441803']);
    expect(codes(city.descendants)).toEqual(['441802', '441803', '441802001', '441802100', '441803102', '441803104', 'D441802001']);
  });

  it('filters descendants by kind', async () => {
    const { unit } = dataOf(await hub.gql(`{ unit(code: "441800") { towns: descendants(kinds: [TOWN]) { code } depts: descendants(kinds: [DEPARTMENT, SUBDISTRICT]) { code } } }`));
    expect(codes(unit.towns)).toEqual(['441802100', '441803102', '441803104']);
    expect(codes(unit.depts)).toEqual(['441802001', 'D441802001']);
  });

  it('finds a township by its 12-digit statistical code too', async () => {
    const { unit } = dataOf(await hub.gql(`{ unit(code: "441803102000") { code name } }`));
    expect(unit).toEqual({ code: '441803102', name: '太和镇' });
  });

  it('answers null for a code nobody has', async () => {
    expect(dataOf(await hub.gql(`{ unit(code: "999999") { code } }`)).unit).toBeNull();
  });

  it('keeps the closure table in step with the tree', async () => {
    const rows = await hub.db.sql<{ n: string }>(`select count(*) as n from unit_closure`);
    // 8 units: each with itself, plus one row per ancestor (2 + 2 + 3*4 + ... computed from the tree)
    const depthSum = await hub.db.sql<{ n: string }>(
      `with recursive up as (select id, parent_id from unit union all select up.id, u.parent_id from up join unit u on u.id = up.parent_id where up.parent_id is not null)
       select count(*) as n from up`,
    );
    expect(Number(rows[0].n)).toBe(Number(depthSum[0].n));
  });
});

describe('creating units', () => {
  const create = (input: Record<string, unknown>) => hub.gql(CREATE_UNIT, { input });

  it('refuses a code that exists already', async () => {
    const res = await create({ code: '441802', name: '重复', kind: 'DISTRICT', parentCode: '441800' });
    expect(res.errors?.[0].extensions.code).toBe('ALREADY_EXISTS');
  });

  it('refuses a parent nobody has', async () => {
    const res = await create({ code: '441821', name: '佛冈县', kind: 'COUNTY', parentCode: '449999' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', unitCode: '449999' });
  });

  it('refuses a code of the wrong shape for its kind', async () => {
    const res = await create({ code: '4418', name: '佛冈县', kind: 'COUNTY', parentCode: '441800' });
    expect(res.errors?.[0].extensions.code).toBe('INVALID_UNIT');
    expect(res.errors?.[0].message).toMatch(/6-digit/);
  });

  it('refuses a government under a department or under a lower level, or outside its parent’s code', async () => {
    const underDepartment = await create({ code: '441802101', name: '某镇', kind: 'TOWN', parentCode: 'D441802001' });
    expect(underDepartment.errors?.[0].extensions.code).toBe('INVALID_UNIT');
    const countyUnderTown = await create({ code: '441899', name: '某县', kind: 'COUNTY', parentCode: '441803102' });
    expect(countyUnderTown.errors?.[0].extensions.code).toBe('INVALID_UNIT');
    const wrongPrefix = await create({ code: '441901001', name: '某街道', kind: 'SUBDISTRICT', parentCode: '441802' });
    expect(wrongPrefix.errors?.[0].message).toMatch(/begin with 441802/);
  });

  it('lets a township sit directly under a city without counties, and departments under any unit', async () => {
    await createUnits(hub, [
      { code: '441900', name: '东莞市', kind: 'PREFECTURE' },
      { code: '441900003', name: '东城街道', kind: 'SUBDISTRICT', parentCode: '441900' },
      { code: 'D441900003001', name: '东城街道综合办', kind: 'DEPARTMENT', parentCode: '441900003' },
    ]);
    const { unit } = dataOf(await hub.gql(`{ unit(code: "D441900003001") { ancestors { code } } }`));
    expect(codes(unit.ancestors)).toEqual(['441900', '441900003']);
  });

  it('never moves a unit to another parent behind the API’s back', async () => {
    await expect(hub.db.sql(`update unit set parent_id = (select id from unit where code = '441803') where code = '441802001'`)).rejects.toThrow(/not supported/);
  });
});
