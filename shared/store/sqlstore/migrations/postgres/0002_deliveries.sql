-- The outbox: after-webhooks written in the transaction of the change that caused them.
-- state: 0 pending, 2 dead (delivered rows are deleted).
CREATE TABLE deliveries (
	id          BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	command     TEXT     NOT NULL,
	body        TEXT     NOT NULL,
	client_ip   TEXT     NOT NULL,
	platform    TEXT     NOT NULL,
	order_key   TEXT     NOT NULL,
	created_at  BIGINT   NOT NULL,
	state       SMALLINT NOT NULL DEFAULT 0,
	attempts    INTEGER  NOT NULL DEFAULT 0,
	due_at      BIGINT   NOT NULL,
	lease_owner TEXT     NOT NULL DEFAULT '',
	lease_until BIGINT   NOT NULL DEFAULT 0,
	last_error  TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE state = 0;
CREATE INDEX deliveries_order ON deliveries (order_key, id) WHERE state = 0;
