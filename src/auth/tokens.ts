/**
 * Bearer tokens: JWTs signed with HS256 (jose), naming a unit (`sub`) and a role, with issuer, audience and expiry
 * always checked. Verification failures of every kind look the same to the caller: no detail an attacker can use.
 */
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import type { AuthConfig } from '../config.js';
import { Role } from './role.js';

export interface TokenClaims {
  unitCode: string;
  role: Role;
  tokenId: string;
}

export interface TokenKeys {
  /** A KeyObject made once: jose would otherwise import raw key bytes again on every verification. */
  key: KeyObject;
  issuer: string;
  audience: string;
  lifetime: string;
}

/**
 * AUTH_SECRET when set; otherwise a random secret kept in a file beside the data (created on first use), so that
 * tokens printed by `npm run token` work with the server of the same checkout and survive restarts.
 */
export function loadTokenKeys(config: AuthConfig): TokenKeys {
  let secret = config.secret;
  if (!secret) {
    if (!existsSync(config.secretFile)) {
      mkdirSync(path.dirname(config.secretFile), { recursive: true });
      writeFileSync(config.secretFile, randomBytes(48).toString('base64url'), { mode: 0o600 });
    }
    chmodSync(config.secretFile, 0o600);
    secret = readFileSync(config.secretFile, 'utf8').trim();
  }
  if (Buffer.byteLength(secret) < 32) throw new Error('AUTH_SECRET must be at least 32 bytes long');
  return { key: createSecretKey(Buffer.from(secret, 'utf8')), issuer: config.issuer, audience: config.audience, lifetime: config.tokenLifetime };
}

export async function signToken(keys: TokenKeys, claims: { unitCode: string; role: Role }, lifetime = keys.lifetime): Promise<string> {
  return new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.unitCode)
    .setIssuer(keys.issuer)
    .setAudience(keys.audience)
    .setIssuedAt()
    .setJti(randomBytes(9).toString('base64url'))
    .setExpirationTime(lifetime)
    .sign(keys.key);
}

/** The claims of a valid token, or null for anything else (expired, forged, malformed, wrong issuer, unknown role). */
export async function verifyToken(keys: TokenKeys, token: string): Promise<TokenClaims | null> {
  return (await verifyWithExpiry(keys, token))?.claims ?? null;
}

async function verifyWithExpiry(keys: TokenKeys, token: string, nowMs = Date.now()): Promise<{ claims: TokenClaims; expiresAtMs: number } | null> {
  try {
    const { payload } = await jwtVerify(token, keys.key, {
      issuer: keys.issuer, audience: keys.audience, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], currentDate: new Date(nowMs),
    });
    const role = payload.role as Role;
    if (!Object.values(Role).includes(role) || typeof payload.sub !== 'string') return null;
    return { claims: { unitCode: payload.sub, role, tokenId: String(payload.jti ?? '') }, expiresAtMs: payload.exp! * 1000 };
  } catch {
    return null;
  }
}

/**
 * `verifyToken` with the verdicts on valid tokens remembered until each token expires. A dashboard sends the same
 * token with every request, and checking its HMAC through WebCrypto was about 5% of a rollup read's CPU. Only
 * valid tokens are kept (a flood of forged ones cannot fill the cache); the oldest entry goes when it is full.
 */
export interface TokenVerifier {
  (token: string): Promise<TokenClaims | null>;
  /** How many tokens are remembered now. */
  remembered(): number;
  /** When a token this verifier has found valid expires (ms since the epoch); null for any other. */
  expiresAt(token: string): number | null;
}

export function createTokenVerifier(keys: TokenKeys, capacity = 10_000, now: () => number = Date.now): TokenVerifier {
  const valid = new Map<string, { claims: TokenClaims; expiresAtMs: number }>();
  const verify = async (token: string) => {
    const known = valid.get(token);
    if (known) {
      if (known.expiresAtMs > now()) return known.claims;
      valid.delete(token);
    }
    const verified = await verifyWithExpiry(keys, token, now());
    if (!verified) return null;
    if (valid.size >= capacity) valid.delete(valid.keys().next().value!);
    valid.set(token, verified);
    return verified.claims;
  };
  return Object.assign(verify, { remembered: () => valid.size, expiresAt: (token: string) => valid.get(token)?.expiresAtMs ?? null });
}

/** `Authorization: Bearer <token>` → the token, or null. */
export function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}
