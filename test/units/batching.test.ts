import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertTree } from '../rankings/bulk.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

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
    const small = await insertTree(hub, '4201', 2, 2);
    const large = await insertTree(hub, '4202', 10, 12);
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
