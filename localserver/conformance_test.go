package localserver_test

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// sampleFile is one of Tencent's documented samples (testdata/tencent/README.md).
type sampleFile struct {
	Source   string         `json:"source"`
	Path     string         `json:"path"`
	Request  map[string]any `json:"request"`
	Response map[string]any `json:"response"`
}

// tencentClient is a minimal REST client written from Tencent's documentation only: raw JSON
// maps, the documented query string, no type of the server's.
type tencentClient struct {
	base, query string
}

func (c tencentClient) post(t *testing.T, path string, body map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(c.base+"/"+path+"?"+c.query, "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "Tencent: the HTTP status is always 200; %s", raw)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), "%s", raw)
	return out
}

// requireShape fails unless got carries every member of want at the same place with the same
// JSON type; every item of an answer's array is checked against the sample's first item.
func requireShape(t *testing.T, where string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		require.True(t, ok, "%s: want an object, got %#v", where, got)
		for k, v := range w {
			gv, ok := g[k]
			require.True(t, ok, "%s.%s is missing", where, k)
			requireShape(t, where+"."+k, v, gv)
		}
	case []any:
		g, ok := got.([]any)
		require.True(t, ok, "%s: want an array, got %#v", where, got)
		if len(w) > 0 {
			for _, item := range g {
				requireShape(t, where+"[]", w[0], item)
			}
		}
	case string:
		_, ok := got.(string)
		require.True(t, ok, "%s: want a string, got %#v", where, got)
	case float64:
		g, ok := got.(float64)
		require.True(t, ok, "%s: want a number, got %#v", where, got)
		if w == math.Trunc(w) {
			require.Equal(t, math.Trunc(g), g, "%s: want an integer, got %v", where, g)
		}
	case bool:
		_, ok := got.(bool)
		require.True(t, ok, "%s: want a boolean, got %#v", where, got)
	case nil:
		require.Nil(t, got, where)
	}
}

// TestTencentConformance drives every REST operation with Tencent's documented sample requests
// and checks every documented field of the answers by name and JSON type. Setup calls, made with
// the same client, give each sample something to answer about.
func TestTencentConformance(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "tencent", "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 18, "one sample per REST operation")
	slices.Sort(files)
	setup := map[string][]struct {
		path string
		body string
	}{
		"03_account_check.json": {{"v4/im_open_login_svc/account_import", `{"UserID":"UserID_2"}`}},
		"04_follow_add.json": {
			{"v4/im_open_login_svc/account_import", `{"UserID":"UserID_001"}`},
			{"v4/im_open_login_svc/account_import", `{"UserID":"UserID_002","Nick":"nick_002"}`},
			{"v4/im_open_login_svc/account_import", `{"UserID":"UserID_003"}`},
			{"v4/follow/follow_add", `{"From_Account":"UserID_002","FollowItem":[{"To_Account":"UserID_001"}]}`},
		},
		"09_create_official_account.json": {
			{"v4/im_open_login_svc/account_import", `{"UserID":"107867"}`},
			{"v4/im_open_login_svc/account_import", `{"UserID":"jared"}`},
			{"v4/im_open_login_svc/account_import", `{"UserID":"leckie"}`},
		},
		"15_get_subscribed_official_account_list.json": {
			{"v4/official_account_open_http_svc/add_subscriber", `{"Official_Account":"@TOA#_test_OA_for_penn","SubscriberList":[{"Subscriber_Account":"107867"}]}`},
		},
		"18_account_delete.json": {{"v4/im_open_login_svc/account_import", `{"UserID":"UserID_1"}`}},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			c := tencentClient{base: s.URL, query: s.Query()}
			seen := map[string]bool{}
			for _, f := range files {
				raw, err := os.ReadFile(f)
				require.NoError(t, err)
				var sample sampleFile
				require.NoError(t, json.Unmarshal(raw, &sample), f)
				require.NotEmpty(t, sample.Source, "%s names its source page", f)
				name := filepath.Base(f)
				for _, call := range setup[name] {
					var body map[string]any
					require.NoError(t, json.Unmarshal([]byte(call.body), &body))
					require.Equal(t, "OK", c.post(t, call.path, body)["ActionStatus"], "setup %s %s", call.path, call.body)
				}
				t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
					got := c.post(t, sample.Path, sample.Request)
					require.Equal(t, "OK", got["ActionStatus"], "%v", got)
					requireShape(t, sample.Path, sample.Response, got)
					_, display := got["ErrorDisplay"]
					require.Equal(t, strings.HasPrefix(sample.Path, "v4/follow/"), display, "ErrorDisplay exactly on follow answers")
				})
				seen[sample.Path] = true

				// A FAIL answer carries only the envelope (and ErrorDisplay on the follow service).
				fail := c.post(t, sample.Path, map[string]any{})
				require.Equal(t, "FAIL", fail["ActionStatus"], "%s with {}: %v", sample.Path, fail)
				keys := []string{"ActionStatus", "ErrorCode", "ErrorInfo"}
				if strings.HasPrefix(sample.Path, "v4/follow/") {
					keys = append(keys, "ErrorDisplay")
				}
				var gotKeys []string
				for k := range fail {
					gotKeys = append(gotKeys, k)
				}
				require.ElementsMatch(t, keys, gotKeys, "%s FAIL answer: %v", sample.Path, fail)
				require.NotEmpty(t, fail["ErrorInfo"])
			}
			require.Len(t, seen, 18, "every REST operation")
		})
	}
}
