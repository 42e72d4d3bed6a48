/*
 * The risk level of every merchant category code the project onboards: the acquirer's policy,
 * apart from what the codes are called (mcc.ts), because most checks need only the level — the
 * submitted MCC's existence, a HIGH one's site inspection, a fee plan's risk levels — and not
 * the table of names in two languages.
 */

/**
 * Risk level of a merchant category: `LOW` is onboarded on document review alone, `HIGH` needs a
 * site inspection before approval, `PROHIBITED` is rejected automatically.
 */
export type MccRiskLevel = 'LOW' | 'HIGH' | 'PROHIBITED';

/**
 * The codes of each level. Risk levels follow common practice of mainland acquirers: everyday
 * face-to-face retail and services are LOW; large-ticket, prepaid, card-not-present, cash-like or
 * regulated categories (where cash-out 套现 and fraud concentrate) are HIGH; gambling, quasi-cash,
 * securities and telemarketing are not onboarded at all.
 */
const MCC_CODES_BY_RISK_LEVEL: Readonly<Record<MccRiskLevel, readonly string[]>> = {
  LOW: [
    '4121', // Taxicabs and Limousines
    '5251', // Hardware Stores
    '5311', // Department Stores
    '5331', // Variety Stores
    '5399', // Miscellaneous General Merchandise
    '5411', // Grocery Stores and Supermarkets
    '5462', // Bakeries
    '5499', // Miscellaneous Food Stores – Convenience Stores and Specialty Markets
    '5541', // Service Stations
    '5651', // Family Clothing Stores
    '5691', // Men's and Women's Clothing Stores
    '5732', // Electronics Stores
    '5812', // Eating Places and Restaurants
    '5814', // Fast Food Restaurants
    '5912', // Drug Stores and Pharmacies
    '5942', // Book Stores
    '5945', // Hobby, Toy and Game Shops
    '7230', // Barber and Beauty Shops
    '7298', // Health and Beauty Spas
    '7542', // Car Washes
    '7832', // Motion Picture Theaters
    '8062', // Hospitals
    '8211', // Elementary and Secondary Schools
    '8220', // Colleges, Universities, Professional Schools and Junior Colleges
  ],
  HIGH: [
    '4722', // Travel Agencies and Tour Operators
    '4829', // Wire Transfer Money Orders
    '5094', // Precious Stones and Metals, Watches and Jewelry (wholesale)
    '5172', // Petroleum and Petroleum Products (wholesale)
    '5511', // Car and Truck Dealers (New and Used)
    '5813', // Drinking Places – Bars, Taverns, Nightclubs
    '5933', // Pawn Shops
    '5944', // Jewelry, Watch, Clock and Silverware Stores
    '5961', // Catalog and Mail Order Houses
    '5993', // Cigar Stores and Stands
    '6012', // Financial Institutions – Merchandise and Services
    '7011', // Hotels, Motels and Resorts
    '7399', // Business Services – Not Elsewhere Classified
    '7997', // Membership Clubs (Sports, Recreation, Athletic), Country Clubs
    '8299', // Schools and Educational Services – Not Elsewhere Classified
  ],
  PROHIBITED: [
    '5967', // Direct Marketing – Inbound Telemarketing Merchants
    '6051', // Non-Financial Institutions – Quasi-Cash, Foreign Currency, Money Orders
    '6211', // Security Brokers and Dealers
    '7273', // Dating and Escort Services
    '7995', // Betting, including Lottery Tickets, Casino Gaming Chips, Off-Track Betting
    '9754', // Gambling – Horse Racing, Dog Racing, State Lotteries
  ],
};

/** Every code of the table, each once per level it is listed at (for the tests of the two lists). */
export function mccRiskCodes(): string[] {
  return Object.values(MCC_CODES_BY_RISK_LEVEL).flat();
}

/**
 * The risk level of a merchant category code.
 *
 * @param mcc - the code exactly as entered, e.g. `'5411'` (no trimming)
 * @returns its level, or `undefined` when the code is not in the project's table
 */
export function mccRiskLevel(mcc: string): MccRiskLevel | undefined {
  for (const level of ['LOW', 'HIGH', 'PROHIBITED'] as const) {
    if (MCC_CODES_BY_RISK_LEVEL[level].includes(mcc)) return level;
  }
  return undefined;
}
