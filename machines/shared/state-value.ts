import type { StateValue } from 'xstate';

/** A state value as a dotted path (`talkInquiry.awaitingReply`); parallel values keep their first region. */
export function dotted(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key] = Object.keys(value);
  const child = value[key];
  return child === undefined || (typeof child === 'object' && Object.keys(child).length === 0) ? key : `${key}.${dotted(child)}`;
}
