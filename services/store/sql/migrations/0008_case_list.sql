-- 0008_case_list: the case list (`GET /cases`, its ledger download) pages 10,000 cases in ≤ 200 ms
-- (issue 16, bench/list.ts). Every page counts the cases the reader may see, and the recusal rule
-- (services/authz: a declared recusal, or a subject with the reader's name or person id) read each
-- case's whole snapshot to find out: the count decompressed and parsed every snapshot of the
-- reader's scope at every page (37 ms of 10,000 on PostgreSQL, several times that on PGlite).
-- The facts the rule needs are kept beside the snapshot, as generated columns: PostgreSQL derives
-- them on every insert and update, so neither adapter code nor a bulk load can forget them.
ALTER TABLE cases
  ADD COLUMN recused_user_ids jsonb GENERATED ALWAYS AS (jsonb_path_query_array(snapshot, '$.context.recusals[*].userId')) STORED,
  ADD COLUMN subject_names jsonb GENERATED ALWAYS AS (jsonb_path_query_array(snapshot, '$.context.subjects[*].name')) STORED,
  ADD COLUMN subject_person_ids jsonb GENERATED ALWAYS AS (jsonb_path_query_array(snapshot, '$.context.subjects[*].personId')) STORED,
  -- `?orgId=`: the clue's unit (`data.orgId`; before issue 17 the record's org), indexed for the org subtree filter.
  ADD COLUMN unit_org_id text GENERATED ALWAYS AS (coalesce(data ->> 'orgId', org_id)) STORED;

CREATE INDEX cases_unit_org ON cases (unit_org_id, updated_at);

-- `?overdue=true`: the cases with a running clock past its due time, probed per case along the
-- list's order (or hashed for the count) from the few overdue clocks instead of all of a case's clocks.
CREATE INDEX deadlines_case_overdue ON deadlines (aggregate_id) WHERE aggregate_type = 'case' AND status = 'overdue';
