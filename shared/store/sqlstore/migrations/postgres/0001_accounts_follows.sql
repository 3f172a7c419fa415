-- Accounts with their profile and follow counts; counts are kept equal to the edges by the store.
CREATE TABLE accounts (
	user_id         TEXT   PRIMARY KEY,
	nick            TEXT   NOT NULL DEFAULT '',
	face_url        TEXT   NOT NULL DEFAULT '',
	profile_seq     BIGINT NOT NULL DEFAULT 0,
	following_count BIGINT NOT NULL DEFAULT 0,
	follower_count  BIGINT NOT NULL DEFAULT 0,
	mutual_count    BIGINT NOT NULL DEFAULT 0,
	created_at      BIGINT NOT NULL
);

-- One row per follow. seq is the order follows were made.
CREATE TABLE follows (
	seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	from_id     TEXT   NOT NULL,
	to_id       TEXT   NOT NULL,
	followed_at BIGINT NOT NULL,
	UNIQUE (from_id, to_id)
);
CREATE INDEX follows_following ON follows (from_id, followed_at DESC, seq DESC);
CREATE INDEX follows_followers ON follows (to_id, followed_at DESC, seq DESC);
