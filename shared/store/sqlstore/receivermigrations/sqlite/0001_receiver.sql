-- The receivers' own migration set (applied to RECEIVER_DATABASE_URL, tracked in
-- receiver_schema_migrations). It was the server set's 0003_receiver.sql: IF NOT EXISTS adopts the
-- tables a database migrated before the split already has.
-- The receivers' event log: every verified webhook, once per (command, body hash). EventTime is
-- part of the body, so (event_time, command, body_hash) is the same identity, and leading with
-- the time keeps the index's inserts at its end rather than at random pages. Times are
-- Unix milliseconds; answer is the answer body sent ('' for the plain OK envelope). Rows are
-- pruned oldest first and the newest row is never pruned, so the rowid alone keeps ids
-- increasing (no AUTOINCREMENT bookkeeping).
CREATE TABLE IF NOT EXISTS receiver_events (
	id               INTEGER PRIMARY KEY,
	command          TEXT    NOT NULL,
	body_hash        TEXT    NOT NULL,
	body             TEXT    NOT NULL,
	event_time       INTEGER NOT NULL,
	client_ip        TEXT    NOT NULL,
	platform         TEXT    NOT NULL,
	received_at      INTEGER NOT NULL,
	answer           TEXT    NOT NULL,
	deliveries       INTEGER NOT NULL DEFAULT 1,
	last_received_at INTEGER NOT NULL,
	UNIQUE (event_time, command, body_hash)
);

-- The mirror the app backend keeps. Every fact remembers the EventTime (ms) that last set it;
-- absent rows are kept as tombstones so that older events cannot bring them back.
CREATE TABLE IF NOT EXISTS receiver_follows (
	from_id    TEXT    NOT NULL,
	to_id      TEXT    NOT NULL,
	present    INTEGER NOT NULL,
	event_time INTEGER NOT NULL,
	PRIMARY KEY (from_id, to_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS receiver_official_accounts (
	official_id  TEXT    PRIMARY KEY,
	owner_id     TEXT    NOT NULL DEFAULT '',
	name         TEXT    NOT NULL DEFAULT '',
	introduction TEXT    NOT NULL DEFAULT '',
	face_url     TEXT    NOT NULL DEFAULT '',
	organization TEXT    NOT NULL DEFAULT '',
	owner_time   INTEGER NOT NULL DEFAULT 0,
	name_time    INTEGER NOT NULL DEFAULT 0,
	profile_time INTEGER NOT NULL DEFAULT 0,
	present      INTEGER NOT NULL DEFAULT 0,
	state_time   INTEGER NOT NULL DEFAULT 0,
	destroyed_at INTEGER NOT NULL DEFAULT 0,
	full_at      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS receiver_subscriptions (
	official_id   TEXT    NOT NULL,
	subscriber_id TEXT    NOT NULL,
	present       INTEGER NOT NULL,
	event_time    INTEGER NOT NULL,
	PRIMARY KEY (official_id, subscriber_id)
) WITHOUT ROWID;
