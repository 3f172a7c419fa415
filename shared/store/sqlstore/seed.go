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
	// In transactions of seedChunk followers: each statement stays well inside a statement timeout.
	for len(followers) > seedChunk {
		if err := s.SeedFollowers(ctx, to, followers[:seedChunk], at); err != nil {
			return err
		}
		followers = followers[seedChunk:]
	}
	list := jsonList(append([]string{to}, followers...))
	from := jsonList(followers)
	each := "json_each($1)"
	if s.d.name == "postgres" {
		each = "json_array_elements_text($1::json) AS j(value)"
	}
	return s.Update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		for _, step := range []struct {
			q    string
			args []any
		}{
			{`INSERT INTO accounts (user_id, created_at) SELECT value, $2 FROM ` + each + ` WHERE true ON CONFLICT (user_id) DO NOTHING`, []any{list, at.Unix()}},
			{`INSERT INTO follows (from_id, to_id, followed_at) SELECT value, $2, $3 FROM ` + each, []any{from, to, at.Unix()}},
			{`UPDATE accounts SET following_count = following_count + 1 WHERE user_id IN LIST($1)`, []any{from}},
			{`UPDATE accounts SET follower_count = follower_count + $2 WHERE user_id = $1`, []any{to, len(followers)}},
		} {
			if _, err := t.exec(ctx, step.q, step.args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// SeedSubscriptions creates the official accounts officials, owned by owner, each with
// subscriber (imported when missing) as a subscriber, with a few set-based statements. It is
// for benchmarks, as SeedFollowers.
func (s *Store) SeedSubscriptions(ctx context.Context, subscriber, owner string, officials []string, at time.Time) error {
	for len(officials) > seedChunk {
		if err := s.SeedSubscriptions(ctx, subscriber, owner, officials[:seedChunk], at); err != nil {
			return err
		}
		officials = officials[seedChunk:]
	}
	list := jsonList(officials)
	each := "json_each($1)"
	if s.d.name == "postgres" {
		each = "json_array_elements_text($1::json) AS j(value)"
	}
	return s.Update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		for _, step := range []struct {
			q    string
			args []any
		}{
			{`INSERT INTO accounts (user_id, created_at) SELECT value, $2 FROM ` + each + ` WHERE true ON CONFLICT (user_id) DO NOTHING`,
				[]any{jsonList([]string{subscriber, owner}), at.Unix()}},
			{`INSERT INTO official_accounts (official_id, owner_id, name, max_subscribers, subscriber_num, created_at)
				SELECT value, $2, value, 1000000, 1, $3 FROM ` + each, []any{list, owner, at.Unix()}},
			{`INSERT INTO subscriptions (official_id, subscriber_id, subscribed_at) SELECT value, $2, $3 FROM ` + each,
				[]any{list, subscriber, at.Unix()}},
		} {
			if _, err := t.exec(ctx, step.q, step.args...); err != nil {
				return err
			}
		}
		return nil
	})
}
