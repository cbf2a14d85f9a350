/**
 * Exact decimal amounts (section 二 fees, in 万元). They travel as strings end to end — GraphQL, JavaScript and
 * Postgres `numeric` — so no amount ever passes through a binary float.
 */

/** At most four decimal places: 0.0001 万元 is one 元, the smallest amount a fee can be. */
export const AMOUNT_SCALE = 4;
const DECIMAL = /^-?\d{1,14}(\.\d+)?$/;

/** Normalises "0012.50" to "12.5"; returns null when the text is not a plain decimal number. */
export function normaliseDecimal(text: string): string | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const negative = t.startsWith('-');
  let [int, frac = ''] = t.replace('-', '').split('.');
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== '0' ? `-${body}` : body;
}

export function decimalScale(normalised: string): number {
  const i = normalised.indexOf('.');
  return i < 0 ? 0 : normalised.length - i - 1;
}

export function isNegativeDecimal(normalised: string): boolean {
  return normalised.startsWith('-');
}

/** An amount as a whole number of 1/10000 (元 for 万元 amounts), for exact arithmetic; more decimals are cut. */
export function toScaled(text: string): bigint {
  const normalised = normaliseDecimal(text) ?? '0';
  const negative = normalised.startsWith('-');
  const [int, frac = ''] = normalised.replace('-', '').split('.');
  const scaled = BigInt(int) * 10n ** BigInt(AMOUNT_SCALE) + BigInt((frac + '0'.repeat(AMOUNT_SCALE)).slice(0, AMOUNT_SCALE));
  return negative ? -scaled : scaled;
}

export function fromScaled(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(AMOUNT_SCALE);
  const frac = String(abs % unit).padStart(AMOUNT_SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${abs / unit}${frac ? `.${frac}` : ''}`;
}
