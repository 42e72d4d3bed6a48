import { lazy } from '../validation/lazy';

/**
 * Risk level of a merchant category: `LOW` is onboarded on document review alone, `HIGH` needs a
 * site inspection before approval, `PROHIBITED` is rejected automatically.
 */
export type MccRiskLevel = 'LOW' | 'HIGH' | 'PROHIBITED';

/** One row of the project's merchant category code table. */
export interface MccEntry {
  /** ISO 18245 four-digit merchant category code. */
  readonly mcc: string;
  /** English description, as in the card-scheme MCC lists. */
  readonly description: string;
  /** Chinese description, as shown to merchants and reviewers. */
  readonly descriptionZh: string;
  readonly riskLevel: MccRiskLevel;
}

/**
 * Rows as [mcc, description, descriptionZh, riskLevel]. Risk levels follow common practice of
 * mainland acquirers: everyday face-to-face retail and services are LOW; large-ticket, prepaid,
 * card-not-present, cash-like or regulated categories (where cash-out 套现 and fraud concentrate)
 * are HIGH; gambling, quasi-cash, securities and telemarketing are not onboarded at all.
 */
function rows(): ReadonlyArray<readonly [string, string, string, MccRiskLevel]> {
  return [
    ['4121', 'Taxicabs and Limousines', '出租车、网约车', 'LOW'],
    ['5251', 'Hardware Stores', '五金商店', 'LOW'],
    ['5311', 'Department Stores', '百货商店', 'LOW'],
    ['5331', 'Variety Stores', '杂货店', 'LOW'],
    ['5399', 'Miscellaneous General Merchandise', '其他综合零售', 'LOW'],
    ['5411', 'Grocery Stores and Supermarkets', '超市、食杂店', 'LOW'],
    ['5462', 'Bakeries', '面包糕点店', 'LOW'],
    [
      '5499',
      'Miscellaneous Food Stores – Convenience Stores and Specialty Markets',
      '便利店、专营食品店',
      'LOW',
    ],
    ['5541', 'Service Stations', '加油站', 'LOW'],
    ['5651', 'Family Clothing Stores', '家庭服装店', 'LOW'],
    ['5691', "Men's and Women's Clothing Stores", '男女服装店', 'LOW'],
    ['5732', 'Electronics Stores', '电子产品商店', 'LOW'],
    ['5812', 'Eating Places and Restaurants', '餐馆、酒家', 'LOW'],
    ['5814', 'Fast Food Restaurants', '快餐店', 'LOW'],
    ['5912', 'Drug Stores and Pharmacies', '药店', 'LOW'],
    ['5942', 'Book Stores', '书店', 'LOW'],
    ['5945', 'Hobby, Toy and Game Shops', '玩具店', 'LOW'],
    ['7230', 'Barber and Beauty Shops', '美发、美容店', 'LOW'],
    ['7298', 'Health and Beauty Spas', '保健及美容SPA', 'LOW'],
    ['7542', 'Car Washes', '洗车', 'LOW'],
    ['7832', 'Motion Picture Theaters', '电影院', 'LOW'],
    ['8062', 'Hospitals', '医院', 'LOW'],
    ['8211', 'Elementary and Secondary Schools', '中小学校', 'LOW'],
    ['8220', 'Colleges, Universities, Professional Schools and Junior Colleges', '大学、专科院校', 'LOW'],
    ['4722', 'Travel Agencies and Tour Operators', '旅行社', 'HIGH'],
    ['4829', 'Wire Transfer Money Orders', '电汇、汇款', 'HIGH'],
    ['5094', 'Precious Stones and Metals, Watches and Jewelry (wholesale)', '贵金属、珠宝批发', 'HIGH'],
    ['5172', 'Petroleum and Petroleum Products (wholesale)', '石油及石油产品批发', 'HIGH'],
    ['5511', 'Car and Truck Dealers (New and Used)', '汽车经销商', 'HIGH'],
    ['5813', 'Drinking Places – Bars, Taverns, Nightclubs', '酒吧、夜总会', 'HIGH'],
    ['5933', 'Pawn Shops', '典当行', 'HIGH'],
    ['5944', 'Jewelry, Watch, Clock and Silverware Stores', '珠宝、钟表店', 'HIGH'],
    ['5961', 'Catalog and Mail Order Houses', '邮购、目录销售', 'HIGH'],
    ['5993', 'Cigar Stores and Stands', '烟草制品店', 'HIGH'],
    ['6012', 'Financial Institutions – Merchandise and Services', '金融机构商品及服务', 'HIGH'],
    ['7011', 'Hotels, Motels and Resorts', '酒店、宾馆、度假村', 'HIGH'],
    ['7399', 'Business Services – Not Elsewhere Classified', '其他商业服务', 'HIGH'],
    ['7997', 'Membership Clubs (Sports, Recreation, Athletic), Country Clubs', '会员制俱乐部', 'HIGH'],
    ['8299', 'Schools and Educational Services – Not Elsewhere Classified', '培训机构', 'HIGH'],
    ['5967', 'Direct Marketing – Inbound Telemarketing Merchants', '直销—呼入电话营销', 'PROHIBITED'],
    [
      '6051',
      'Non-Financial Institutions – Quasi-Cash, Foreign Currency, Money Orders',
      '准现金、外币兑换',
      'PROHIBITED',
    ],
    ['6211', 'Security Brokers and Dealers', '证券经纪商', 'PROHIBITED'],
    ['7273', 'Dating and Escort Services', '婚恋交友及陪同服务', 'PROHIBITED'],
    [
      '7995',
      'Betting, including Lottery Tickets, Casino Gaming Chips, Off-Track Betting',
      '博彩、彩票',
      'PROHIBITED',
    ],
    ['9754', 'Gambling – Horse Racing, Dog Racing, State Lotteries', '赛马、赛狗等博彩', 'PROHIBITED'],
  ];
}

/**
 * The project's MCC table keyed by the four-digit code. Only codes listed here may be used on an
 * application. Entries are frozen so a caller cannot change a risk level at run time. Built on
 * first use, not at import: most functions that import this module never look an MCC up.
 */
export const mccTable: () => ReadonlyMap<string, MccEntry> = /* @__PURE__ */ lazy(
  () =>
    new Map(
      rows().map(([mcc, description, descriptionZh, riskLevel]): [string, MccEntry] => [
        mcc,
        Object.freeze({ mcc, description, descriptionZh, riskLevel }),
      ]),
    ),
);

/**
 * Looks up a merchant category code in {@link mccTable}.
 *
 * @param mcc - the code exactly as entered, e.g. `'5411'` (no trimming)
 * @returns the entry, or `undefined` when the code is not in the project's table
 */
export function findMcc(mcc: string): MccEntry | undefined {
  return mccTable().get(mcc);
}
