-- get_subscribed_official_account_list pages by Offset over a subscriber's subscriptions ordered
-- by subscription time, newest first, ties by subscription order (docs/wire.md section 7): one
-- backward range of this index, no sort.
CREATE INDEX subscriptions_subscriber_time ON subscriptions (subscriber_id, subscribed_at, seq);
