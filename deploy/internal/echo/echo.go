// Package echo is a stand-in webhook receiver for the runtime-contract tests: it answers every
// request with what reached it (method, path, decoded query, content type, body, client IP), so
// a test can compare what a platform adapter delivers with what plain HTTP delivers.
//
// Internal to this module: not a supported API for other modules.
package echo

import (
	"io"
	"net"
	"net/http"
	"net/url"

	json "github.com/go-json-experiment/json"
)

// Seen is what the handler saw of a request.
type Seen struct {
	Method      string     `json:"method"`
	Path        string     `json:"path"`
	Query       url.Values `json:"query"`
	ContentType string     `json:"contentType"`
	Body        string     `json:"body"`
	ClientIP    string     `json:"clientIP"`
}

// Handler answers 200 with the Seen of each request as JSON.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		query, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		out, err := json.Marshal(Seen{r.Method, r.URL.Path, query, r.Header.Get("Content-Type"), string(body), ip}, json.Deterministic(true))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
	})
}
