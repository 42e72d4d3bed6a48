import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type AgreementContent, renderAgreementPdf } from '../../../shared/agreements/render';
import { formatBps, formatFenAsYuan, rateLines, SHIPPED_DEFAULT_PLANS } from '../../../shared/fee-plans/plan';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'pos-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const content = (locale: 'zh-CN' | 'en'): AgreementContent => ({
  agreementId: 'AGR-102110554110001-001',
  version: 1,
  locale,
  createdAt: '2026-11-23T08:00:00.000Z',
  acquirerCode: '102',
  merchant: {
    merchantNo: '102110554110001',
    businessName: '张三便利店',
    type: 'INDIVIDUAL',
    mcc: '5411',
    mccDescription: locale === 'en' ? 'Grocery Stores, Supermarkets' : '超市、便利店',
    address: '北京市 朝阳区建国路88号',
    legalPersonName: '张三',
  },
  settlement: { cycle: 'T0', bankName: '中国工商银行', accountName: '张三', accountTail: '0000' },
  feePlan: SHIPPED_DEFAULT_PLANS.LOW,
});

describe('money and rates as integers', () => {
  it('formats basis points and fen without floats', () => {
    expect(formatBps(50)).toBe('0.50%');
    expect(formatBps(5)).toBe('0.05%');
    expect(formatBps(300)).toBe('3.00%');
    expect(formatFenAsYuan(2000)).toBe('20');
    expect(formatFenAsYuan(2050)).toBe('20.50');
    expect(formatFenAsYuan(5)).toBe('0.05');
    expect(rateLines(SHIPPED_DEFAULT_PLANS.LOW.rates, 'zh-CN')[0]).toBe('借记卡 0.50% 封顶 20 元');
    expect(rateLines(SHIPPED_DEFAULT_PLANS.LOW.rates, 'en')[0]).toBe('Debit card 0.50%, capped at CNY 20');
  });
});

describe('the agreement PDF', () => {
  it('has real, extractable Chinese text in an embedded font subset, and the same bytes each time', async () => {
    const pdf = await renderAgreementPdf(content('zh-CN'));
    expect(
      createHash('sha256')
        .update(await renderAgreementPdf(content('zh-CN')))
        .digest('hex'),
    ).toBe(createHash('sha256').update(pdf).digest('hex'));
    const file = join(dir, 'zh.pdf');
    writeFileSync(file, pdf);
    const { stdout: text } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    for (const expected of [
      '扫码支付服务协议',
      '张三便利店',
      '102110554110001',
      '借记卡 0.50% 封顶 20 元',
      '贷记卡 0.60%',
      '每笔交易另加 0.05%',
    ])
      expect(text).toContain(expected);
    const { stdout: fonts } = await run('pdffonts', [file]);
    // A subset (the `ABCDEF+` prefix), embedded (`yes yes yes`: emb sub uni).
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    // Tens of KB: the subset, not the 10 MB font.
    expect(pdf.byteLength).toBeLessThan(200_000);
    // A page a person can look at: pdftoppm draws it (PNG in the test's temp dir).
    await run('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    expect(statSync(join(dir, 'page-1.png')).size).toBeGreaterThan(5_000);
  });

  it('is written in the merchant locale, with the Chinese business name still real text', async () => {
    const file = join(dir, 'en.pdf');
    writeFileSync(file, await renderAgreementPdf(content('en')));
    const { stdout: text } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    expect(text).toContain('Merchant Agreement');
    expect(text).toContain('张三便利店');
    expect(text).toContain('Debit card 0.50%, capped at CNY 20');
  });
});
