-- Idempotency-Key records (services/idempotency.ts, API.md "Idempotency"). A row is inserted in the
-- transaction of the command it belongs to, so a repeated request never runs the command twice,
-- across processes and restarts; the answer is stored once the first request has answered.
CREATE TABLE idempotency_keys (
  user_id        text        NOT NULL,
  key            text        NOT NULL,
  fingerprint    text        NOT NULL,
  status         integer     NOT NULL,
  aggregate_type text        NOT NULL,
  aggregate_id   text        NOT NULL,
  response       jsonb,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
