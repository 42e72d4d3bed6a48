import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Font } from 'fontkit';
import { type FeePlanTerms, formatBps, rateLines } from '../fee-plans/plan';

/*
 * The agreement as a PDF whose text is real text (extractable, searchable), also in Chinese: the
 * Noto Sans SC font (OFL, from the npm package @expo-google-fonts/noto-sans-sc) is embedded as a
 * subset of the glyphs used, so a PDF weighs tens of KB, not the font's 10 MB. pdfkit, fontkit and
 * the font ship next to the one function that renders (lazy modules, see shared/manifest) and are
 * loaded on its first render, not at cold start; the parsed font is kept for the next renders.
 * Rendering is deterministic: the same content gives the same bytes (dates come from the content).
 */

/** What an agreement says: the parties, the plan and the settlement, in the merchant's locale. */
export interface AgreementContent {
  readonly agreementId: string;
  readonly version: number;
  readonly locale: 'zh-CN' | 'en';
  /** When the version was made (ISO): the PDF's date, so a re-render gives the same bytes. */
  readonly createdAt: string;
  readonly acquirerCode: string;
  readonly merchant: {
    readonly merchantNo: string;
    readonly businessName: string;
    readonly type: 'INDIVIDUAL' | 'ENTERPRISE';
    readonly mcc: string;
    readonly mccDescription: string;
    readonly address: string;
    readonly legalPersonName: string;
  };
  readonly settlement: {
    readonly cycle: 'T1' | 'T0';
    readonly bankName: string;
    readonly accountName: string;
    /** The last 4 digits only: the agreement never shows a whole account number. */
    readonly accountTail: string;
  };
  readonly feePlan: FeePlanTerms;
}

/** The font file inside its npm package (one weight is all the agreement uses). */
export const AGREEMENT_FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
export const AGREEMENT_FONT_FILE = '400Regular/NotoSansSC_400Regular.ttf';

/**
 * The font's path: the package is in a `node_modules` above this module, in the repository
 * (`npm run dev`, tests) as next to the deployed bundle (where the lazy modules are copied).
 */
export function agreementFontPath(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', AGREEMENT_FONT_PACKAGE, AGREEMENT_FONT_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${AGREEMENT_FONT_PACKAGE} is not installed`);
  }
}

interface Renderer {
  readonly PDFDocument: typeof import('pdfkit');
  readonly font: Font;
}

let renderer: Promise<Renderer> | undefined;

/** pdfkit and the parsed font, loaded once per process on the first render. */
function loadRenderer(): Promise<Renderer> {
  renderer ??= (async () => {
    const [{ default: PDFDocument }, fontkit] = await Promise.all([import('pdfkit'), import('fontkit')]);
    const font = fontkit.create(readFileSync(agreementFontPath())) as Font;
    return { PDFDocument, font };
  })();
  return renderer;
}

type Copy = ReturnType<typeof zhCopy>;

function zhCopy(c: AgreementContent) {
  const t0 = formatBps(c.feePlan.t0SurchargeBps);
  return {
    title: '特约商户受理银行卡及扫码支付服务协议',
    meta: `协议编号：${c.agreementId}（第 ${c.version} 版）　生成日期：${c.createdAt.slice(0, 10)}`,
    parties: [
      `甲方（收单机构）：收单机构代码 ${c.acquirerCode}`,
      `乙方（特约商户）：${c.merchant.businessName}`,
      `商户编号：${c.merchant.merchantNo}　商户类型：${c.merchant.type === 'ENTERPRISE' ? '企业 / 个体工商户' : '个人 / 小微商户'}`,
      `行业类别（MCC）：${c.merchant.mcc} ${c.merchant.mccDescription}`,
      `经营地址：${c.merchant.address}`,
      `法定代表人 / 经营者：${c.merchant.legalPersonName}`,
    ],
    clauses: [
      {
        heading: '第一条　服务内容',
        lines: [
          '甲方为乙方提供银行卡及扫码支付收单服务。乙方使用甲方布放的受理终端，遵守“一机一码”规则：每台终端只绑定乙方的商户编号，不得移机、转借或为他人收款。',
        ],
      },
      {
        heading: `第二条　手续费率（费率方案 ${c.feePlan.code} 第 ${c.feePlan.version} 版）`,
        lines: [
          ...rateLines(c.feePlan.rates, 'zh-CN').map((line) => `• ${line}`),
          c.settlement.cycle === 'T0'
            ? `• 本协议结算周期为 T+0，每笔交易另加 ${t0}`
            : `• T+0 结算附加费率 ${t0}（本协议结算周期为 T+1，不适用）`,
          '手续费按笔计算，从结算资金中扣除。',
        ],
      },
      {
        heading: '第三条　资金结算',
        lines: [
          `结算周期：${c.settlement.cycle === 'T0' ? 'T+0（交易当日）' : 'T+1（交易次日）'}`,
          `结算账户：${c.settlement.bankName}　户名 ${c.settlement.accountName}　账号尾号 ${c.settlement.accountTail}`,
        ],
      },
      {
        heading: '第四条　乙方义务',
        lines: [
          '乙方应以真实交易受理银行卡和扫码支付，不得套现、虚构交易或拆分交易；妥善保管终端，终端遗失或被盗应立即通知甲方。',
        ],
      },
      {
        heading: '第五条　生效与变更',
        lines: [
          '本协议由乙方法定代表人（经营者）通过发送至其手机的短信验证码电子签署后生效。费率方案或结算周期变更时，甲方出具新版协议；新版协议签署前，已签署的本协议继续有效。',
        ],
      },
    ],
    signature:
      '乙方签署：法定代表人（经营者）以短信验证码电子签署。签署时记录本文件的 SHA-256 摘要、时间、来源 IP 与设备信息。',
  };
}

