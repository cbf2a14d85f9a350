/**
 * China's statistical division codes down to township level (NBS, 2022-10-31; seeds/divisions/README.md), read
 * from the CSV files beside this one, with the unit kind each code denotes.
 */
import { readFileSync } from 'node:fs';
import { UnitKind } from '../src/units/unit-kind.js';

export interface Division {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
}

function readCsv(file: string): string[][] {
  const text = readFileSync(new URL(`./divisions/${file}`, import.meta.url), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map((f) => f.replace(/^"|"$/g, '')));
}

/** County level: 市辖区 by name, 县级市 by name, every other one a county (县, 旗, 自治县, 特区, 林区). */
export function countyKind(name: string): UnitKind {
  if (name.endsWith('区') && !name.endsWith('林区') && !name.endsWith('特区')) return UnitKind.DISTRICT;
  if (name.endsWith('市')) return UnitKind.COUNTY_CITY;
  return UnitKind.COUNTY;
}

/** Township segment of the code: 001-099 街道, 100-199 镇, 200-399 乡, 400-599 farms, forest farms, zones. */
export function townshipKind(code: string, name: string): UnitKind {
  const segment = Number(code.slice(6, 9));
  if (segment < 100) return UnitKind.SUBDISTRICT;
  if (segment < 200) return UnitKind.TOWN;
  if (segment < 400) return UnitKind.TOWNSHIP;
  return /开发区|园区|新区|高新/.test(name) ? UnitKind.DEVELOPMENT_ZONE : UnitKind.OTHER;
}

export const provinces = (): Division[] =>
  readCsv('provinces.csv').map(([code, name]) => ({ code: `${code}0000`, name, kind: UnitKind.PROVINCE, parentCode: null }));

/** Prefecture rows; the placeholder "市辖区" rows of municipalities are left out (their districts hang under the province). */
export const prefectures = (): Division[] =>
  readCsv('cities.csv')
    .filter(([, name]) => name !== '市辖区' && name !== '县')
    .map(([code, name, province]) => ({ code: `${code}00`, name, kind: UnitKind.PREFECTURE, parentCode: `${province}0000` }));

export function counties(): Division[] {
  const realPrefectures = new Set(prefectures().map((p) => p.code));
  // Cities without counties (东莞 441900, 中山 442000) list themselves as their only county: their townships
  // hang directly under the city.
  return readCsv('areas.csv')
    .filter(([code, , city]) => code !== `${city}00`)
    .map(([code, name, city, province]) => ({
    code,
    name,
    kind: countyKind(name),
    parentCode: realPrefectures.has(`${city}00`) ? `${city}00` : `${province}0000`,
  }));
}

export function townships(): Division[] {
  return readCsv('streets.csv').map(([code, name, area]) => ({ code, name, kind: townshipKind(code, name), parentCode: area }));
}
