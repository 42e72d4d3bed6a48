import { lazy } from '../validation/lazy';
import { type MccRiskLevel, mccRiskLevel } from './mcc-risk';

export type { MccRiskLevel } from './mcc-risk';

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
 * Rows as [mcc, description, descriptionZh], one for each code of the risk levels in mcc-risk.ts
 * (the codes a merchant may have), in the same order.
 */
function rows(): ReadonlyArray<readonly [string, string, string]> {
  return [
    ['4121', 'Taxicabs and Limousines', '出租车、网约车'],
    ['5251', 'Hardware Stores', '五金商店'],
    ['5311', 'Department Stores', '百货商店'],
    ['5331', 'Variety Stores', '杂货店'],
    ['5399', 'Miscellaneous General Merchandise', '其他综合零售'],
    ['5411', 'Grocery Stores and Supermarkets', '超市、食杂店'],
    ['5462', 'Bakeries', '面包糕点店'],
    ['5499', 'Miscellaneous Food Stores – Convenience Stores and Specialty Markets', '便利店、专营食品店'],
    ['5541', 'Service Stations', '加油站'],
    ['5651', 'Family Clothing Stores', '家庭服装店'],
    ['5691', "Men's and Women's Clothing Stores", '男女服装店'],
    ['5732', 'Electronics Stores', '电子产品商店'],
    ['5812', 'Eating Places and Restaurants', '餐馆、酒家'],
    ['5814', 'Fast Food Restaurants', '快餐店'],
    ['5912', 'Drug Stores and Pharmacies', '药店'],
    ['5942', 'Book Stores', '书店'],
    ['5945', 'Hobby, Toy and Game Shops', '玩具店'],
    ['7230', 'Barber and Beauty Shops', '美发、美容店'],
    ['7298', 'Health and Beauty Spas', '保健及美容SPA'],
    ['7542', 'Car Washes', '洗车'],
    ['7832', 'Motion Picture Theaters', '电影院'],
    ['8062', 'Hospitals', '医院'],
    ['8211', 'Elementary and Secondary Schools', '中小学校'],
    ['8220', 'Colleges, Universities, Professional Schools and Junior Colleges', '大学、专科院校'],
    ['4722', 'Travel Agencies and Tour Operators', '旅行社'],
    ['4829', 'Wire Transfer Money Orders', '电汇、汇款'],
    ['5094', 'Precious Stones and Metals, Watches and Jewelry (wholesale)', '贵金属、珠宝批发'],
    ['5172', 'Petroleum and Petroleum Products (wholesale)', '石油及石油产品批发'],
    ['5511', 'Car and Truck Dealers (New and Used)', '汽车经销商'],
    ['5813', 'Drinking Places – Bars, Taverns, Nightclubs', '酒吧、夜总会'],
    ['5933', 'Pawn Shops', '典当行'],
    ['5944', 'Jewelry, Watch, Clock and Silverware Stores', '珠宝、钟表店'],
    ['5961', 'Catalog and Mail Order Houses', '邮购、目录销售'],
    ['5993', 'Cigar Stores and Stands', '烟草制品店'],
    ['6012', 'Financial Institutions – Merchandise and Services', '金融机构商品及服务'],
    ['7011', 'Hotels, Motels and Resorts', '酒店、宾馆、度假村'],
    ['7399', 'Business Services – Not Elsewhere Classified', '其他商业服务'],
    ['7997', 'Membership Clubs (Sports, Recreation, Athletic), Country Clubs', '会员制俱乐部'],
    ['8299', 'Schools and Educational Services – Not Elsewhere Classified', '培训机构'],
    ['5967', 'Direct Marketing – Inbound Telemarketing Merchants', '直销—呼入电话营销'],
    ['6051', 'Non-Financial Institutions – Quasi-Cash, Foreign Currency, Money Orders', '准现金、外币兑换'],
    ['6211', 'Security Brokers and Dealers', '证券经纪商'],
    ['7273', 'Dating and Escort Services', '婚恋交友及陪同服务'],
    ['7995', 'Betting, including Lottery Tickets, Casino Gaming Chips, Off-Track Betting', '博彩、彩票'],
    ['9754', 'Gambling – Horse Racing, Dog Racing, State Lotteries', '赛马、赛狗等博彩'],
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
      rows().map(([mcc, description, descriptionZh]): [string, MccEntry] => {
        const riskLevel = mccRiskLevel(mcc);
        // Both lists name the same codes (a unit test checks it): a row without a level is a slip.
        if (!riskLevel) throw new Error(`MCC ${mcc} has no risk level in mcc-risk.ts`);
        return [mcc, Object.freeze({ mcc, description, descriptionZh, riskLevel })];
      }),
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
