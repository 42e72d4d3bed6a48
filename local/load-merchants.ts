import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import * as keys from '../shared/keys';
import { LOCAL_ACCESS_KEY_ID, LOCAL_REGION, LOCAL_SECRET_ACCESS_KEY, TABLE_NAME } from './constants';
import type { LoadMerchant } from './transaction-producer';

/**
 * Makes the generated merchants known to the local table (an ACTIVE individual merchant each,
 * without personal data beyond example contacts), so the consumer counts their records instead of
 * setting them aside. Only for the local stack (127.0.0.1), the load generator and the bench.
 */
export async function seedLoadMerchants(
  dynamodbUrl: string,
  merchants: readonly LoadMerchant[],
): Promise<void> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+$/.test(dynamodbUrl))
    throw new Error(`${dynamodbUrl} is not local`);
  const client = new DynamoDBClient({
    endpoint: dynamodbUrl,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
  const now = new Date().toISOString();
  try {
    for (let start = 0; start < merchants.length; start += 25) {
      await Promise.all(
        merchants.slice(start, start + 25).map((merchant, offset) =>
          client
            .send(
              new PutItemCommand({
                TableName: TABLE_NAME,
                Item: marshall({
                  ...keys.merchant(merchant.merchantNo),
                  merchantNo: merchant.merchantNo,
                  status: 'ACTIVE',
                  version: 1,
                  type: 'INDIVIDUAL',
                  business: {
                    name: `负载测试商户${start + offset}`,
                    mcc: '5411',
                    address: { divisionCode: merchant.divisionCode, detail: '测试地址' },
                  },
                  contact: {
                    name: '测试',
                    phone: '13800138000',
                    email: `load-${merchant.merchantNo}@example.com`,
                  },
                  locale: 'zh-CN',
                  terminalCount: merchant.terminals.length,
                  createdAt: now,
                  updatedAt: now,
                }),
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            )
            .catch((error: Error) => {
              if (error.name !== 'ConditionalCheckFailedException') throw error;
            }),
        ),
      );
    }
  } finally {
    client.destroy();
  }
}
