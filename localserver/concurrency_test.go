package localserver_test

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestConcurrentFollows: many goroutines follow and unfollow the same pair, the same pair in
// both directions, and overlapping sets of accounts, in calls of several targets. Afterwards
// every FollowerCount, FollowingCount and MutualFollowingCount equals its follow_get list, and
// the lists agree with each other. Run with -race.
func TestConcurrentFollows(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f"}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, ids...)
			var wg sync.WaitGroup
			for g := 0; g < 8; g++ {
				wg.Add(1)
				go func(seed uint64) {
					defer wg.Done()
					r := rand.New(rand.NewPCG(seed, 7))
					for i := 0; i < 40; i++ {
						from, targets := "a", []string{"b"} // the same pair, most of the time
						switch r.IntN(4) {
						case 1:
							from, targets = "b", []string{"a"}
						case 2, 3:
							from = ids[r.IntN(len(ids))]
							targets = nil
							for _, id := range ids {
								if r.IntN(2) == 0 {
									targets = append(targets, id) // oneself included: item 30001
								}
							}
							if len(targets) == 0 {
								targets = []string{"a"}
							}
						}
						var err error
						if r.IntN(2) == 0 {
							items := make([]string, len(targets))
							for j, to := range targets {
								items[j] = `{"To_Account":"` + to + `"}`
							}
							_, err = try(s, "follow/follow_add", `{"From_Account":"`+from+`","FollowItem":[`+strings.Join(items, ",")+`]}`)
						} else {
							_, err = try(s, "follow/follow_delete", `{"From_Account":"`+from+`","To_Account":["`+strings.Join(targets, `","`)+`"]}`)
						}
						if err != nil {
							t.Error(err)
							return
						}
					}
				}(uint64(g))
			}
			wg.Wait()
			read(t, s, ids).consistent(t)
		})
	}
}

// TestConcurrentDeletes: while others follow and unfollow it, an account is deleted and
// imported again, over and over; the counts of every other account stay equal to the edges.
func TestConcurrentDeletes(t *testing.T) {
	ids := []string{"a", "b", "c", "d"}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, append(ids, "x")...)
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 30; i++ {
					for _, c := range []struct{ path, body string }{
						{"im_open_login_svc/account_delete", `{"DeleteItem":[{"UserID":"x"}]}`},
						{"im_open_login_svc/account_import", `{"UserID":"x"}`},
						{"follow/follow_add", `{"From_Account":"x","FollowItem":[{"To_Account":"a"},{"To_Account":"b"}]}`},
					} {
						if _, err := try(s, c.path, c.body); err != nil {
							t.Error(err)
							return
						}
					}
				}
			}()
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func(from string) {
					defer wg.Done()
					for i := 0; i < 30; i++ {
						body := `{"From_Account":"` + from + `","FollowItem":[{"To_Account":"x"},{"To_Account":"a"},{"To_Account":"c"}]}`
						path := "follow/follow_add"
						if i%2 == 1 {
							path, body = "follow/follow_delete", `{"From_Account":"`+from+`","To_Account":["x","c"]}`
						}
						if _, err := try(s, path, body); err != nil {
							t.Error(err)
							return
						}
					}
				}(ids[g])
			}
			wg.Wait()
			read(t, s, append(ids, "x")).consistent(t)
		})
	}
}

// TestRestart: everything written survives a restart of the local server on the same database
// (SQLite file or PostgreSQL schema): accounts, profiles, follows, counts, follow order and
// cursors; and the server goes on from there.
func TestRestart(t *testing.T) {
	ids := []string{"a", "b", "c", "d"}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			s, _ := servertest.Scenario(t, url, start)
			s.Import(t, ids...)
			s.Call(t, "im_open_login_svc/account_import", `{"UserID":"b","Nick":"Bee","FaceUrl":"http://x/b"}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"c"},{"To_Account":"d"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"b","FollowItem":[{"To_Account":"a"},{"To_Account":"c"}]}`)
			s.Call(t, "follow/follow_delete", `{"From_Account":"a","To_Account":["d"]}`)
			s.Call(t, "im_open_login_svc/account_delete", `{"DeleteItem":[{"UserID":"d"}]}`)
			calls := []struct{ path, body string }{
				{"follow/follow_get", `{"From_Account":"a","FollowType":2}`},
				{"follow/follow_get", `{"From_Account":"a","FollowType":3}`},
				{"follow/follow_get", `{"From_Account":"c","FollowType":1}`},
				{"follow/follow_get_info", `{"From_Account":"a","To_Account":["a","b","c","d"]}`},
				{"follow/follow_check", `{"From_Account":"a","To_Account":["a","b","c","d"]}`},
				{"im_open_login_svc/account_check", `{"CheckItem":[{"UserID":"a"},{"UserID":"b"},{"UserID":"c"},{"UserID":"d"}]}`},
			}
			before := make([]string, len(calls))
			for i, c := range calls {
				before[i] = s.Call(t, c.path, c.body)
			}
			cursor := get(t, s, `{"From_Account":"a","FollowType":2,"WantNum":1}`).NextCursor
			require.NotEmpty(t, cursor)
			s.Close()

			s2, _ := servertest.Scenario(t, url, start)
			for i, c := range calls {
				require.Equal(t, before[i], s2.Call(t, c.path, c.body), "%s %s after the restart", c.path, c.body)
			}
			p := get(t, s2, `{"From_Account":"a","FollowType":2,"WantNum":1,"StartCursor":"`+cursor+`"}`)
			require.Equal(t, "b", p.FollowItem[0].ToAccount, "a cursor of the first server works on the second")
			// Follows made after the restart, in the same second, come first.
			s2.Import(t, "e")
			s2.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"e"}]}`)
			require.Equal(t, []string{"e", "c", "b"}, names(get(t, s2, `{"From_Account":"a","FollowType":2}`)))
			read(t, s2, []string{"a", "b", "c", "e"}).consistent(t)
		})
	}
}
