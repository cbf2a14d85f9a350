/**
 * Which units a synthetic data set holds at each scale: real governments from the NBS code set (seeds/divisions.ts)
 * and made-up departments under them, in the numbers a real area has (domain.md 5.3: ~40 departments per city,
 * 25-40 per county). Deterministic: the same scale, area and seed give the same units in the same order.
 */
import { UnitKind } from '../../src/units/unit-kind.js';
import { counties, prefectures, provinces, townships, type Division } from '../divisions.js';
import { hashSeed, random } from '../synthetic-figures.js';

export type Scale = 'tiny' | 'city' | 'province' | 'national';
export const SCALES: Scale[] = ['tiny', 'city', 'province', 'national'];

export interface GeneratedUnit extends Division {
  /** 0 for the root(s); a unit is inserted after every unit of a smaller depth. */
  depth: number;
}

/** [min, max] departments per government of a level; null: none at that level. */
type Range = [number, number] | null;
interface ScaleSpec { area: string | null; years: number[]; province: Range; prefecture: Range; county: Range }

export const SCALE_SPECS: Record<Scale, ScaleSpec> = {
  // One county (英德市: 24 township-level units) and a handful of departments: small enough for tests.
  tiny: { area: '441881', years: [2025], province: null, prefecture: null, county: [4, 6] },
  // 广州市 (11 districts, 178 township-level units): with its departments about 500 units.
  city: { area: '440100', years: [2024, 2025], province: null, prefecture: [36, 44], county: [20, 30] },
  // 广东省: 21 prefectures, 122 county-level and 1,757 township-level units, about 6,000 departments.
  province: { area: '440000', years: [2024, 2025], province: [36, 40], prefecture: [36, 44], county: [36, 48] },
  // Every division (~44,700 governments) and departments to about 100,000 units.
  national: { area: null, years: [2024, 2025], province: [36, 40], prefecture: [36, 44], county: [12, 18] },
};

/** Cities, counties and municipalities: the most universal first, so a small county has the core offices. */
const LOCAL_DEPARTMENTS = (
  '教育局 公安局 民政局 财政局 人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水利局 农业农村局 ' +
  '商务局 文化广电旅游体育局 卫生健康委员会 应急管理局 审计局 市场监督管理局 统计局 医疗保障局 信访局 司法局 ' +
  '退役军人事务局 林业局 税务局 发展和改革局 工业和信息化局 科学技术局 人民政府办公室 城市管理和综合执法局 ' +
  '政务服务数据管理局 民族宗教事务局 国有资产监督管理局 地方金融监督管理局 乡村振兴局 机关事务管理局 档案局 ' +
  '人民防空办公室 气象局 粮食和物资储备局 供销合作联社 住房公积金管理中心 投资促进局 外事局 侨务局 ' +
  '海洋与渔业局 地震局 烟草专卖局 邮政管理局 公共资源交易中心 残疾人联合会'
).split(' ');
/** Provincial departments are 厅 and 委员会 rather than 局. */
const PROVINCIAL_DEPARTMENTS = (
  '人民政府办公厅 发展和改革委员会 教育厅 科学技术厅 工业和信息化厅 民族宗教事务委员会 公安厅 民政厅 司法厅 财政厅 ' +
  '人力资源和社会保障厅 自然资源厅 生态环境厅 住房和城乡建设厅 交通运输厅 水利厅 农业农村厅 商务厅 文化和旅游厅 ' +
  '卫生健康委员会 退役军人事务厅 应急管理厅 审计厅 外事办公室 国有资产监督管理委员会 市场监督管理局 广播电视局 ' +
  '体育局 统计局 医疗保障局 信访局 林业局 地方金融监督管理局 乡村振兴局 机关事务管理局 政务服务数据管理局 ' +
  '粮食和物资储备局 药品监督管理局 监狱管理局 人民防空办公室'
).split(' ');

/** 北京, 天津, 上海, 重庆: their districts sit directly under the province-level city. */
const MUNICIPALITIES = new Set(['110000', '120000', '310000', '500000']);

export interface HierarchyOptions { seed: number; area?: string | null }

export function buildHierarchy(scale: Scale, options: HierarchyOptions): GeneratedUnit[] {
  const spec = SCALE_SPECS[scale];
  const area = options.area ?? spec.area;
  const all = [...provinces(), ...prefectures(), ...counties(), ...townships()];
  const byCode = new Map(all.map((d) => [d.code, d]));
  if (area && !byCode.has(area)) throw new Error(`unknown division code ${area} (expected a 6-digit code of the NBS code set)`);

  const ancestors = (d: Division): Division[] => (d.parentCode ? [...ancestors(byCode.get(d.parentCode)!), byCode.get(d.parentCode)!] : []);
  // The area's subtree, and its ancestors (without departments) so that the tree reaches a province.
  const inArea = (d: Division) => !area || d.code === area || ancestors(d).some((a) => a.code === area);
  const governments = area ? [...ancestors(byCode.get(area)!), ...all.filter(inArea)] : all;
  const departments = governments.filter(inArea).flatMap((g) => departmentsOf(g, spec, options.seed, byCode));

  const depth = new Map<string, number>();
  const units = [...governments, ...departments].map((d) => {
    const level = d.parentCode ? depth.get(d.parentCode)! + 1 : 0;
    depth.set(d.code, level);
    return { ...d, depth: level };
  });
  // Stable sort: within a depth the code-set order (and each parent's department serials) is kept.
  return units.sort((a, b) => a.depth - b.depth);
}

function departmentsOf(g: Division, spec: ScaleSpec, seed: number, byCode: Map<string, Division>): Division[] {
  const municipality = MUNICIPALITIES.has(g.code);
  const range = g.kind === UnitKind.PROVINCE ? spec.province
    : g.kind === UnitKind.PREFECTURE ? spec.prefecture
    : [UnitKind.DISTRICT, UnitKind.COUNTY, UnitKind.COUNTY_CITY].includes(g.kind) ? spec.county : null;
  if (!range) return [];
  const names = g.kind === UnitKind.PROVINCE && !municipality ? PROVINCIAL_DEPARTMENTS : LOCAL_DEPARTMENTS;
  const rng = random(hashSeed(`departments:${g.code}:${seed}`));
  const n = Math.min(names.length, range[0] + Math.floor(rng() * (range[1] - range[0] + 1)));
  // A district's offices carry the city's name (清远市清城区教育局); a county's or county-level city's its own (英德市公安局).
  const prefix = g.kind === UnitKind.DISTRICT && g.parentCode ? byCode.get(g.parentCode)!.name + g.name : g.name;
  return names.slice(0, n).map((name, i) => ({
    code: `D${g.code}${String(i + 1).padStart(3, '0')}`,
    name: prefix + name,
    kind: UnitKind.DEPARTMENT,
    parentCode: g.code,
  }));
}
