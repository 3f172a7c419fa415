package host

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// gatewayRequest is an HTTP request as an API gateway event describes it.
type gatewayRequest struct {
	method   string
	path     string // the path as the event gives it (payload 1.0 and SCF: as the gateway got it)
	rawPath  string // payload 2.0's rawPath, the path exactly as sent, when the event has it
	rawQuery string // the query string, escaped as on the wire
	header   http.Header
	body     string
	base64   bool   // body is base64-encoded
	sourceIP string // the caller's address, as the gateway saw it
}

// httpRequest builds the request the function's handler serves.
func (g *gatewayRequest) httpRequest(ctx context.Context) (*http.Request, error) {
	body := []byte(g.body)
	if g.base64 {
		var err error
		if body, err = base64.StdEncoding.DecodeString(g.body); err != nil {
			return nil, fmt.Errorf("event body is not base64: %w", err)
		}
	}
	// The path is passed on as sent, in RequestURI as a server would: the gateway and the
	// receivers match it before any decoding or cleaning (docs/wire.md section 7), so a path
	// with //, . or .. segments or escapes, even an invalid escape, reaches them and is answered
	// there, never turned into a failed invocation or a cleaned path.
	raw := g.rawPath
	if raw == "" {
		raw = g.path
	}
	if !strings.HasPrefix(raw, "/") {
		raw = "/" + raw
	}
	u := &url.URL{Path: raw, RawQuery: g.rawQuery}
	if p, err := url.PathUnescape(raw); err == nil && p != raw {
		u.Path, u.RawPath = p, raw
	}
	r, err := http.NewRequestWithContext(ctx, g.method, "/", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("event request: %w", err)
	}
	r.URL = u
	r.RequestURI = raw
	if g.rawQuery != "" {
		r.RequestURI += "?" + g.rawQuery
	}
	r.Header = g.header
	r.Host = g.header.Get("Host")
	r.RemoteAddr = g.sourceIP
	return r, nil
}

// encodeQuery writes decoded query parameters as a query string, keys in sorted order (the
// events that carry decoded parameters hold them in JSON objects, which have no order). A key
// without a value is written bare.
func encodeQuery(params map[string][]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(params)) {
		key := url.QueryEscape(k)
		if len(params[k]) == 0 {
			appendParam(&b, key)
		}
		for _, v := range params[k] {
			appendParam(&b, key+"="+url.QueryEscape(v))
		}
	}
	return b.String()
}

func appendParam(b *strings.Builder, param string) {
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	b.WriteString(param)
}

// recorder is the http.ResponseWriter of one invocation: it keeps the status, the headers as
// they were when the status was written, and the body.
type recorder struct {
	header http.Header
	sent   http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: make(http.Header)} }

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(code int) {
	if w.status != 0 || code < 200 {
		return
	}
	w.status = code
	w.sent = w.header.Clone()
	// The gateway frames the body itself.
	w.sent.Del("Content-Length")
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

// response is what the handler answered, as the gateways take it: a body that is not UTF-8 text
// travels base64-encoded.
type response struct {
	status int
	header http.Header
	body   string
	base64 bool
}

func (w *recorder) response() response {
	w.WriteHeader(http.StatusOK) // a handler that wrote nothing answered 200
	body := w.body.Bytes()
	if utf8.Valid(body) {
		return response{status: w.status, header: w.sent, body: string(body)}
	}
	return response{status: w.status, header: w.sent, body: base64.StdEncoding.EncodeToString(body), base64: true}
}

// singleValued joins each header's values with commas, as RFC 9110 allows for every field but
// Set-Cookie, which the caller handles.
func singleValued(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		if k != "Set-Cookie" {
			out[k] = strings.Join(vs, ",")
		}
	}
	return out
}