function enCopy(c: AgreementContent): Copy {
  const t0 = formatBps(c.feePlan.t0SurchargeBps);
  return {
    title: 'Merchant Agreement for Card and QR Code Payment Acceptance',
    meta: `Agreement ${c.agreementId} (version ${c.version})   Date: ${c.createdAt.slice(0, 10)}`,
    parties: [
      `Party A (acquirer): acquirer code ${c.acquirerCode}`,
      `Party B (merchant): ${c.merchant.businessName}`,
      `Merchant number: ${c.merchant.merchantNo}   Type: ${c.merchant.type === 'ENTERPRISE' ? 'enterprise' : 'individual / micro merchant'}`,
      `Merchant category (MCC): ${c.merchant.mcc} ${c.merchant.mccDescription}`,
      `Business address: ${c.merchant.address}`,
      `Legal person / operator: ${c.merchant.legalPersonName}`,
    ],
    clauses: [
      {
        heading: '1. Services',
        lines: [
          'Party A acquires card and QR code payments for Party B. Party B uses the terminals Party A provides under the one machine, one code rule: each terminal is bound to Party B’s merchant number only and may not be moved, lent or used to take payments for others.',
        ],
      },
      {
        heading: `2. Fees (fee plan ${c.feePlan.code}, version ${c.feePlan.version})`,
        lines: [
          ...rateLines(c.feePlan.rates, 'en').map((line) => `• ${line}`),
          c.settlement.cycle === 'T0'
            ? `• Settlement is T+0 under this agreement: every transaction adds ${t0}`
            : `• T+0 settlement surcharge ${t0} (settlement is T+1 under this agreement: not applicable)`,
          'Fees are charged per transaction and deducted from the settled funds.',
        ],
      },
      {
        heading: '3. Settlement',
        lines: [
          `Cycle: ${c.settlement.cycle === 'T0' ? 'T+0 (same day)' : 'T+1 (next day)'}`,
          `Account: ${c.settlement.bankName}, account name ${c.settlement.accountName}, ending ${c.settlement.accountTail}`,
        ],
      },
      {
        heading: '4. Party B’s obligations',
        lines: [
          'Party B accepts payments for genuine sales only: no cash-out, fictitious or split transactions. Party B keeps the terminals safe and tells Party A at once if one is lost or stolen.',
        ],
      },
      {
        heading: '5. Effect and changes',
        lines: [
          'This agreement takes effect when Party B’s legal person signs it electronically with the SMS code sent to the legal person’s phone. When the fee plan or the settlement cycle changes, Party A issues a new version; this signed version stays in force until the new one is signed.',
        ],
      },
    ],
    signature:
      'Signature of Party B: the legal person signs with an SMS code. The SHA-256 digest of this document, the time, source IP and device are recorded at signing.',
  };
}

/** Renders one agreement version as a PDF (A4, embedded CJK font subset). */
export async function renderAgreementPdf(content: AgreementContent): Promise<Buffer> {
  const { PDFDocument, font } = await loadRenderer();
  const copy = content.locale === 'en' ? enCopy(content) : zhCopy(content);
  const date = new Date(content.createdAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 60, right: 60 },
    compress: true,
    info: {
      Title: copy.title,
      Subject: content.agreementId,
      Author: `Acquirer ${content.acquirerCode}`,
      Creator: 'pos-merchant-onboarding',
      Producer: 'pos-merchant-onboarding',
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  // pdfkit takes a parsed fontkit font as well as a file: parsed once, subset per document.
  doc.registerFont('body', font as unknown as string);
  doc.font('body');
  doc.fontSize(16).text(copy.title, { align: 'center' });
  doc.moveDown(0.4);
  doc.fontSize(9).fillColor('#444444').text(copy.meta, { align: 'center' });
  doc.moveDown(1);
  doc.fillColor('#000000').fontSize(10.5);
  for (const line of copy.parties) doc.text(line, { lineGap: 3 });
  for (const clause of copy.clauses) {
    doc.moveDown(0.8);
    doc.fontSize(11.5).text(clause.heading);
    doc.moveDown(0.2);
    doc.fontSize(10.5);
    for (const line of clause.lines) doc.text(line, { lineGap: 3 });
  }
  doc.moveDown(1.5);
  doc.fontSize(9.5).fillColor('#444444').text(copy.signature, { lineGap: 2 });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
