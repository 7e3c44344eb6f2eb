-- The effects reconciler (workers/effects.ts) lists, at every pass, the cases whose 一案双查 is not
-- settled: reviews requested (opening) or open. They are few of all cases; a partial index keeps the
-- pass from reading the whole table.
CREATE INDEX cases_dual_unsettled ON cases (updated_at) WHERE dual_state IN ('opening', 'open');
