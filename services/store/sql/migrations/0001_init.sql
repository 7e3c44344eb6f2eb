-- 0001_init: the tables of ARCHITECTURE.md §4 and the indexes the services query by.
-- No foreign keys: the mongo adapter has none either, and the services check references
-- (both adapters pass the same contract suite). Text columns that are compared byte-wise
-- (audit streams, dotted states) use COLLATE "C" so ordering and LIKE prefixes use the
-- index and are the same on every server whatever its default collation.

CREATE TABLE orgs (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  level           text NOT NULL,
  parent_id       text,
  party_committee text,
  discipline_body text,
  created_at      timestamptz NOT NULL
);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE users (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  org_id     text NOT NULL,
  roles      jsonb NOT NULL,
  person_id  text,
  created_at timestamptz NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE cases (
  id              text PRIMARY KEY,
  org_id          text NOT NULL,
  machine_id      text NOT NULL,
  machine_version integer NOT NULL,
  snapshot        jsonb NOT NULL,
  state           text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  number          text NOT NULL,
  title           text NOT NULL,
  dual_state      text NOT NULL,
  assignees       jsonb NOT NULL,
  flags           jsonb NOT NULL,
  search_text     text NOT NULL,
  reporter_sealed text,
  data            jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX cases_org_state ON cases (org_id, state);
CREATE INDEX cases_updated_at ON cases (updated_at);
CREATE INDEX cases_assignees ON cases USING gin (assignees jsonb_path_ops);

CREATE TABLE reviews (
  id              text PRIMARY KEY,
  org_id          text NOT NULL,
  machine_id      text NOT NULL,
  machine_version integer NOT NULL,
  snapshot        jsonb NOT NULL,
  state           text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  case_id         text NOT NULL,
  kind            text NOT NULL,
  target          text NOT NULL,
  assignees       jsonb NOT NULL,
  data            jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX reviews_case_kind ON reviews (case_id, kind);
CREATE INDEX reviews_org_state ON reviews (org_id, state);
CREATE INDEX reviews_updated_at ON reviews (updated_at);

CREATE TABLE dispositions (
  id          text PRIMARY KEY,
  case_id     text NOT NULL,
  review_id   text,
  person_id   text NOT NULL,
  person_name text,
  rank        text NOT NULL,
  org_id      text NOT NULL,
  org_level   text NOT NULL,
  measure     text NOT NULL,
  form        smallint NOT NULL CHECK (form BETWEEN 1 AND 4),
  decided_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX dispositions_decided ON dispositions (decided_at, org_id);
CREATE INDEX dispositions_case ON dispositions (case_id);

CREATE TABLE deadlines (
  id                 text PRIMARY KEY,
  aggregate_type     text NOT NULL,
  aggregate_id       text NOT NULL,
  org_id             text NOT NULL,
  key                text NOT NULL,
  opened_at          timestamptz NOT NULL,
  due_at             timestamptz NOT NULL,
  steps              jsonb NOT NULL,
  status             text NOT NULL,
  escalation         text NOT NULL,
  calendar_uncertain boolean NOT NULL,
  closed_at          timestamptz
);
CREATE INDEX deadlines_aggregate ON deadlines (aggregate_type, aggregate_id);
CREATE INDEX deadlines_status ON deadlines (status);

-- One hash chain per stream (services/audit/hash.ts). `at` is text, not timestamptz: the hash
-- covers the exact string the caller gave, so it must come back byte for byte.
CREATE TABLE audit_events (
  stream     text COLLATE "C" NOT NULL,
  seq        integer NOT NULL,
  at         text NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  outcome    text NOT NULL,
  from_state text,
  to_state   text,
  detail     jsonb,
  prev_hash  text NOT NULL,
  hash       text NOT NULL,
  PRIMARY KEY (stream, seq)
);

-- The last link of each chain. Appends lock this row, so one stream's appends are serialised,
-- and verification compares it with the chain's tail (a deleted last event is detected).
CREATE TABLE audit_heads (
  stream text COLLATE "C" PRIMARY KEY,
  seq    integer NOT NULL,
  hash   text NOT NULL
);

CREATE TABLE outbox (
  id           text PRIMARY KEY,
  queue        text NOT NULL,
  name         text NOT NULL,
  data         jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  run_at       timestamptz,
  delivered_at timestamptz
);
CREATE INDEX outbox_undelivered ON outbox (created_at, id) WHERE delivered_at IS NULL;

CREATE TABLE notifications (
  id             text PRIMARY KEY,
  user_id        text NOT NULL,
  kind           text NOT NULL,
  title          text NOT NULL,
  body           text NOT NULL,
  aggregate_type text,
  aggregate_id   text,
  created_at     timestamptz NOT NULL,
  read_at        timestamptz
);
CREATE INDEX notifications_user_created ON notifications (user_id, created_at DESC);

CREATE TABLE calendars (
  year       integer PRIMARY KEY,
  holidays   jsonb NOT NULL,
  workdays   jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE case_numbers (
  org_id text NOT NULL,
  year   integer NOT NULL,
  seq    integer NOT NULL,
  PRIMARY KEY (org_id, year)
);
