-- 0002_flush_rows: the held-back writes' row sources that the planner sizes right (issue 20), and
-- the index the outbox purge deletes by.
--
-- The write-flush statement (services/store/sql/hot.ts) updates audit heads and deadlines from a
-- JSON array of rows. `jsonb_populate_recordset` is estimated at 100 rows, so the prepared
-- statement's generic plan joined them by a sequential scan and hash join over the whole table
-- once the table had a few thousand rows. These functions return the same rows, declared ROWS 1
-- (a flush names one or two rows per table): the join is then a nested loop over the primary key
-- at every table size above a few pages. PL/pgSQL, because a SQL function would be inlined into
-- the statement (losing the estimate) or, made STRICT to prevent that, re-planned on every
-- execution; PL/pgSQL keeps its plan per session. STABLE like jsonb_populate_recordset.

CREATE FUNCTION flush_rows_audit_heads(rows jsonb) RETURNS SETOF audit_heads
  LANGUAGE plpgsql STABLE STRICT ROWS 1
  AS $$ BEGIN RETURN QUERY SELECT * FROM jsonb_populate_recordset(NULL::audit_heads, rows); END $$;

CREATE FUNCTION flush_rows_deadlines(rows jsonb) RETURNS SETOF deadlines
  LANGUAGE plpgsql STABLE STRICT ROWS 1
  AS $$ BEGIN RETURN QUERY SELECT * FROM jsonb_populate_recordset(NULL::deadlines, rows); END $$;

-- Delivered rows, oldest delivery first: the purge (outbox.purgeDelivered) deletes them in batches
-- without reading the undelivered ones or the whole table.
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
