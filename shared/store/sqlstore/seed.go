package sqlstore

import (
	"context"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

// seedChunk is how many rows one seeding transaction writes.
const seedChunk = 10000

// SeedFollowers makes each of followers (imported when missing) follow to (imported when
// missing) at the given time, with a few set-based statements however many they are, keeping
// the counts exact. It is for benchmarks and load tools that need an account with 100,000
// followers in seconds; followers must not follow to already, nor be followed by it.
// (WHERE true before ON CONFLICT: SQLite would read ON as a join constraint.)
func (s *Store) SeedFollowers(ctx context.Context, to string, followers []string, at time.Time) error {
	return s.seed(ctx, followers, func(followers []string, each string) []seedStep {
		list := jsonList(append([]string{to}, followers...))
		from := jsonList(followers)
		return []seedStep{
			{`INSERT INTO accounts (user_id, created_at) SELECT value, $2 FROM ` + each + ` WHERE true ON CONFLICT (user_id) DO NOTHING`, []any{list, at.Unix()}},
			{`INSERT INTO follows (from_id, to_id, followed_at) SELECT value, $2, $3 FROM ` + each, []any{from, to, at.Unix()}},
			{`UPDATE accounts SET following_count = following_count + 1 WHERE user_id IN LIST($1)`, []any{from}},
			{`UPDATE accounts SET follower_count = follower_count + $2 WHERE user_id = $1`, []any{to, len(followers)}},
		}
	})
}

// SeedSubscriptions creates the official accounts officials, owned by owner, each with
// subscriber (imported when missing) as a subscriber, with a few set-based statements. It is
// for benchmarks, as SeedFollowers.
func (s *Store) SeedSubscriptions(ctx context.Context, subscriber, owner string, officials []string, at time.Time) error {
	return s.seed(ctx, officials, func(officials []string, each string) []seedStep {
		list := jsonList(officials)
		return []seedStep{
			{`INSERT INTO accounts (user_id, created_at) SELECT value, $2 FROM ` + each + ` WHERE true ON CONFLICT (user_id) DO NOTHING`,
				[]any{jsonList([]string{subscriber, owner}), at.Unix()}},
			{`INSERT INTO official_accounts (official_id, owner_id, name, max_subscribers, subscriber_num, created_at)
				SELECT value, $2, value, 1000000, 1, $3 FROM ` + each, []any{list, owner, at.Unix()}},
			{`INSERT INTO subscriptions (official_id, subscriber_id, subscribed_at) SELECT value, $2, $3 FROM ` + each,
				[]any{list, subscriber, at.Unix()}},
		}
	})
}

// seedStep is one statement of a seeding transaction.
type seedStep struct {
	q    string
	args []any
}

// seed runs the statements steps makes for ids, in transactions of seedChunk ids: each statement
// stays well inside a statement timeout. each is the dialect's table of the JSON array in $1.
func (s *Store) seed(ctx context.Context, ids []string, steps func(ids []string, each string) []seedStep) error {
	for len(ids) > seedChunk {
		if err := s.seed(ctx, ids[:seedChunk], steps); err != nil {
			return err
		}
		ids = ids[seedChunk:]
	}
	each := "json_each($1)"
	if s.d.name == "postgres" {
		each = "json_array_elements_text($1::json) AS j(value)"
	}
	return s.Update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		for _, step := range steps(ids, each) {
			if _, err := t.exec(ctx, step.q, step.args...); err != nil {
				return err
			}
		}
		return nil
	})
}
