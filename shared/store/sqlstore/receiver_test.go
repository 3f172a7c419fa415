package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

func open(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func openReceivers(t *testing.T, url string) *Receivers {
	t.Helper()
	s, err := OpenReceivers(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReceivedEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := openReceivers(t, b.URL(t))
			at := time.UnixMilli(1_700_000_000_123)
			record := func(cmd, hash string, answer string, when time.Time) (store.ReceivedEvent, bool) {
				var e store.ReceivedEvent
				var fresh bool
				require.NoError(t, s.Update(ctx, func(tx store.ReceiverTx) (err error) {
					e, fresh, err = tx.RecordEvent(ctx, store.ReceivedEvent{Command: cmd, BodyHash: hash, Body: []byte(`{"b":"` + hash + `"}`),
						EventTime: 42, ClientIP: "10.0.0.1", Platform: "Web", ReceivedAt: when, Answer: []byte(answer)})
					return err
				}))
				return e, fresh
			}
			e1, fresh := record("A", "h1", "", at)
			require.True(t, fresh)
			require.EqualValues(t, 1, e1.Deliveries)
			e2, fresh := record("A", "h2", `{"x":1}`, at)
			require.True(t, fresh)
			require.Greater(t, e2.ID, e1.ID)
			e3, fresh := record("B", "h1", "", at) // same hash, another command: another event
			require.True(t, fresh)

			dup, fresh := record("A", "h2", "ignored", at.Add(time.Minute))
			require.False(t, fresh)
			require.Equal(t, store.ReceivedEvent{ID: e2.ID, Command: "A", BodyHash: "h2", Body: []byte(`{"b":"h2"}`), EventTime: 42,
				ClientIP: "10.0.0.1", Platform: "Web", ReceivedAt: at, Answer: []byte(`{"x":1}`), Deliveries: 2,
				LastReceivedAt: at.Add(time.Minute)}, dup)

			var all, newest, after []store.ReceivedEvent
			require.NoError(t, s.View(ctx, func(tx store.ReceiverTx) (err error) {
				if all, err = tx.ReceivedEvents(ctx, store.EventQuery{}); err != nil {
					return err
				}
				if newest, err = tx.ReceivedEvents(ctx, store.EventQuery{Limit: 2, Newest: true}); err != nil {
					return err
				}
				after, err = tx.ReceivedEvents(ctx, store.EventQuery{After: e1.ID, Limit: 1})
				return err
			}))
			require.Len(t, all, 3)
			require.Equal(t, dup, all[1])
			require.Equal(t, []int64{e2.ID, e3.ID}, []int64{newest[0].ID, newest[1].ID})
			require.Equal(t, e2.ID, after[0].ID)

			require.NoError(t, s.View(ctx, func(tx store.ReceiverTx) error {
				found, err := tx.FindReceivedEvent(ctx, 42, "B", "h1")
				require.NoError(t, err)
				require.Equal(t, e3.ID, found.ID)
				_, err = tx.FindReceivedEvent(ctx, 42, "B", "h2")
				require.ErrorIs(t, err, store.ErrNotFound)
				return nil
			}))
		})
	}
}

// TestMirrorLastWriterWins: a fact changes only with an event at least as recent as the one that
// set it, and a list naming an item twice is fine.
func TestMirrorLastWriterWins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := openReceivers(t, b.URL(t))
			update := func(fn func(tx store.ReceiverTx) error) { require.NoError(t, s.Update(ctx, fn)) }
			update(func(tx store.ReceiverTx) error {
				return tx.SetMirrorFollows(ctx, "a", []string{"b", "c", "b"}, true, 10)
			})
			update(func(tx store.ReceiverTx) error { return tx.SetMirrorFollows(ctx, "a", []string{"b"}, false, 5) })  // older: ignored
			update(func(tx store.ReceiverTx) error { return tx.SetMirrorFollows(ctx, "a", []string{"c"}, false, 10) }) // same time: later call wins
			update(func(tx store.ReceiverTx) error {
				return tx.SetMirrorSubscriptions(ctx, "oa", []string{"s1", "s2"}, true, 10)
			})
			update(func(tx store.ReceiverTx) error { return tx.SetMirrorSubscriptions(ctx, "oa", []string{"s3"}, true, 30) })
			update(func(tx store.ReceiverTx) error { return tx.EndMirrorSubscriptions(ctx, "oa", 20) })
			update(func(tx store.ReceiverTx) error {
				oa, err := tx.LockMirrorOfficialAccount(ctx, "oa")
				require.NoError(t, err)
				require.Equal(t, store.MirrorOfficialAccount{ID: "oa"}, oa)
				oa.Owner, oa.Present, oa.StateAt, oa.FullAt = "o", true, 7, 8
				return tx.PutMirrorOfficialAccount(ctx, oa)
			})
			require.NoError(t, s.View(ctx, func(tx store.ReceiverTx) error {
				f, err := tx.MirrorFollows(ctx, "a")
				require.NoError(t, err)
				require.Equal(t, []store.MirrorFollow{{From: "a", To: "b", Present: true, At: 10}, {From: "a", To: "c", At: 10}}, f)
				none, err := tx.MirrorFollows(ctx, "z")
				require.NoError(t, err)
				require.Empty(t, none)
				subs, err := tx.MirrorSubscriptions(ctx, "")
				require.NoError(t, err)
				require.Equal(t, []store.MirrorSubscription{{Official: "oa", Subscriber: "s1", At: 20}, {Official: "oa", Subscriber: "s2", At: 20},
					{Official: "oa", Subscriber: "s3", Present: true, At: 30}}, subs)
				oas, err := tx.MirrorOfficialAccounts(ctx)
				require.NoError(t, err)
				require.Equal(t, []store.MirrorOfficialAccount{{ID: "oa", Owner: "o", Present: true, StateAt: 7, FullAt: 8}}, oas)
				return nil
			}))
			update(func(tx store.ReceiverTx) error { return tx.ResetMirror(ctx) })
			require.NoError(t, s.View(ctx, func(tx store.ReceiverTx) error {
				f, _ := tx.MirrorFollows(ctx, "")
				subs, _ := tx.MirrorSubscriptions(ctx, "")
				oas, err := tx.MirrorOfficialAccounts(ctx)
				require.Empty(t, f)
				require.Empty(t, subs)
				require.Empty(t, oas)
				return err
			}))
		})
	}
}

