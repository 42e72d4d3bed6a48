/* Pure counting helpers of the cost part (unit-tested in test/unit/bench/). */

/** State transitions billed for an execution's history: every state entered, plus each retry. */
export function transitionsOf(events: readonly { readonly type?: string }[]): number {
  let transitions = 0;
  let schedulesInState = 0;
  for (const event of events) {
    const type = event.type ?? '';
    if (type.endsWith('StateEntered')) {
      transitions += 1;
      schedulesInState = 0;
    } else if (type === 'TaskScheduled' || type === 'LambdaFunctionScheduled') {
      schedulesInState += 1;
      // A retry of the same state is billed as another transition.
      if (schedulesInState > 1) transitions += 1;
    }
  }
  return transitions;
}

/** Lambda invocations by an execution's Task states (callback Tasks invoke their function too). */
export function taskInvocationsOf(events: readonly { readonly type?: string }[]): number {
  return events.filter((event) => event.type === 'TaskScheduled' || event.type === 'LambdaFunctionScheduled')
    .length;
}

/**
 * SMS parts of a body: plain ASCII goes as GSM-7 (160 characters, 153 a part when longer), anything
 * else (Chinese, the 【】 of the signature) as UCS-2 (70 characters, 67 a part when longer).
 */
export function smsParts(body: string): number {
  const length = [...body].length;
  const [single, multi] = /^[\x20-\x7e\r\n]*$/.test(body) ? [160, 153] : [70, 67];
  return length <= single ? 1 : Math.ceil(length / multi);
}
