import { registerEnumType } from 'type-graphql';

/**
 * SELF: the organ's own figures. AGGREGATE: a published area-wide report that already contains the figures of the
 * units below; rollups never add it to its parts (domain.md 2.2).
 */
export enum ReportScope {
  SELF = 'SELF',
  AGGREGATE = 'AGGREGATE',
}

registerEnumType(ReportScope, {
  name: 'ReportScope',
  valuesConfig: {
    SELF: { description: '本机关自身的数据' },
    AGGREGATE: { description: '本地区汇总（已包含下级单位），汇总时不再与下级相加' },
  },
});
