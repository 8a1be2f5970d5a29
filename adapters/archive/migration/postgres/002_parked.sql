-- A message whose items or units the partner's crosswalk cannot resolve yet is parked: kept, answered as
-- accepted for processing, and processed again (crossdock replay message ID) once the mapping is fixed.
ALTER TABLE inbound_message DROP CONSTRAINT IF EXISTS inbound_message_status_check;
ALTER TABLE inbound_message ADD CONSTRAINT inbound_message_status_check
    CHECK (status IN ('received', 'accepted', 'rejected', 'failed', 'parked'));
CREATE INDEX IF NOT EXISTS inbound_message_parked ON inbound_message (received_at DESC, id)
    WHERE status = 'parked';
