package localserver_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// try makes a call from any goroutine and reports a transport failure or a FAIL answer as an
// error instead of failing the test.
func try(s *servertest.Server, path, body string) (string, error) {
	resp, err := http.Post(s.URL+"/v4/"+path+"?"+s.Query(), "application/json", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(out), `"ActionStatus":"OK"`) {
		return "", fmt.Errorf("%s %s: HTTP %d %s", path, body, resp.StatusCode, out)
	}
	return string(out), nil
}

// graph is everything follow_get and follow_get_info say about a set of accounts.
type graph struct {
	counts                       map[string]protocol.FollowGetInfoItem
	followers, following, mutual map[string][]string
}

func read(t *testing.T, s *servertest.Server, ids []string) graph {
	t.Helper()
	g := graph{counts: map[string]protocol.FollowGetInfoItem{}, followers: map[string][]string{}, following: map[string][]string{}, mutual: map[string][]string{}}
	for _, id := range ids {
		var info struct{ protocol.FollowGetInfoResponse }
		out := s.Call(t, "follow/follow_get_info", `{"From_Account":"`+id+`","To_Account":["`+id+`"]}`)
		require.NoError(t, json.Unmarshal([]byte(out), &info), out)
		require.Len(t, info.FollowInfo, 1, out)
		g.counts[id] = info.FollowInfo[0]
		for kind, m := range map[int]map[string][]string{1: g.followers, 2: g.following, 3: g.mutual} {
			cursor := ""
			for {
				var p struct{ protocol.FollowGetResponse }
				out := s.Call(t, "follow/follow_get", fmt.Sprintf(`{"From_Account":%q,"FollowType":%d,"WantNum":7,"StartCursor":%q}`, id, kind, cursor))
				require.NoError(t, json.Unmarshal([]byte(out), &p), out)
				for _, it := range p.FollowItem {
					m[id] = append(m[id], it.ToAccount)
				}
				if cursor = p.NextCursor; cursor == "" {
					break
				}
			}
		}
	}
	return g
}

// consistent requires every count to equal its list, and the lists to agree with each other.
func (g graph) consistent(t *testing.T) {
	t.Helper()
	has := func(list []string, id string) bool {
		for _, x := range list {
			if x == id {
				return true
			}
		}
		return false
	}
	for id, c := range g.counts {
		require.Equal(t, int64(len(g.followers[id])), c.FollowerCount, "%s FollowerCount", id)
		require.Equal(t, int64(len(g.following[id])), c.FollowingCount, "%s FollowingCount", id)
		require.Equal(t, int64(len(g.mutual[id])), c.MutualFollowingCount, "%s MutualFollowingCount", id)
		for _, other := range g.following[id] {
			if _, known := g.counts[other]; known {
				require.True(t, has(g.followers[other], id), "%s follows %s but is not among its followers", id, other)
			}
			require.Equal(t, has(g.followers[id], other), has(g.mutual[id], other), "%s and %s: mutual list", id, other)
		}
		for _, other := range g.mutual[id] {
			require.True(t, has(g.following[id], other) && has(g.followers[id], other), "%s: %s is mutual without two follows", id, other)
		}
	}
}

var start = time.Unix(1702018343, 0)

type page struct {
	ActionStatus string
	protocol.FollowGetResponse
}

func get(t *testing.T, s *servertest.Server, body string) page {
	t.Helper()
	var p page
	out := s.Call(t, "follow/follow_get", body)
	require.NoError(t, json.Unmarshal([]byte(out), &p), out)
	require.Equal(t, "OK", p.ActionStatus, out)
	return p
}

func names(p page) []string {
	var out []string
	for _, it := range p.FollowItem {
		out = append(out, it.ToAccount)
	}
	return out
}
