import {
  BatchGetItemCommand,
  type ConsumedCapacity,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * Capacity units DynamoDB reported for this process's requests, for `npm run bench`'s cost and
 * scale figures: read requests, item writes (each item of a transaction counts) and their units.
 * Writes refused by a condition report no capacity, so they are in neither count.
 */
export const consumedCapacity = { reads: 0, readUnits: 0, writes: 0, writeUnits: 0 };

/** What one function's invocations asked of DynamoDB: every request, and the item reads and writes. */
export interface FunctionCapacity {
  /** DynamoDB requests of any kind (item reads and writes, and anything else). */
  requests: number;
  reads: number;
  readUnits: number;
  writes: number;
  writeUnits: number;
}

/**
 * The part of {@link consumedCapacity} used inside each function's invocations, by function name,
 * when {@link countConsumedCapacity} was told how to name the running invocation (also counted in
 * the totals).
 */
export const capacityByFunction = new Map<string, FunctionCapacity>();

/** A copy of what `functionName`'s invocations used so far (zeros for a function not seen). */
export function capacityOf(functionName: string): FunctionCapacity {
  return {
    ...(capacityByFunction.get(functionName) ?? {
      requests: 0,
      reads: 0,
      readUnits: 0,
      writes: 0,
      writeUnits: 0,
    }),
  };
}

function unitsOf(reported: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  let units = 0;
  for (const entry of Array.isArray(reported) ? reported : reported ? [reported] : []) {
    units += entry.CapacityUnits ?? 0;
  }
  return units;
}

type Send = DynamoDBClient['send'];

/**
 * Makes every DynamoDB client of this process (the handlers' too: the local stack loads them here)
 * ask for `ReturnConsumedCapacity: TOTAL` on the item reads and writes the table adapter makes, and
 * counts what DynamoDB reports into {@link consumedCapacity}. The product's adapters know nothing
 * of it. Returns the undo.
 */
export function countConsumedCapacity(
  options: {
    /** The function whose invocation makes the request (undefined outside one), for {@link capacityByFunction}. */
    readonly invokedFunction?: () => string | undefined;
  } = {},
): () => void {
  const prototype = DynamoDBClient.prototype as unknown as { send: Send };
  const original = prototype.send;
  const counting = async function (this: DynamoDBClient, command: Parameters<Send>[0], ...rest: unknown[]) {
    const read =
      command instanceof GetItemCommand ||
      command instanceof QueryCommand ||
      command instanceof BatchGetItemCommand;
    const write =
      command instanceof PutItemCommand ||
      command instanceof UpdateItemCommand ||
      command instanceof TransactWriteItemsCommand;
    if (read || write)
      (command.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    // Named before the call, so a request that fails counts too.
    const functionName = options.invokedFunction?.();
    let own: FunctionCapacity | undefined;
    if (functionName !== undefined) {
      own = capacityByFunction.get(functionName);
      if (own === undefined) {
        own = { requests: 0, reads: 0, readUnits: 0, writes: 0, writeUnits: 0 };
        capacityByFunction.set(functionName, own);
      }
      own.requests += 1;
    }
    const output = (await (original as (...args: unknown[]) => Promise<unknown>).call(
      this,
      command,
      ...rest,
    )) as {
      ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
    };
    const units = unitsOf(output.ConsumedCapacity);
    const items =
      command instanceof TransactWriteItemsCommand ? (command.input.TransactItems ?? []).length : 1;
    for (const counter of own ? [consumedCapacity, own] : [consumedCapacity]) {
      if (read) {
        counter.reads += 1;
        counter.readUnits += units;
      } else if (write) {
        counter.writes += items;
        counter.writeUnits += units;
      }
    }
    return output;
  };
  prototype.send = counting as unknown as Send;
  return () => {
    prototype.send = original;
  };
}
