package e2e_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/chatfollow/chatfollow/localserver/servertest"
)

// FuzzGateway sends any method, path below /v4/, query and body to the local server's handler
// (the gateway and the nine operations on an SQLite file). When signed is true the query starts
// with a valid administrator's sdkappid, identifier and usersig, so the body reaches the
// operations. Every answer must be HTTP 200 with one JSON envelope: ActionStatus OK with
// ErrorCode 0, or FAIL with a non-zero ErrorCode and an ErrorInfo; ErrorDisplay exactly on
// follow answers.
//
// The seed corpus is in testdata/fuzz/FuzzGateway and runs with every go test.
func FuzzGateway(f *testing.F) {
	s := servertest.Start(f, "sqlite:"+filepath.Join(f.TempDir(), "chat.db"))
	s.Import(f, admin, "a", "b")
	f.Add("POST", "follow/follow_add", "", []byte(`{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`), true)
	f.Fuzz(func(t *testing.T, method, path, query string, body []byte, signed bool) {
		if signed {
			query = s.Query() + "&" + query
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Method = method
		req.URL.Path = "/v4/" + path
		req.URL.RawQuery = query
		req.RequestURI = req.URL.RequestURI() // the target as a client would send it
		w := httptest.NewRecorder()
		s.Handler.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("HTTP %d for %s %q", w.Code, method, req.URL)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Fatalf("Content-Type %q", ct)
		}
		var env map[string]jsontext.Value
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil {
			t.Fatalf("answer %q is not one JSON object: %v", w.Body.Bytes(), err)
		}
		var status, info string
		var code int
		if json.Unmarshal(env["ActionStatus"], &status) != nil || json.Unmarshal(env["ErrorCode"], &code) != nil || json.Unmarshal(env["ErrorInfo"], &info) != nil {
			t.Fatalf("answer %s lacks the envelope", w.Body.Bytes())
		}
		switch {
		case status == "OK" && code == 0 && info == "":
		case status == "FAIL" && code != 0 && info != "":
		default:
			t.Fatalf("answer %s: inconsistent envelope", w.Body.Bytes())
		}
		_, display := env["ErrorDisplay"]
		if follow := strings.HasPrefix(req.URL.Path, "/v4/follow/"); display != follow {
			t.Fatalf("answer %s to %s: ErrorDisplay present=%v on a follow path=%v", w.Body.Bytes(), req.URL.Path, display, follow)
		}
	})
}
