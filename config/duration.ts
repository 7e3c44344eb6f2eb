/**
 * ISO-8601 durations of fixed length (`PT2S`, `P3D`, `PT1H30M`, `P1W`, `PT0.5S`) for
 * `DEADLINE_OVERRIDES`. Years and months are refused: their length depends on the start date, and an
 * override is meant to be a plain clock for demos and tests. A day is 24 h (CST has no DST).
 */
const NUM = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION_RE = new RegExp(`^P(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`);
const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000];

/** Length in milliseconds of an ISO-8601 duration; throws an Error quoting the text when invalid. */
export function parseDuration(text: string): number {
  const fail = (why: string): never => {
    throw new Error(`invalid ISO-8601 duration ${JSON.stringify(text)}: ${why}`);
  };
  if (/^P[^T]*[YM]/.test(text)) fail('years and months have no fixed length; use W, D, H, M (after T) or S');
  const m = DURATION_RE.exec(text);
  if (!m || text.endsWith('T')) return fail('expected a form such as PT2S, P3D or PT1H30M');
  const parts = m.slice(1, 6);
  const present = parts.flatMap((p, i) => (p === undefined ? [] : [i]));
  if (present.length === 0) fail('no amount');
  // ISO 8601 allows a fraction only on the smallest component given.
  if (present.slice(0, -1).some((i) => /[.,]/.test(parts[i]!))) fail('only the last component may have a fraction');
  const ms = present.reduce((sum, i) => sum + Number(parts[i]!.replace(',', '.')) * UNIT_MS[i]!, 0);
  return Math.round(ms);
}

/** True when {@link parseDuration} accepts `text`. */
export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}
