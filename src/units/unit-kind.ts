/**
 * Kinds of reporting unit (api-contract.md, UnitKind), with the administrative level each government kind sits at.
 * Departments, development zones and others are not levels: they hang under any government.
 */
import { registerEnumType } from 'type-graphql';

export enum UnitKind {
  PROVINCE = 'PROVINCE',
  PREFECTURE = 'PREFECTURE',
  DISTRICT = 'DISTRICT',
  COUNTY = 'COUNTY',
  COUNTY_CITY = 'COUNTY_CITY',
  SUBDISTRICT = 'SUBDISTRICT',
  TOWN = 'TOWN',
  TOWNSHIP = 'TOWNSHIP',
  DEPARTMENT = 'DEPARTMENT',
  DEVELOPMENT_ZONE = 'DEVELOPMENT_ZONE',
  OTHER = 'OTHER',
}

export const unitKindZh: Record<UnitKind, string> = {
  PROVINCE: '省级',
  PREFECTURE: '地级',
  DISTRICT: '市辖区',
  COUNTY: '县·旗',
  COUNTY_CITY: '县级市',
  SUBDISTRICT: '街道',
  TOWN: '镇',
  TOWNSHIP: '乡',
  DEPARTMENT: '部门',
  DEVELOPMENT_ZONE: '开发区',
  OTHER: '其他',
};

/** 1 province, 2 prefecture, 3 county-level, 4 township-level (domain.md 5.1); null for non-government units. */
export const governmentLevel: Record<UnitKind, number | null> = {
  PROVINCE: 1,
  PREFECTURE: 2,
  DISTRICT: 3,
  COUNTY: 3,
  COUNTY_CITY: 3,
  SUBDISTRICT: 4,
  TOWN: 4,
  TOWNSHIP: 4,
  DEPARTMENT: null,
  DEVELOPMENT_ZONE: null,
  OTHER: null,
};

registerEnumType(UnitKind, {
  name: 'UnitKind',
  description: 'Kind of reporting unit: a level of government, or a department, development zone or other organ.',
  valuesConfig: Object.fromEntries(Object.entries(unitKindZh).map(([k, zh]) => [k, { description: zh }])),
});
