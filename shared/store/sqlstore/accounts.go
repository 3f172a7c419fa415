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
	// order, as Accounts does everywhere, so that concurrent calls cannot deadlock. The follows
	// are read to learn whom to lock, then again under the locks: once the account itself is
	// locked no follow of it can be made or removed, so the second reading is final, and the
	// rare account that appeared in between is locked then.
	locked := map[string]bool{}
	for {
		var err error
		if r.Following, err = collectStrings(t.query(ctx, `SELECT to_id FROM follows WHERE from_id = $1 ORDER BY seq`, id)); err != nil {
			return r, err
		}
		if r.Followers, err = collectStrings(t.query(ctx, `SELECT from_id FROM follows WHERE to_id = $1 ORDER BY seq`, id)); err != nil {
			return r, err
		}
		var lock []string
		for _, u := range append(append([]string{id}, r.Following...), r.Followers...) {
			if !locked[u] {
				locked[u] = true
				lock = append(lock, u)
			}
		}
		if len(lock) == 0 {
			break
		}
		exists, err := t.lockFor(ctx, lock, id)
		if err != nil {
			return r, err
		}
		if lock[0] == id && !exists {
			return store.Removal{}, store.ErrNotFound
		}
	}
	following := make(map[string]bool, len(r.Following))
	for _, f := range r.Following {
		following[f] = true
	}
	var mutual []string
	for _, f := range r.Followers {
		if following[f] {
			mutual = append(mutual, f)
		}
	}
	for _, u := range []struct {
		column string
		ids    []string
	}{{"follower_count", r.Following}, {"following_count", r.Followers}, {"mutual_count", mutual}} {
		if len(u.ids) == 0 {
			continue
		}
		if _, err := t.exec(ctx, `UPDATE accounts SET `+u.column+` = `+u.column+` - 1 WHERE user_id IN LIST($1)`, jsonList(u.ids)); err != nil {
			return r, err
		}
	}
	if _, err := t.exec(ctx, `DELETE FROM follows WHERE from_id = $1 OR to_id = $1`, id); err != nil {
		return r, err
	}
	var err error
	if r.Subscriptions, err = t.removeSubscriptions(ctx, id); err != nil {
		return r, err
	}
	if _, err := t.exec(ctx, `DELETE FROM accounts WHERE user_id = $1`, id); err != nil {
		return r, err
	}
	return r, nil
}

// lockFor locks the accounts of ids in ID order, as Accounts does, without reading their rows
// (a celebrity's followers are many), and reports whether the account id exists.
func (t *tx) lockFor(ctx context.Context, ids []string, id string) (bool, error) {
	if t.s.d.forUpdate == "" {
		// SQLite has one writer: nothing to lock, only the account to look for.
		var n int
		err := t.queryRow(ctx, `SELECT COUNT(*) FROM accounts WHERE user_id = $1`, id).Scan(&n)
		return n == 1, err
	}
	rows, err := t.query(ctx, `SELECT user_id FROM accounts WHERE user_id IN LIST($1) ORDER BY user_id FOR_UPDATE`, jsonList(ids))
	if err != nil {
		return false, err
	}
	defer rows.Close()
	t.remember(ids)
	exists := false
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return false, err
		}
		exists = exists || u == id
	}
	return exists, rows.Err()
}
