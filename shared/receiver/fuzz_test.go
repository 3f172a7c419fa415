package receiver

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	json "github.com/go-json-experiment/json"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// FuzzVerifyDecode runs the whole verification and decoding path (method, query, Sign and
// window, body size, JSON, typed decode) on arbitrary query strings and bodies, on the single
// URL and on one command's URL. It must never panic; a refusal is 400 or 401 with a non-zero
// code and a valid UTF-8 ErrorInfo that is valid JSON once answered; an acceptance is a known
// command whose body names it and carries a positive EventTime. The seed corpus is in
// testdata/fuzz/FuzzVerifyDecode: the Sign vector's query over every command's sample, and
// broken variants.
func FuzzVerifyDecode(f *testing.F) {
	cfg := config.Receiver{SDKAppID: 1400000000, Tokens: []string{"xxxxyyyy"}, MaxSkew: time.Minute}
	now := time.Unix(1669872112, 0)
	r, err := New(cfg, nil, func() time.Time { return now }, nil, Handlers{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, rawQuery string, body []byte) {
		for _, only := range []string{"", protocol.CallbackAfterFollowDelete} {
			req := &http.Request{Method: http.MethodPost, URL: &url.URL{RawQuery: rawQuery}, Header: http.Header{},
				Body: io.NopCloser(bytes.NewReader(body))}
			d, ref := r.verify(req, only, now)
			if ref != nil {
				if ref.status != http.StatusBadRequest && ref.status != http.StatusUnauthorized {
					t.Fatalf("refusal with status %d", ref.status)
				}
				if ref.code == 0 || ref.info == "" || !utf8.ValidString(ref.info) {
					t.Fatalf("refusal %d %q", ref.code, ref.info)
				}
				var env answer
				if err := json.Unmarshal(failAnswer(ref.code, ref.info), &env); err != nil || env.ActionStatus != "FAIL" {
					t.Fatalf("answer does not parse: %v", err)
				}
				continue
			}
			if !Known(d.cmd.name) || (only != "" && d.cmd.name != only) {
				t.Fatalf("accepted command %q on URL %q", d.cmd.name, only)
			}
			if cmd, at := stamp(d.body); cmd != d.cmd.name || at <= 0 {
				t.Fatalf("accepted body says %q at %d", cmd, at)
			}
			if d.hash != hashBody(body) || !bytes.Equal(d.event.Body, body) {
				t.Fatal("event does not keep the body as received")
			}
		}
	})
}

// TestFuzzSeeds keeps the seed corpus honest: every seed not named broken-* is a delivery the
// receiver accepts, and every broken-* seed one it refuses.
func TestFuzzSeeds(t *testing.T) {
	cfg := config.Receiver{SDKAppID: 1400000000, Tokens: []string{"xxxxyyyy"}, MaxSkew: time.Minute}
	now := time.Unix(1669872112, 0)
	r, err := New(cfg, nil, func() time.Time { return now }, nil, Handlers{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("testdata/fuzz/FuzzVerifyDecode/*")
	if err != nil || len(files) < 20 {
		t.Fatalf("seed corpus: %d files, %v", len(files), err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		query, err1 := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		body, err2 := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")"))
		if len(lines) != 3 || err1 != nil || err2 != nil {
			t.Fatalf("%s: not a corpus entry", name)
		}
		req := &http.Request{Method: http.MethodPost, URL: &url.URL{RawQuery: query}, Header: http.Header{},
			Body: io.NopCloser(strings.NewReader(body))}
		_, ref := r.verify(req, "", now)
		if broken := strings.HasPrefix(filepath.Base(name), "broken-"); broken != (ref != nil) {
			t.Errorf("%s: refusal %v", name, ref)
		}
	}
}
