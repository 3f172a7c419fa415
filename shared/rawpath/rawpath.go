// Package rawpath reads a request's path exactly as the client sent it, before net/http's
// ServeMux cleans it or the URL parser decodes it, and tells which part of the server answers
// it. Routing never redirects (docs/wire.md section 7): every request below /v4 or /callback is
// answered by the REST gateway or the receivers themselves, and a path that is not in canonical
// form there (`//`, `.` or `..` segments, any percent-escape) names no route.
package rawpath

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// The prefixes the REST gateway and the receivers answer below.
const (
	REST     = "/v4"
	Callback = "/callback"
)

// Of is r's path as sent: the request target of RequestURI less its query (the server and the
// platform adapters set it to what the client sent), else the URL's escaped path.
func Of(r *http.Request) string {
	u := r.RequestURI
	if u == "" || u == "*" {
		return r.URL.EscapedPath()
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	if !strings.HasPrefix(u, "/") { // absolute form: scheme://host/path
		if _, rest, ok := strings.Cut(u, "://"); ok {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				return rest[i:]
			}
			return "/"
		}
	}
	return u
}

// Canonical reports whether p is "/" or a path of non-empty segments none of which is "." or
// "..", without any percent-escape: a path that a route can name as sent.
func Canonical(p string) bool {
	if p == "/" {
		return true
	}
	if !strings.HasPrefix(p, "/") || strings.ContainsRune(p, '%') {
		return false
	}
	for seg := range strings.SplitSeq(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// Under reports whether the path p, as sent, is prefix or below it, either as it stands or once
// decoded and cleaned the way net/http would: //v4/x, /./v4/x and /v4%2Fx are all below /v4, so
// they are answered there (with "unknown API") instead of being redirected or served elsewhere.
func Under(p, prefix string) bool {
	if within(p, prefix) {
		return true
	}
	decoded, err := url.PathUnescape(p)
	if err != nil {
		decoded = p
	}
	return within(path.Clean("/"+decoded), prefix)
}

func within(p, prefix string) bool {
	return p == prefix || strings.HasPrefix(p, prefix+"/")
}