// tables lists the tables of the database (of the test's schema on PostgreSQL).
func tables(t *testing.T, s *Store) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if s.d.name == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	var out []string
	require.NoError(t, s.run(context.Background(), false, func(tx *tx) error {
		names, err := collectStrings(tx.query(context.Background(), q))
		out = names
		return err
	}))
	return out
}

var receiverTables = []string{"receiver_events", "receiver_follows", "receiver_official_accounts", "receiver_schema_migrations", "receiver_subscriptions"}

// TestMigrationSets: a receivers' database gets the receivers' tables only and the server's
// none of them; both sets coexist on one database, each applied once, in either order.
func TestMigrationSets(t *testing.T) {
	ctx := context.Background()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			r := openReceivers(t, b.URL(t))
			require.Equal(t, receiverTables, tables(t, r.s))

			server := open(t, b.URL(t))
			got := tables(t, server)
			require.Contains(t, got, "accounts")
			for _, name := range receiverTables {
				require.NotContains(t, got, name, "the server's set makes no receiver table")
			}

			url := b.URL(t)
			for range 2 { // server first, then receivers, twice: nothing is redone
				s := open(t, url)
				shared, err := s.Receivers(ctx)
				require.NoError(t, err)
				require.NoError(t, shared.Close(), "closing the shared view leaves the server's store open")
				require.NoError(t, s.Ping(ctx))
				r, err := OpenReceivers(ctx, url)
				require.NoError(t, err)
				require.NoError(t, r.Close())
			}
			s := open(t, url)
			all := tables(t, s)
			require.Subset(t, all, append([]string{"accounts", "schema_migrations"}, receiverTables...))
			var versions []string
			require.NoError(t, s.run(ctx, false, func(tx *tx) (err error) {
				versions, err = collectStrings(tx.query(ctx, `SELECT name FROM receiver_schema_migrations ORDER BY version`))
				return err
			}))
			require.Equal(t, []string{"0001_receiver.sql", "0002_retention.sql"}, versions)
		})
	}
}

// TestReceiverTablesOfAnOlderDatabase: a database whose receiver tables the server's set made
// (its 0003_receiver.sql, before the receivers had their own set) keeps them and their rows.
func TestReceiverTablesOfAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			s := open(t, url)
			old, err := receiverMigrations.ReadFile("receivermigrations/" + s.d.name + "/0001_receiver.sql")
			require.NoError(t, err)
			require.NoError(t, s.update(ctx, func(tx *tx) error {
				if err := tx.c.Script(ctx, strings.ReplaceAll(string(old), "IF NOT EXISTS ", "")); err != nil {
					return err
				}
				if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (3, '0003_receiver.sql', 0)`); err != nil {
					return err
				}
				return tx.SetMirrorFollows(ctx, "a", []string{"b"}, true, 7)
			}))
			r := openReceivers(t, url)
			require.NoError(t, r.View(ctx, func(tx store.ReceiverTx) error {
				f, err := tx.MirrorFollows(ctx, "")
				require.Equal(t, []store.MirrorFollow{{From: "a", To: "b", Present: true, At: 7}}, f)
				return err
			}))
			again, err := Open(ctx, url)
			require.NoError(t, err, "the server's set skips the version it no longer has")
			require.NoError(t, again.Close())
		})
	}
}
