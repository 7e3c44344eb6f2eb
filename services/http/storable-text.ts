import type { FieldError } from '../errors';

/** A UTF-16 surrogate without its partner. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);
const MAX_ISSUES = 20;

/**
 * Strings in a request that no store keeps as sent: PostgreSQL refuses NUL in text and jsonb, and
 * a lone surrogate has no UTF-8 form (it is refused, or silently replaced by U+FFFD, so that the
 * record would differ from what was sent). They are a 400 naming the field, never a 500 from the store.
 * Iterative, because a 1 MiB body can nest deeper than the call stack.
 */
export function unstorableText(value: unknown): FieldError[] {
  const issues: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length && issues.length < MAX_ISSUES) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (unstorable(v)) issues.push({ path: path || '(body)', message: 'contains a NUL character or a lone surrogate' });
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        const at = path ? `${path}.${key}` : key;
        if (unstorable(key)) issues.push({ path: at, message: 'the field name contains a NUL character or a lone surrogate' });
        stack.push({ value: child, path: at });
      }
    }
  }
  return issues;
}
