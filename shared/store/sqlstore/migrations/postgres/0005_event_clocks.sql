-- The last EventTime (Unix ms) issued for each order key (a From_Account or an official account).
-- A transaction that writes an event for a key takes its EventTime from here, under the row's
-- lock: max(now, last + 1). Rows are never deleted, so a key's clock survives the deletion and
-- re-creation of its account (docs/delivery.md).
CREATE TABLE event_clocks (
	order_key TEXT    PRIMARY KEY,
	last_ms   BIGINT  NOT NULL
);
