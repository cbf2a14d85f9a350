import type pg from 'pg';

/**
 * Runs `work` in one transaction on `client`: committed when it returns, rolled back when it throws (the error is
 * thrown on; a failed rollback, on a broken connection, must not hide it).
 */
export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const result = await work();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
