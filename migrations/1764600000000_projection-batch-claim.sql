-- Up Migration

-- A projection runner that knows where a projection stands (its own last commit) sends a batch as
-- one message: this claim, the batch's statements, the checkpoint and COMMIT. The claim holds the
-- projection's lock for the transaction and checks that the checkpoint is still the one the batch
-- was read after; otherwise it fails the whole message (nothing of the batch is applied) with
-- lock_not_available (another runner holds the lock) or object_not_in_prerequisite_state (the
-- checkpoint moved), and the runner takes the batch again the long way.
CREATE FUNCTION claim_projection_batch(projection text, after_major bigint, after_minor bigint, projection_version integer)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended('projection:' || projection, 0)) THEN
    RAISE EXCEPTION 'projection % is being applied by another runner', projection USING ERRCODE = 'lock_not_available';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM projection_checkpoint
                  WHERE name = projection AND position_major = after_major AND position_minor = after_minor
                    AND version = projection_version) THEN
    RAISE EXCEPTION 'projection % is no longer at (%, %) version %', projection, after_major, after_minor, projection_version
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
END;
$$;

-- Down Migration

DROP FUNCTION claim_projection_batch(text, bigint, bigint, integer);
