/**
 * 太和镇 (清远市清新区, 441803102): 2017年度政府信息公开工作年度报告, published 2018-03-30 (../shared/seeds/002,
 * figures in ../shared/seed-figures.json). The text reports 0 disclosure applications, 0 administrative reviews,
 * 0 lawsuits and 0 fees, so every cell of the national tables is 0. Its other figures (board items, website posts,
 * village boards) have no place in the national format; they wait for local extension metrics.
 */
import { emptyValues } from '../src/format/figures.js';

export const taiheTown2017 = {
  values: emptyValues(),
  submitted: {
    source: '太和镇2017年度政府信息公开工作年度报告 (清新区 portal, 2018-03-30)',
    reported: { applications: 0, administrativeReviews: 0, administrativeLawsuits: 0, complaints: 0, feesYuan: 0 },
    notInNationalFormat: {
      boardColumns: 7, boardItems: 28, websiteWorkNews: 92, websiteGovAffairs: 18, websiteNewCountryside: 5,
      websiteConvenience: 6, wechatPosts: 10, villageBoardWubaoDibaoPersons: 104, villageBoardDilapidatedHousingHouseholds: 13,
      villageBoardPovertyAidHouseholds: 321, villageBoardPovertyAidPersons: 605,
    },
  },
};
