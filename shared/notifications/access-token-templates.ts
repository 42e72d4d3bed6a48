import { emailRenderer, type TemplateFamily } from './template-engine';

/**
 * The merchant access token an operator reissued (the merchant's token was revoked or lost), zh-CN
 * and English. Email only, and only to the registered contact address: the token is a bearer
 * credential, so it never goes by SMS (shown on lock screens) nor into the API response.
 */

export type AccessTokenTemplate = 'ACCESS_TOKEN_REISSUED';

/** Values of the reissue notice; the business name is escaped like any value. */
export interface AccessTokenTemplateValues {
  readonly businessName: string;
  readonly applicationId: string;
  readonly accessToken: string;
}

/** The access-token family (no SMS templates). */
export const ACCESS_TOKEN_TEMPLATES: TemplateFamily<AccessTokenTemplate, AccessTokenTemplateValues> = {
  copy: {
    'zh-CN': {
      ACCESS_TOKEN_REISSUED: (v) => ({
        subject: `商户访问令牌已重新签发：${v.applicationId}`,
        blocks: [
          `运营人员已为申请 ${v.applicationId}（${v.businessName}）重新签发访问令牌，此前的令牌已立即失效。`,
          { list: [`新访问令牌：${v.accessToken}`] },
          '请妥善保管，不要转发或截图分享。如非本人申请，请立即联系客服。',
        ],
      }),
    },
    en: {
      ACCESS_TOKEN_REISSUED: (v) => ({
        subject: `Your merchant access token was reissued: ${v.applicationId}`,
        blocks: [
          `An operator reissued the access token of application ${v.applicationId} (${v.businessName}); the previous token stopped working at once.`,
          { list: [`New access token: ${v.accessToken}`] },
          'Keep it secret: do not forward or share it. If you did not ask for this, contact support at once.',
        ],
      }),
    },
  },
  smsTemplateIds: {},
};

/** Renders the reissue email (text and escaped HTML). */
export const renderAccessTokenEmail = /* @__PURE__ */ emailRenderer(ACCESS_TOKEN_TEMPLATES);
