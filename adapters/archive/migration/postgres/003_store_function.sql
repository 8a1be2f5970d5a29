-- Archiving a message in one statement, so in one round trip and one implicit transaction: the key's
-- advisory lock, the insert, and the look-up of the first message under the key. The function is
-- VOLATILE (plpgsql's default), so under READ COMMITTED each statement in it takes a new snapshot: the
-- look-up, run after the lock is granted, sees a message another transaction committed under the same
-- key while this one waited, exactly as the separate statements of an explicit transaction did.
-- Nothing is answered on the strength of this commit, so it does not wait for its WAL flush; the
-- answer's own (synchronous) commit later flushes the log up to and past it.
CREATE OR REPLACE FUNCTION crossdock_archive_store(
    p_id text, p_key text, p_sum text, p_partner text, p_channel text, p_content_type text,
    p_partner_message_id text, p_correlation_id text, p_body bytea, p_received timestamptz,
    OUT inserted boolean, OUT first_id text)
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('crossdock.archive.key.' || p_key, 0));
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO inbound_message (id, dedup_key, body_sha256, partner_id, channel, content_type,
        partner_message_id, correlation_id, body, received_at, status, reason, answer_status,
        answer_content_type, answer_body, updated_at)
    VALUES (p_id, p_key, p_sum, p_partner, p_channel, p_content_type, p_partner_message_id,
        p_correlation_id, p_body, p_received, 'received', '', 0, '', NULL, p_received)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    inserted := n = 1;
    SELECT m.id INTO first_id FROM inbound_message m WHERE m.dedup_key = p_key ORDER BY m.seq LIMIT 1;
END
$$;
