/**
 * Bearer tokens over HTTP: every kind of bad token is answered 401 UNAUTHENTICATED with one and the same message
 * (no hint of what was wrong), before anything executes; a valid token naming a unit that does not exist
 * authenticates nobody as soon as the unit is needed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, type JWTPayload } from 'jose';
import { Role } from '../../src/auth/role.js';
import { createTokenVerifier, loadTokenKeys, signToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { createUnits, sampleFigures, smallTree } from '../support/fixtures.js';
import { startTestHub, TEST_AUTH_SECRET, type TestHub } from '../support/test-hub.js';
import { codeOf, postAs, postWith, type RawAnswer } from './http.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

const ISSUER = 'disclosure-hub';
const UNIT_QUERY = `{ unit(code: "441800") { code } }`;
const CREATE = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`;
const key = (secret: string) => new TextEncoder().encode(secret);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

/** A token signed with jose, by default exactly as the hub's own tokens (an ADMIN for everything) but for `change`. */
async function jwt(change: { claims?: JWTPayload; secret?: string; alg?: string; issuer?: string; audience?: string; exp?: number | null; sub?: string | null } = {}) {
  let t = new SignJWT({ role: 'ADMIN', ...change.claims })
    .setProtectedHeader({ alg: change.alg ?? 'HS256', typ: 'JWT' })
    .setIssuer(change.issuer ?? ISSUER)
    .setAudience(change.audience ?? ISSUER)
    .setIssuedAt()
    .setJti('test-token');
  if (change.sub !== null) t = t.setSubject(change.sub ?? '*');
  if (change.exp !== null) t = t.setExpirationTime(change.exp ?? inOneHour());
  return t.sign(key(change.secret ?? TEST_AUTH_SECRET));
}

/** A token the hub signed, with one character of its signature changed (not the last, whose low bits are padding). */
async function tampered(): Promise<string> {
  const token = await hub.tokenFor('*', 'ADMIN', '1h');
  const [h, p, s] = token.split('.');
  const i = 10;
  return `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
}

/** An unsigned token (`alg: none`) with claims that would otherwise be valid. */
const unsigned = () =>
  `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: '*', role: 'ADMIN', iss: ISSUER, aud: ISSUER, exp: inOneHour(), iat: Math.floor(Date.now() / 1000) })}.`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let referenceMessage: string;
function expectRefused(answer: RawAnswer): void {
  expect(answer.status).toBe(401);
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(answer.json.data).toBeUndefined();
  expect(answer.json.errors).toHaveLength(1);
  expect(codeOf(answer)).toBe('UNAUTHENTICATED');
  expect(answer.json.errors[0].message).toBe(referenceMessage);
  expect(Object.keys(answer.json.errors[0].extensions)).toEqual(['code']);
}

describe('requests without a valid token', () => {
  beforeAll(async () => {
    const answer = await postWith(hub, undefined, UNIT_QUERY);
    referenceMessage = answer.json.errors[0].message;
  });

  it('are refused without a token, with a message that gives nothing away', async () => {
    expectRefused(await postWith(hub, undefined, UNIT_QUERY));
    expect(referenceMessage).not.toMatch(/expir|signature|issuer|audience|alg|role|malformed|missing/i);
  });

  const cases: [string, () => Promise<string>][] = [
    ['a malformed token (`Bearer abc`)', async () => 'Bearer abc'],
    ['an empty bearer', async () => 'Bearer '],
    ['another scheme (Basic)', async () => `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['a token followed by junk', async () => `Bearer ${await hub.tokenFor('*', 'ADMIN')} junk`],
    ['a token signed with another secret', async () => `Bearer ${await jwt({ secret: 'another-secret-of-at-least-32-bytes-0123456789' })}`],
    ['a hub token with its signature altered', async () => `Bearer ${await tampered()}`],
    ['an expired token', async () => `Bearer ${await jwt({ exp: Math.floor(Date.now() / 1000) - 60 })}`],
    ['a token not valid before next hour', async () => `Bearer ${await jwt({ claims: { nbf: inOneHour() } })}`],
    ['a token from another issuer', async () => `Bearer ${await jwt({ issuer: 'someone-else' })}`],
    ['a token for another audience', async () => `Bearer ${await jwt({ audience: 'another-service' })}`],
    ['a token with an unknown role', async () => `Bearer ${await jwt({ claims: { role: 'SUPERUSER' } })}`],
    ['a token without a role', async () => `Bearer ${await jwt({ claims: { role: undefined } })}`],
    ['a token without an expiry', async () => `Bearer ${await jwt({ exp: null })}`],
    ['a token without a subject', async () => `Bearer ${await jwt({ sub: null })}`],
    ['an unsigned token (alg: none)', async () => `Bearer ${unsigned()}`],
    ['a token signed with HS512 under the right secret', async () => `Bearer ${await jwt({ alg: 'HS512' })}`],
  ];

  it.each(cases)('are refused with %s, answered exactly like a missing token', async (_name, authorization) => {
    expectRefused(await postWith(hub, await authorization(), UNIT_QUERY));
  });

  it('never execute a mutation: a forged ADMIN token for everything creates nothing', async () => {
    const forged = await jwt({ secret: 'another-secret-of-at-least-32-bytes-0123456789' });
    expectRefused(await postAs(hub, forged, CREATE, { input: { code: '450000', name: '广西壮族自治区', kind: 'PROVINCE' } }));
    expectRefused(await postWith(hub, `Bearer ${unsigned()}`, CREATE, { input: { code: '450000', name: '广西壮族自治区', kind: 'PROVINCE' } }));
    expect(await hub.db.sql(`select code from unit where code = '450000'`)).toHaveLength(0);
  });

  it('accept a token until it expires, then refuse it like any other bad token', async () => {
    const token = await hub.tokenFor('441800', 'OVERSIGHT', '2s');
    const before = await postAs(hub, token, UNIT_QUERY);
    expect(before.status).toBe(200);
    expect(before.json.data.unit).toEqual({ code: '441800' });
    await sleep(2200);
    expectRefused(await postAs(hub, token, UNIT_QUERY));
  });

  it('a control: the same jose-made token with the right secret, issuer and audience is accepted', async () => {
    const answer = await postAs(hub, await jwt(), UNIT_QUERY);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ data: { unit: { code: '441800' } } });
  });
});

