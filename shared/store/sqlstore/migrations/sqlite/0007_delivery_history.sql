-- Delivery history (docs/product.md, CHAT_DELIVERY_RETENTION). A delivered webhook moves from
-- the outbox to delivered_webhooks, keeping its outbox id, so the outbox holds only pending and
-- dead rows and leasing never reads history. Every attempt, of any delivery, is kept in
-- delivery_attempts. Both are pruned in batches once delivered_at is older than the retention.
-- Times are Unix milliseconds.
CREATE TABLE delivered_webhooks (
	id           INTEGER PRIMARY KEY,
	command      TEXT    NOT NULL,
	body         TEXT    NOT NULL,
	client_ip    TEXT    NOT NULL,
	platform     TEXT    NOT NULL,
	order_key    TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	attempts     INTEGER NOT NULL,
	delivered_at INTEGER NOT NULL
);
CREATE INDEX delivered_webhooks_at ON delivered_webhooks (delivered_at);

-- status 0: no HTTP answer (timeout, connection error); answer: its first 1 KiB; request: the
-- URL and headers sent, secrets masked.
CREATE TABLE delivery_attempts (
	id           INTEGER PRIMARY KEY,
	delivery_id  INTEGER NOT NULL,
	attempted_at INTEGER NOT NULL,
	status       INTEGER NOT NULL,
	latency_ms   INTEGER NOT NULL,
	error        TEXT    NOT NULL,
	answer       TEXT    NOT NULL,
	request      TEXT    NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);

-- The console and cmd/deliveries list dead letters newest first without reading pending rows.
CREATE INDEX deliveries_dead ON deliveries (id) WHERE state = 2;
