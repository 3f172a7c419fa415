-- Accounts with their profile and follow counts; counts are kept equal to the edges by the store.
CREATE TABLE accounts (
	user_id         TEXT    PRIMARY KEY,
	nick            TEXT    NOT NULL DEFAULT '',
	face_url        TEXT    NOT NULL DEFAULT '',
	profile_seq     INTEGER NOT NULL DEFAULT 0,
	following_count INTEGER NOT NULL DEFAULT 0,
	follower_count  INTEGER NOT NULL DEFAULT 0,
	mutual_count    INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);

-- One row per follow. seq is the order follows were made (AUTOINCREMENT never reuses a value).
CREATE TABLE follows (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	from_id     TEXT    NOT NULL,
	to_id       TEXT    NOT NULL,
	followed_at INTEGER NOT NULL,
	UNIQUE (from_id, to_id)
);
CREATE INDEX follows_following ON follows (from_id, followed_at DESC, seq DESC);
CREATE INDEX follows_followers ON follows (to_id, followed_at DESC, seq DESC);
