-- 0009_fresh_check: a command on PostgreSQL in one round trip (issue 19, docs/decisions/009).
--
-- A process that committed an aggregate's last step remembers its audit head and its deadlines
-- (each with its row version, `xmin`). Its next command on that aggregate sends everything at once:
-- BEGIN, the compare-and-set of the record, a check that the remembered head and deadlines are
-- still the stored ones (locking them), the held-back writes and COMMIT. The statements cannot look
-- at each other's answers, so a miss must end the transaction by itself: this function raises, and
-- the rest of the pipeline, COMMIT included, is refused by the server. The store then forgets what
-- it remembered and runs the transaction again the usual way.
--   YS001: a remembered audit head or deadline is no longer the stored one (re-run);
--   YS002: the record's compare-and-set found another version (a version conflict).

CREATE FUNCTION fresh_or_raise(ok boolean, code text, what text) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  AS $$ BEGIN
    IF ok IS NOT TRUE THEN RAISE EXCEPTION 'stale: %', what USING ERRCODE = code; END IF;
    RETURN 1;
  END $$;
