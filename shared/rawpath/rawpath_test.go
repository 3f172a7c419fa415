package rawpath_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/chatfollow/chatfollow/shared/rawpath"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct{ target, want string }{
		{"/v4/follow/follow_add?sdkappid=1", "/v4/follow/follow_add"},
		{"//v4/follow/follow_add?a", "//v4/follow/follow_add"},
		{"/v4/follow%2Ffollow_add", "/v4/follow%2Ffollow_add"},
		{"/v4/follow/./follow_add", "/v4/follow/./follow_add"},
		{"http://example.com/v4/x/../y?q", "/v4/x/../y"},
		{"http://example.com", "/"},
	} {
		r := httptest.NewRequest(http.MethodPost, tc.target, nil)
		assert.Equal(t, tc.want, rawpath.Of(r), tc.target)
	}
	// A request made by a client has no RequestURI: its escaped path is used.
	r := &http.Request{URL: &url.URL{Path: "/v4/a/b", RawPath: "/v4/a%2Fb"}}
	assert.Equal(t, "/v4/a%2Fb", rawpath.Of(r))
}

func TestCanonical(t *testing.T) {
	for p, want := range map[string]bool{
		"/":                         true,
		"/v4/follow/follow_add":     true,
		"/callback/Follow.X":        true,
		"":                          false,
		"v4/follow":                 false,
		"//v4/follow/follow_add":    false,
		"/v4//follow":               false,
		"/v4/follow/":               false,
		"/./v4/follow":              false,
		"/v4/follow/../x":           false,
		"/v4/follow%2Ffollow_add":   false,
		"/v4/follow/follow%5Fadd":   false,
		"/callback/x/../Follow.Add": false,
	} {
		assert.Equal(t, want, rawpath.Canonical(p), p)
	}
}

func TestUnder(t *testing.T) {
	for _, tc := range []struct {
		p, prefix string
		want      bool
	}{
		{"/v4", rawpath.REST, true},
		{"/v4/follow/follow_add", rawpath.REST, true},
		{"//v4/follow/follow_add", rawpath.REST, true},
		{"/./v4/follow/follow_add", rawpath.REST, true},
		{"/x/../v4/follow", rawpath.REST, true},
		{"/v4/../healthz", rawpath.REST, true},
		{"/%76%34/follow", rawpath.REST, true},
		{"/v4%2Ffollow", rawpath.REST, true},
		{"/v4x/follow", rawpath.REST, false},
		{"/healthz", rawpath.REST, false},
		{"/callback", rawpath.Callback, true},
		{"//callback", rawpath.Callback, true},
		{"/callback/x/../Follow.CallbackAfterFollowAdd", rawpath.Callback, true},
		{"/callbacks", rawpath.Callback, false},
		{"/%zz/v4", rawpath.REST, false},
	} {
		assert.Equal(t, tc.want, rawpath.Under(tc.p, tc.prefix), "%s under %s", tc.p, tc.prefix)
	}
}
