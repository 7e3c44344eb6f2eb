-- 0005_responsibility: passing responsibility down (issue 18). The responsibility map (posts held
-- over time), the talks ledger and its follow-up items, rectifications (以案促改), the 一案双查
-- proposals of the frequency trigger, and the notices of the yearly coverage worker.
-- Dates of the map and the ledger are civil dates (YYYY-MM-DD text, compared byte-wise).

CREATE TABLE responsibility_posts (
  id                     text PRIMARY KEY,
  org_id                 text NOT NULL,
  post                   text NOT NULL,
  person_id              text NOT NULL,
  person_name            text NOT NULL,
  title                  text,
  portfolio_org_ids      jsonb NOT NULL,
  portfolio_departments  jsonb NOT NULL,
  from_date              text COLLATE "C" NOT NULL,
  to_date                text COLLATE "C",
  appointed_by           text NOT NULL,
  recorded_at            timestamptz NOT NULL,
  ended_by               text,
  ended_recorded_at      timestamptz,
  end_reason             text
);
CREATE INDEX responsibility_posts_org ON responsibility_posts (org_id, from_date);
CREATE INDEX responsibility_posts_person ON responsibility_posts (person_id);
CREATE INDEX responsibility_posts_portfolio ON responsibility_posts USING gin (portfolio_org_ids jsonb_path_ops);

CREATE TABLE talks (
  id                   text PRIMARY KEY,
  org_id               text NOT NULL,
  kind                 text NOT NULL,
  held_on              text COLLATE "C" NOT NULL,
  year                 integer NOT NULL,
  talker_person_id     text NOT NULL,
  talker               jsonb NOT NULL,
  talked_to            jsonb NOT NULL,
  talked_person_ids    jsonb NOT NULL,
  attendee_org_ids     jsonb NOT NULL,
  concerns             jsonb NOT NULL,
  topics               jsonb NOT NULL,
  problems             jsonb NOT NULL,
  commitments          jsonb NOT NULL,
  first_form_case_id   text,
  recorded_by          text NOT NULL,
  recorded_at          timestamptz NOT NULL
);
CREATE INDEX talks_year_org ON talks (year, org_id);
CREATE INDEX talks_year_talker ON talks (year, talker_person_id);
CREATE INDEX talks_talked ON talks USING gin (talked_person_ids jsonb_path_ops);

CREATE TABLE talk_follow_ups (
  id              text PRIMARY KEY,
  org_id          text NOT NULL,
  machine_id      text NOT NULL,
  machine_version integer NOT NULL,
  snapshot        jsonb NOT NULL,
  state           text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  talk_id         text NOT NULL,
  owner_person_id text NOT NULL,
  assignees       jsonb NOT NULL,
  data            jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX talk_follow_ups_talk ON talk_follow_ups (talk_id);
CREATE INDEX talk_follow_ups_org_state ON talk_follow_ups (org_id, state);

CREATE TABLE rectifications (
  id              text PRIMARY KEY,
  org_id          text NOT NULL,
  machine_id      text NOT NULL,
  machine_version integer NOT NULL,
  snapshot        jsonb NOT NULL,
  state           text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  source_type     text NOT NULL,
  source_id       text NOT NULL,
  unit_org_id     text NOT NULL,
  assignees       jsonb NOT NULL,
  data            jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX rectifications_source ON rectifications (source_type, source_id);
CREATE INDEX rectifications_org_state ON rectifications (org_id, state);
CREATE INDEX rectifications_unit ON rectifications (unit_org_id);

CREATE TABLE dual_proposals (
  id               text PRIMARY KEY,
  unit_org_id      text NOT NULL,
  org_id           text NOT NULL,
  window_key       text NOT NULL,
  rule             text NOT NULL,
  case_ids         jsonb NOT NULL,
  status           text NOT NULL,
  created_at       timestamptz NOT NULL,
  decided_by       text,
  decided_at       timestamptz,
  decision_reason  text,
  review_id        text
);
CREATE UNIQUE INDEX dual_proposals_unit_window ON dual_proposals (unit_org_id, window_key);
CREATE INDEX dual_proposals_org_status ON dual_proposals (org_id, status);

CREATE TABLE coverage_notices (
  id          text PRIMARY KEY,
  year        integer NOT NULL,
  kind        text NOT NULL,
  obligation  text NOT NULL,
  org_id      text NOT NULL,
  at          timestamptz NOT NULL
);
CREATE INDEX coverage_notices_year ON coverage_notices (year);
