package receiver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestUnknownNestedMembersIgnored: account-like names inside members a command does not define
// are ignored, whatever they hold (docs/wire.md section 7).
func TestUnknownNestedMembersIgnored(t *testing.T) {
	h := start(t, storetest.Backends()[0].URL(t))
	body := `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"UserID_001","To_Account":["UserID_002"],` +
		`"EventTime":1702018343679,"Extra":{"UserID":5,"To_Account":[{}]},"Operator":{"Operator_Account":1}}`
	r := h.deliver(t, body)
	require.Equal(t, "OK", r.Env.ActionStatus, r.Body)
}

// TestNULRefusedWith400: a delivery with U+0000 in a string is a wrong field (HTTP 400 with the
// service's parameter code) on every store, never a store failure answered 500 and redelivered.
func TestNULRefusedWith400(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t))
			for _, tc := range []struct {
				body string
				code int
			}{
				{`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"U\u0000","To_Account":["UserID_002"],"EventTime":1702018343679}`, 30001},
				{`{"CallbackCommand":"OfficialAccount.CallbackAfterDeleteSubscriber","Official_Account":"@TOA#_x","Operator_Account":"leckie",` +
					`"SubscribeAccountList":[{"Subscriber_Account":"j\u0000"}],"EventTime":1670574414123}`, 6017},
			} {
				r := h.post(t, "/callback", h.query(commandOf(t, tc.body), nil), tc.body, nil)
				require.Equal(t, http.StatusBadRequest, r.Status, r.Body)
				require.Equal(t, tc.code, r.Env.ErrorCode, r.Body)
			}
			require.Empty(t, h.events(t), "nothing recorded")
		})
	}
}

// TestRoutesNeverRedirect: the receivers' routes answer unclean paths below /callback with 400.
func TestRoutesNeverRedirect(t *testing.T) {
	h := start(t, storetest.Backends()[0].URL(t))
	body := `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"UserID_001","To_Account":["UserID_002"],"EventTime":1702018343679}`
	for _, p := range []string{"/callback/", "/callback/./Follow.CallbackAfterFollowDelete", "/callback/Follow.CallbackAfterFollowDelete%2F"} {
		r := h.post(t, p, h.query(commandOf(t, body), nil), body, nil)
		require.Equal(t, http.StatusBadRequest, r.Status, p)
		require.Equal(t, 60009, r.Env.ErrorCode, p)
		require.True(t, strings.Contains(r.Body, "canonical"), r.Body)
	}
	r := h.post(t, "/callback/Follow.CallbackAfterFollowDelete", h.query(commandOf(t, body), nil), body, nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
}
