-- 0007_talk_parties: the talks ledger by party, for the yearly coverage (issue 18 §2,
-- services/store/sql/coverage.ts). Coverage asks, for each obligation, the first talk by a talker
-- with a person talked to (or an org whose leaders attended). Read from `talks`, each talk's jsonb
-- arrays are unnested at every query (200,000 talks of a province, bench/responsibility.ts: ~0.35 s
-- of the statement, the planner taking each array for 100 elements); from this table, one row per
-- person talked to and per attending org, the same matching takes ~0.1–0.2 s.
--
-- Kept by triggers on `talks`, per statement (one INSERT of the parties of all rows inserted), so
-- that neither adapter code nor a bulk load can forget it; talks are recorded once and not edited,
-- but an edit or a delete keeps it right all the same. `party_kind`: 'person' (talked to) or 'org'
-- (its leaders attended). A person named twice in a talk has two rows: harmless to a first-talk query.

CREATE TABLE talk_parties (
  talk_id           text NOT NULL REFERENCES talks (id) ON DELETE CASCADE,
  year              integer NOT NULL,
  kind              text NOT NULL,
  held_on           text COLLATE "C" NOT NULL,
  talker_person_id  text NOT NULL,
  party_kind        text NOT NULL,
  party_id          text NOT NULL
);
CREATE INDEX talk_parties_talk ON talk_parties (talk_id);
-- A request looks up its (talker, party), or its party when any talker counts, within its dates.
CREATE INDEX talk_parties_talker ON talk_parties (talker_person_id, party_id, held_on);
CREATE INDEX talk_parties_party ON talk_parties (party_id, held_on);

CREATE FUNCTION talk_parties_of_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO talk_parties (talk_id, year, kind, held_on, talker_person_id, party_kind, party_id)
  SELECT t.id, t.year, t.kind, t.held_on, t.talker_person_id, 'person', p.v
    FROM new_talks t CROSS JOIN LATERAL jsonb_array_elements_text(t.talked_person_ids) p(v)
  UNION ALL
  SELECT t.id, t.year, t.kind, t.held_on, t.talker_person_id, 'org', o.v
    FROM new_talks t CROSS JOIN LATERAL jsonb_array_elements_text(t.attendee_org_ids) o(v);
  RETURN NULL;
END $$;

CREATE FUNCTION talk_parties_of_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM talk_parties WHERE talk_id IN (SELECT id FROM old_talks);
  INSERT INTO talk_parties (talk_id, year, kind, held_on, talker_person_id, party_kind, party_id)
  SELECT t.id, t.year, t.kind, t.held_on, t.talker_person_id, 'person', p.v
    FROM new_talks t CROSS JOIN LATERAL jsonb_array_elements_text(t.talked_person_ids) p(v)
  UNION ALL
  SELECT t.id, t.year, t.kind, t.held_on, t.talker_person_id, 'org', o.v
    FROM new_talks t CROSS JOIN LATERAL jsonb_array_elements_text(t.attendee_org_ids) o(v);
  RETURN NULL;
END $$;

CREATE TRIGGER talks_parties_inserted AFTER INSERT ON talks
  REFERENCING NEW TABLE AS new_talks FOR EACH STATEMENT EXECUTE FUNCTION talk_parties_of_new();
CREATE TRIGGER talks_parties_updated AFTER UPDATE ON talks
  REFERENCING OLD TABLE AS old_talks NEW TABLE AS new_talks FOR EACH STATEMENT EXECUTE FUNCTION talk_parties_of_edited();

-- The talks recorded before this migration.
INSERT INTO talk_parties (talk_id, year, kind, held_on, talker_person_id, party_kind, party_id)
SELECT t.id, t.year, t.kind, t.held_on, t.talker_person_id, 'person', p.v
  FROM talks t CROSS JOIN LATERAL jsonb_array_elements_text(t.talked_person_ids) p(v)
UNION ALL
SELECT t.id, t.year, t.kind, t.held_on, t.talker_person_id, 'org', o.v
  FROM talks t CROSS JOIN LATERAL jsonb_array_elements_text(t.attendee_org_ids) o(v);

-- Statistics now: planned without them (an empty table), the coverage statement would scan the
-- parties once per request.
ANALYZE talk_parties;
