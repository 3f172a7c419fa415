-- RECEIVER_RETENTION prunes the event log by the time an event was first received, oldest first,
-- in bounded batches; this index finds each batch without scanning the log.
CREATE INDEX IF NOT EXISTS receiver_events_received ON receiver_events (received_at, id);
