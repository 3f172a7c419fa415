package followget_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// page is a follow_get answer.
type page struct {
	ActionStatus string
	ErrorCode    int
	ErrorInfo    string
	protocol.FollowGetResponse
}

func get(t testing.TB, s *servertest.Server, body string) page {
	t.Helper()
	var p page
	out := s.Call(t, "follow/follow_get", body)
	require.NoError(t, json.Unmarshal([]byte(out), &p), out)
	require.Equal(t, "OK", p.ActionStatus, out)
	return p
}

// list pages through one list with pages of want and returns the accounts in order.
func list(t testing.TB, s *servertest.Server, from string, kind, want int) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for {
		p := get(t, s, fmt.Sprintf(`{"From_Account":%q,"FollowType":%d,"WantNum":%d,"StartCursor":%q}`, from, kind, want, cursor))
		require.LessOrEqual(t, len(p.FollowItem), want)
		for _, it := range p.FollowItem {
			ids = append(ids, it.ToAccount)
		}
		if p.NextCursor == "" {
			return ids
		}
		cursor = p.NextCursor
	}
}

// accounts imports n accounts named prefix000, prefix001, ...
func accounts(t testing.TB, s *servertest.Server, prefix string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	for i := 0; i < n; i += 100 {
		b, err := json.Marshal(map[string][]string{"Accounts": ids[i:min(i+100, n)]})
		require.NoError(t, err)
		require.Equal(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","FailAccounts":[]}`, s.Call(t, "im_open_login_svc/multiaccount_import", string(b)))
	}
	return ids
}

func follow(t testing.TB, s *servertest.Server, from string, tos ...string) {
	t.Helper()
	items := make([]string, len(tos))
	for i, to := range tos {
		items[i] = `{"To_Account":"` + to + `"}`
	}
	out := s.Call(t, "follow/follow_add", `{"From_Account":"`+from+`","FollowItem":[`+strings.Join(items, ",")+`]}`)
	require.NotContains(t, out, `"ResultCode":3`, out)
	require.Contains(t, out, `"ActionStatus":"OK"`, out)
}

func unfollow(t testing.TB, s *servertest.Server, from string, tos ...string) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"From_Account": from, "To_Account": tos})
	require.NoError(t, err)
	out := s.Call(t, "follow/follow_delete", string(b))
	require.NotContains(t, out, `"ResultCode":3`, out)
}

// try makes a call from a goroutine that is not the test's: it reports instead of failing.
func try(s *servertest.Server, path, body string) error {
	resp, err := http.Post(s.URL+"/v4/"+path+"?"+s.Query(), "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(out), `"ResultCode":0,`) {
		return fmt.Errorf("%s %s: HTTP %d %s", path, body, resp.StatusCode, out)
	}
	return nil
}

// once requires every account of stable to appear exactly once in got, and nothing twice.
func once(t *testing.T, got []string, stable map[string]bool) {
	t.Helper()
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
		require.Equal(t, 1, seen[id], "%s repeated", id)
	}
	for id := range stable {
		require.Equal(t, 1, seen[id], "%s, which existed throughout, skipped", id)
	}
}

// TestPagingBetweenChanges changes each list between its pages: follows removed behind and
// ahead of the cursor, new follows (newer than everything), a removed follow made again. Every
// row that existed throughout comes exactly once, in order; nothing repeats.
func TestPagingBetweenChanges(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), time.Unix(t0, 0))
			fans := accounts(t, s, "f", 45)
			fresh := accounts(t, s, "n", 20)
			for _, kind := range []int{1, 2, 3} {
				t.Run(fmt.Sprint(kind), func(t *testing.T) {
					owner := fmt.Sprint("owner", kind)
					s.Import(t, owner)
					var back []string
					for i, f := range fans {
						if i%3 == 0 {
							clock.Advance(time.Second) // groups of three in one second
						}
						follow(t, s, f, owner)
						if i%2 == 0 {
							back = append(back, f) // half are mutual
						}
					}
					for i := 0; i < len(back); i += 20 {
						follow(t, s, owner, back[i:min(i+20, len(back))]...)
					}
					before := list(t, s, owner, kind, 1000)
					require.NotEmpty(t, before)
					stable := map[string]bool{}
					for _, id := range before {
						stable[id] = true
					}
					var got []string
					var times []int64
					cursor := ""
					for pageNo := 0; ; pageNo++ {
						p := get(t, s, fmt.Sprintf(`{"From_Account":%q,"FollowType":%d,"WantNum":4,"StartCursor":%q}`, owner, kind, cursor))
						for _, it := range p.FollowItem {
							got = append(got, it.ToAccount)
							times = append(times, it.FollowTime)
						}
						if p.NextCursor == "" {
							break
						}
						cursor = p.NextCursor
						// Between pages: remove one row already seen and one ahead, add a new one.
						clock.Advance(time.Second)
						seen, ahead := got[len(got)-1], ""
						for _, id := range before[len(got):] {
							if stable[id] {
								ahead = id
								break
							}
						}
						for _, id := range []string{seen, ahead} {
							if id != "" {
								delete(stable, id)
								unfollow(t, s, id, owner)
								unfollow(t, s, owner, id)
							}
						}
						n := fresh[pageNo%len(fresh)]
						follow(t, s, n, owner)
						follow(t, s, owner, n)
						if pageNo%3 == 2 && ahead != "" {
							follow(t, s, ahead, owner) // made again: now newer than the cursor
							follow(t, s, owner, ahead)
						}
					}
					once(t, got, stable)
					for i := 1; i < len(times); i++ {
						require.LessOrEqual(t, times[i], times[i-1], "newest first")
					}
				})
			}
		})
	}
}

// TestPagingConcurrent pages through the three lists while other goroutines add and remove
// follows of the same account. Rows untouched by them come exactly once; nothing repeats.
func TestPagingConcurrent(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			stableIDs := accounts(t, s, "s", 50)
			churn := accounts(t, s, "c", 30)
			s.Import(t, "a")
			stable := map[string]bool{}
			for i, id := range stableIDs {
				follow(t, s, id, "a")
				follow(t, s, "a", id)
				if i%5 != 0 {
					stable[id] = true
				} else {
					unfollow(t, s, "a", id) // some followers only: not in the mutual list
				}
			}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for g := 0; g < 3; g++ {
				wg.Add(1)
				go func(seed uint64) {
					defer wg.Done()
					r := rand.New(rand.NewPCG(seed, seed))
					for {
						select {
						case <-stop:
							return
						default:
						}
						id := churn[r.IntN(len(churn))]
						var err error
						switch r.IntN(4) {
						case 0:
							err = try(s, "follow/follow_add", `{"From_Account":"`+id+`","FollowItem":[{"To_Account":"a"}]}`)
						case 1:
							err = try(s, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"`+id+`"}]}`)
						case 2:
							err = try(s, "follow/follow_delete", `{"From_Account":"`+id+`","To_Account":["a"]}`)
						default:
							err = try(s, "follow/follow_delete", `{"From_Account":"a","To_Account":["`+id+`"]}`)
						}
						if err != nil {
							t.Error(err)
							return
						}
					}
				}(uint64(g + 1))
			}
			for round := 0; round < 3; round++ {
				followers := list(t, s, "a", 1, 3)
				following := list(t, s, "a", 2, 4)
				mutual := list(t, s, "a", 3, 5)
				fans := map[string]bool{}
				for _, id := range stableIDs {
					fans[id] = true
				}
				once(t, followers, fans)
				once(t, following, stable)
				once(t, mutual, stable)
			}
			close(stop)
			wg.Wait()
		})
	}
}