describe('a valid token for a unit that does not exist', () => {
  const GHOST = '449999';
  const REPORT = `query { report(unitCode: "441802", period: { year: 2024, month: 3 }) { revision } }`;
  const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { report { revision } } }`;
  const REVIEW = `mutation { approveReport(input: { unitCode: "441802", year: 2024, month: 3 }) { status } }`;
  const ROLLUP = `{ rollup(unitCode: "441800", period: { year: 2024 }) { basis } }`;

  const expectUnauthenticated = (answer: RawAnswer) => {
    expect(answer.json.errors).toHaveLength(1);
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    expect(answer.json.errors[0].message).toBe(referenceMessage);
    expect(answer.json.errors[0].extensions.http).toBeUndefined();
    expect(answer.status).toBe(401);
  };

  it('cannot read a report as its SUBMITTER', async () => {
    const answer = await postAs(hub, await hub.tokenFor(GHOST, 'SUBMITTER'), REPORT);
    expectUnauthenticated(answer);
    expect(answer.json.data?.report ?? null).toBeNull();
  });

  it('cannot read a rollup as OVERSIGHT', async () => {
    expectUnauthenticated(await postAs(hub, await hub.tokenFor(GHOST, 'OVERSIGHT'), ROLLUP));
  });

  it('cannot review as REVIEWER', async () => {
    expectUnauthenticated(await postAs(hub, await hub.tokenFor(GHOST, 'REVIEWER'), REVIEW));
  });

  it('cannot create a unit or submit figures as ADMIN, and nothing is written', async () => {
    const admin = await hub.tokenFor(GHOST, 'ADMIN');
    expectUnauthenticated(await postAs(hub, admin, CREATE, { input: { code: 'D441800009', name: '幽灵局', kind: 'DEPARTMENT', parentCode: '441800' } }));
    expectUnauthenticated(await postAs(hub, admin, SUBMIT, { input: { unitCode: '441802', year: 2024, month: 3, figures: sampleFigures() } }));
    expect(await hub.db.sql(`select code from unit where code = 'D441800009'`)).toHaveLength(0);
    expect(await hub.db.sql(`select id from report`)).toHaveLength(0);
  });

  it('authenticates once a unit with that code has been created', async () => {
    const token = await hub.tokenFor('D441800008', 'OVERSIGHT');
    expectUnauthenticated(await postAs(hub, token, `{ unit(code: "441800") { code } }`));
    await createUnits(hub, [{ code: 'D441800008', name: '清远市统计局', kind: 'DEPARTMENT', parentCode: '441800' }]);
    const answer = await postAs(hub, token, `{ rollup(unitCode: "D441800008", period: { year: 2024 }) { basis } }`);
    expect(answer.json).toEqual({ data: { rollup: { basis: 'SUBMITTED' } }, extensions: { sqlStatements: expect.any(Number) } });
  });
});

describe('the verifier the server uses, which remembers valid tokens', () => {
  const keys = loadTokenKeys(loadConfig({ AUTH_SECRET: TEST_AUTH_SECRET }).auth);

  it('answers a remembered token only until its expiry, by the clock it is given', async () => {
    let clock = Date.now();
    const verify = createTokenVerifier(keys, 10, () => clock);
    const token = await signToken(keys, { unitCode: '441800', role: Role.OVERSIGHT }, '1h');
    expect(await verify(token)).toMatchObject({ unitCode: '441800', role: Role.OVERSIGHT });
    expect(await verify(token)).toMatchObject({ unitCode: '441800', role: Role.OVERSIGHT });
    clock += 3601_000;
    expect(await verify(token)).toBeNull();
  });

  it('never remembers a forged token, and keeps at most its capacity', async () => {
    const verify = createTokenVerifier(keys, 2);
    const forged = await jwt({ secret: 'another-secret-0123456789-abcdefghijklmnop' });
    expect(await verify(forged)).toBeNull();
    expect(verify.remembered()).toBe(0);
    const tokens = await Promise.all(['441800', '441802', '441803'].map((unitCode) => signToken(keys, { unitCode, role: Role.OVERSIGHT }, '1h')));
    for (const t of tokens) expect((await verify(t))?.unitCode).toBeDefined();
    expect(verify.remembered()).toBe(2);
    // The first was evicted and is verified afresh: still valid, and still answered correctly.
    expect((await verify(tokens[0]))?.unitCode).toBe('441800');
  });
});
