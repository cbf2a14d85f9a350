import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

/** A prefecture with `counties` counties of `towns` towns each, inserted in bulk; the closure trigger does the rest. */
async function insertTree(prefix: string, counties: number, towns: number): Promise<number> {
  await hub.db.sql(`insert into unit (code, name, kind) values ($1, $2, 'PREFECTURE')`, [`${prefix}00`, `市${prefix}`]);
  await hub.db.sql(
    `insert into unit (code, name, kind, parent_id)
     select $1 || lpad(c::text, 2, '0'), '区' || c, 'DISTRICT', (select id from unit where code = $1 || '00') from generate_series(1, $2) c`,
    [prefix, counties],
  );
  await hub.db.sql(
    `insert into unit (code, name, kind, parent_id)
     select u.code || lpad((100 + t)::text, 3, '0'), u.name || '镇' || t, 'TOWN', u.id
     from unit u cross join generate_series(1, $2) t where u.code like $1 || '__' and u.kind = 'DISTRICT'`,
    [prefix, towns],
  );
  return 1 + counties + counties * towns;
}

const TREE_QUERY = `query($code: String!) {
  unit(code: $code) {
    code
    towns: descendants(kinds: [TOWN]) { code parent { code } }
    children {
      code parent { code } ancestors { code }
      children { code parent { code name } ancestors { code } children { code } descendants { code } }
    }
  }
}`;

describe('the unit tree queries', () => {
  it('cost the same bounded number of SQL statements for 7 units and for 131', async () => {
    const small = await insertTree('4201', 2, 2);
    const large = await insertTree('4202', 10, 12);
    expect(small).toBe(7);
    expect(large).toBe(131);

    const smallAnswer = await hub.gql(TREE_QUERY, { code: '420100' });
    const largeAnswer = await hub.gql(TREE_QUERY, { code: '420200' });
    const data = dataOf(largeAnswer);
    expect(data.unit.towns).toHaveLength(120);
    expect(data.unit.children).toHaveLength(10);
    expect(data.unit.children[9].children).toHaveLength(12);
    expect(data.unit.children[9].children[0].ancestors.map((a: { code: string }) => a.code)).toEqual(['420200', '420210']);

    // One statement per kind of lookup and level of nesting (unit, children x3, parents, ancestors x2, descendants x2),
    // never one per unit: an N+1 resolver would cost well over 131 here. DataLoader's batching follows the event
    // loop, so the small tree may split a batch the large one does not; both stay under the same bound.
    for (const answer of [smallAnswer, largeAnswer]) {
      expect(answer.extensions?.sqlStatements).toBeGreaterThan(0);
      expect(answer.extensions?.sqlStatements).toBeLessThanOrEqual(10);
    }
  });
});
