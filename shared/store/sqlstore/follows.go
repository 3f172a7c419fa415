package sqlstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

func (t *tx) Relations(ctx context.Context, from string, tos []string) (map[string]store.Relation, error) {
	rows, err := t.query(ctx, `SELECT a.user_id,
			EXISTS (SELECT 1 FROM follows f WHERE f.from_id = $1 AND f.to_id = a.user_id),
			EXISTS (SELECT 1 FROM follows f WHERE f.from_id = a.user_id AND f.to_id = $1)
		FROM accounts a WHERE a.user_id IN LIST($2)`, from, jsonList(tos))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]store.Relation, len(tos))
	for rows.Next() {
		var id string
		var r store.Relation
		if err := rows.Scan(&id, &r.Following, &r.FollowedBy); err != nil {
			return nil, err
		}
		out[id] = r
	}
	return out, rows.Err()
}

// lockAccounts locks the rows of ids in ID order until the transaction ends, so the counts
// recount derives from other rows cannot change under it. SQLite has one writer: nothing to do.
// Accounts the transaction locked already (the caller read them with Accounts, as every write
// operation does) are not asked for again.
func (t *tx) lockAccounts(ctx context.Context, ids []string) error {
	if t.s.d.forUpdate == "" {
		return nil
	}
	var missing []string
	for _, id := range ids {
		if !t.locked[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	rows, err := t.query(ctx, `SELECT user_id FROM accounts WHERE user_id IN LIST($1) ORDER BY user_id FOR_UPDATE`, jsonList(missing))
	if err != nil {
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	t.remember(missing)
	return nil
}

// remember notes that the transaction holds the rows of ids locked (on PostgreSQL).
func (t *tx) remember(ids []string) {
	if t.s.d.forUpdate == "" {
		return
	}
	if t.locked == nil {
		t.locked = make(map[string]bool, len(ids))
	}
	for _, id := range ids {
		t.locked[id] = true
	}
}

func (t *tx) Follow(ctx context.Context, from string, tos []string, at time.Time) ([]string, error) {
	if len(tos) == 0 {
		return nil, nil
	}
	if err := t.lockAccounts(ctx, append([]string{from}, tos...)); err != nil {
		return nil, err
	}
	// One statement for all targets, inserted in the order of the call so that seq follows it.
	inserted, err := collectStrings(t.query(ctx, t.followQuery(), from, jsonList(tos), at.Unix()))
	if err != nil {
		return nil, err
	}
	added := inOrder(tos, inserted)
	return added, t.recount(ctx, from, added, +1)
}

// followQuery inserts the follows of $1 to the JSON array $2 at $3, in array order (WHERE true:
// SQLite would read ON CONFLICT's ON as a join's).
func (t *tx) followQuery() string {
	if t.s.d.name == "postgres" {
		return `INSERT INTO follows (from_id, to_id, followed_at)
			SELECT $1, e.v, $3 FROM json_array_elements_text($2::json) WITH ORDINALITY AS e(v, n) ORDER BY e.n
			ON CONFLICT (from_id, to_id) DO NOTHING RETURNING to_id`
	}
	return `INSERT INTO follows (from_id, to_id, followed_at)
		SELECT $1, value, $3 FROM json_each($2) WHERE true ORDER BY key
		ON CONFLICT (from_id, to_id) DO NOTHING RETURNING to_id`
}

func (t *tx) Unfollow(ctx context.Context, from string, tos []string) ([]string, error) {
	if len(tos) == 0 {
		return nil, nil
	}
	if err := t.lockAccounts(ctx, append([]string{from}, tos...)); err != nil {
		return nil, err
	}
	gone, err := collectStrings(t.query(ctx, `DELETE FROM follows WHERE from_id = $1 AND to_id IN LIST($2) RETURNING to_id`, from, jsonList(tos)))
	if err != nil {
		return nil, err
	}
	// Report in the caller's order.
	was := make(map[string]bool, len(gone))
	for _, g := range gone {
		was[g] = true
	}
	removed := make([]string, 0, len(gone))
	for _, to := range tos {
		if was[to] {
			removed = append(removed, to)
			delete(was, to)
		}
	}
	return removed, t.recount(ctx, from, removed, -1)
}

// recount applies delta to the counts touched by from's follows of tos being added or removed:
// from's following, each target's followers, and both sides' mutual counts where the target
// follows from back.
func (t *tx) recount(ctx context.Context, from string, tos []string, delta int) error {
	if len(tos) == 0 {
		return nil
	}
	list := jsonList(tos)
	mutual, err := collectStrings(t.query(ctx, `SELECT from_id FROM follows WHERE to_id = $1 AND from_id IN LIST($2)`, from, list))
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE accounts SET following_count = following_count + $2, mutual_count = mutual_count + $3 WHERE user_id = $1`,
		from, delta*len(tos), delta*len(mutual)); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE accounts SET follower_count = follower_count + $2 WHERE user_id IN LIST($1)`, list, delta); err != nil {
		return err
	}
	if len(mutual) > 0 {
		if _, err := t.exec(ctx, `UPDATE accounts SET mutual_count = mutual_count + $2 WHERE user_id IN LIST($1)`, jsonList(mutual), delta); err != nil {
			return err
		}
	}
	return nil
}

// pageQuery lists are keyed by (time, seq) descending; the mutual list by the later of the two
// follows. An edge's accounts always exist (deleting an account deletes its edges).
func pageQuery(kind store.FollowKind) (string, error) {
	switch kind {
	case store.Following:
		return `SELECT f.to_id, f.followed_at, f.seq, a.nick, a.face_url, a.profile_seq
		FROM follows f JOIN accounts a ON a.user_id = f.to_id
		WHERE f.from_id = $1 AND (f.followed_at, f.seq) < ($2, $3)
		ORDER BY f.followed_at DESC, f.seq DESC LIMIT $4`, nil
	case store.Followers:
		return `SELECT f.from_id, f.followed_at, f.seq, a.nick, a.face_url, a.profile_seq
		FROM follows f JOIN accounts a ON a.user_id = f.from_id
		WHERE f.to_id = $1 AND (f.followed_at, f.seq) < ($2, $3)
		ORDER BY f.followed_at DESC, f.seq DESC LIMIT $4`, nil
	case store.Mutual:
		return `SELECT m.id, m.t, m.s, a.nick, a.face_url, a.profile_seq FROM (
			SELECT f.to_id AS id, GREATEST(f.followed_at, r.followed_at) AS t, GREATEST(f.seq, r.seq) AS s
			FROM follows f JOIN follows r ON r.from_id = f.to_id AND r.to_id = f.from_id
			WHERE f.from_id = $1) m
		JOIN accounts a ON a.user_id = m.id
		WHERE (m.t, m.s) < ($2, $3)
		ORDER BY m.t DESC, m.s DESC LIMIT $4`, nil
	}
	return "", fmt.Errorf("unknown follow list %d", kind)
}

func (t *tx) FollowPage(ctx context.Context, q store.PageQuery) ([]store.FollowEntry, error) {
	after := q.After
	if after == (store.Position{}) {
		after = store.Position{Time: math.MaxInt64, Seq: math.MaxInt64}
	}
	query, err := pageQuery(q.Kind)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(ctx, query, q.Owner, after.Time, after.Seq, q.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]store.FollowEntry, 0, q.Limit)
	for rows.Next() {
		var e store.FollowEntry
		if err := rows.Scan(&e.UserID, &e.Position.Time, &e.Position.Seq, &e.Nick, &e.FaceURL, &e.ProfileSeq); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
