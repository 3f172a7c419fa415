-- Official accounts; subscriber_num is kept equal to the subscriptions by the store.
CREATE TABLE official_accounts (
	official_id     TEXT    PRIMARY KEY,
	owner_id        TEXT    NOT NULL,
	name            TEXT    NOT NULL,
	introduction    TEXT    NOT NULL DEFAULT '',
	face_url        TEXT    NOT NULL DEFAULT '',
	organization    TEXT    NOT NULL DEFAULT '',
	custom_string   TEXT    NOT NULL DEFAULT '',
	max_subscribers INTEGER NOT NULL,
	subscriber_num  INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	last_msg_at     INTEGER NOT NULL DEFAULT 0
);

-- One row per subscription. seq is the order subscriptions were made (AUTOINCREMENT never reuses
-- a value); both lists page on it, so each page is a range of one index.
CREATE TABLE subscriptions (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	official_id   TEXT    NOT NULL,
	subscriber_id TEXT    NOT NULL,
	subscribed_at INTEGER NOT NULL,
	msg_flag      TEXT    NOT NULL DEFAULT 'AcceptAndNotify',
	custom_string TEXT    NOT NULL DEFAULT '',
	UNIQUE (official_id, subscriber_id)
);
CREATE INDEX subscriptions_official ON subscriptions (official_id, seq);
CREATE INDEX subscriptions_subscriber ON subscriptions (subscriber_id, seq);
