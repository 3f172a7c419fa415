package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

// jsonList encodes ids for an IN LIST($n) parameter.
func jsonList(ids []string) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids) // a []string always encodes
	return string(b)
}

const accountColumns = `user_id, nick, face_url, profile_seq, following_count, follower_count, mutual_count, created_at`

func (t *tx) Accounts(ctx context.Context, ids []string) (map[string]store.Account, error) {
	q := `SELECT ` + accountColumns + ` FROM accounts WHERE user_id IN LIST($1)`
	if t.write {
		q += ` ORDER BY user_id FOR_UPDATE` // lock in ID order: no deadlock between writers
	}
	rows, err := t.query(ctx, q, jsonList(ids))
	if err != nil {
		return nil, err
	}
	if t.write {
		t.remember(ids)
	}
	defer rows.Close()
	out := make(map[string]store.Account, len(ids))
	for rows.Next() {
		var a store.Account
		var created int64
		if err := rows.Scan(&a.UserID, &a.Nick, &a.FaceURL, &a.ProfileSeq, &a.Following, &a.Followers, &a.Mutual, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = time.Unix(created, 0)
		out[a.UserID] = a
	}
	return out, rows.Err()
}

func (t *tx) PutAccount(ctx context.Context, a store.Account) error {
	_, err := t.exec(ctx, `INSERT INTO accounts (user_id, nick, face_url, profile_seq, created_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET nick = excluded.nick, face_url = excluded.face_url, profile_seq = excluded.profile_seq`,
		a.UserID, a.Nick, a.FaceURL, a.ProfileSeq, a.CreatedAt.Unix())
	return err
}

func (t *tx) DeleteAccount(ctx context.Context, id string) (store.Removal, error) {
	var r store.Removal
	// Lock the account and every account on the other side of its follows in one pass in ID
	// order, as Accounts does everywhere, so that concurrent calls cannot deadlock; the set is
	// derived from the follows inside the locking statement. Once the account itself is locked no
	// follow of it can be made or removed, so the follows read afterwards are final, and the rare
	// account that appeared in between is locked then. Everything else is set-based: a
	// celebrity's 100,000 followers cost a few statements.
	locked, exists, err := t.lockAround(ctx, id)
	if err != nil {
		return r, err
	}
	if !exists {
		return store.Removal{}, store.ErrNotFound
	}
	if r.Following, err = collectStrings(t.query(ctx, `SELECT to_id FROM follows WHERE from_id = $1 ORDER BY seq`, id)); err != nil {
		return r, err
	}
	if r.Followers, err = collectStrings(t.query(ctx, `SELECT from_id FROM follows WHERE to_id = $1 ORDER BY seq`, id)); err != nil {
		return r, err
	}
	if locked != nil {
		var late []string
		for _, u := range append(append([]string(nil), r.Following...), r.Followers...) {
			if !locked[u] {
				locked[u] = true
				late = append(late, u)
			}
		}
		if err := t.lockAccounts(ctx, late); err != nil {
			return r, err
		}
	}
	// Every other account loses what its follows with id gave it, in one statement.
	if _, err := t.exec(ctx, `UPDATE accounts SET
			following_count = following_count - (CASE WHEN EXISTS (SELECT 1 FROM follows f WHERE f.from_id = accounts.user_id AND f.to_id = $1) THEN 1 ELSE 0 END),
			follower_count = follower_count - (CASE WHEN EXISTS (SELECT 1 FROM follows f WHERE f.from_id = $1 AND f.to_id = accounts.user_id) THEN 1 ELSE 0 END),
			mutual_count = mutual_count - (CASE WHEN EXISTS (SELECT 1 FROM follows f WHERE f.from_id = accounts.user_id AND f.to_id = $1)
				AND EXISTS (SELECT 1 FROM follows f WHERE f.from_id = $1 AND f.to_id = accounts.user_id) THEN 1 ELSE 0 END)
		WHERE user_id IN (SELECT to_id FROM follows WHERE from_id = $1 UNION SELECT from_id FROM follows WHERE to_id = $1)`, id); err != nil {
		return r, err
	}
	if _, err := t.exec(ctx, `DELETE FROM follows WHERE from_id = $1 OR to_id = $1`, id); err != nil {
		return r, err
	}
	if r.Subscriptions, err = t.removeSubscriptions(ctx, id); err != nil {
		return r, err
	}
	if _, err := t.exec(ctx, `DELETE FROM accounts WHERE user_id = $1`, id); err != nil {
		return r, err
	}
	return r, nil
}

// lockAround locks, in ID order, the account id and the accounts on the other side of its
// follows, and reports which it locked and whether id exists. SQLite has one writer: it only
// looks for id, and locked is nil.
func (t *tx) lockAround(ctx context.Context, id string) (locked map[string]bool, exists bool, err error) {
	if t.s.d.forUpdate == "" {
		var n int
		err := t.queryRow(ctx, `SELECT COUNT(*) FROM accounts WHERE user_id = $1`, id).Scan(&n)
		return nil, n == 1, err
	}
	rows, err := t.query(ctx, `SELECT user_id FROM accounts WHERE user_id = $1
		OR user_id IN (SELECT to_id FROM follows WHERE from_id = $1)
		OR user_id IN (SELECT from_id FROM follows WHERE to_id = $1)
		ORDER BY user_id FOR_UPDATE`, id)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	locked = map[string]bool{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, false, err
		}
		locked[u] = true
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	ids := make([]string, 0, len(locked))
	for u := range locked {
		ids = append(ids, u)
	}
	t.remember(ids)
	return locked, locked[id], nil
}
