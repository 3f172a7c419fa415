package receiver_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

func secret(b byte) string {
	return "whsec_" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(rune('a'+b)), 32)))
}

// TestBodySignature: with RECEIVER_HMAC_SECRETS set, a delivery needs a Standard Webhooks
// signature of its body by one of the secrets, timestamped within the window. Deliveries are
// made by the project's own Sender, which signs with the standard-webhooks library.
func TestBodySignature(t *testing.T) {
	oldSecret, newSecret, otherSecret := secret(0), secret(1), secret(2)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t), func(c *config.Receiver, _ *receiver.Handlers) {
				c.HMACSecrets = []string{oldSecret, newSecret}
			})
			target := webhook.Target{URL: h.URL + "/callback", SDKAppID: appID, Token: vectorToken}
			send := func(hmacSecret, body string) (webhook.Answer, error) {
				s, err := webhook.NewSender(target, 2*time.Second, hmacSecret, h.Clock.Now)
				require.NoError(t, err)
				defer s.CloseIdle()
				call := webhook.Call{Command: commandOf(t, body), Body: []byte(body), ClientIP: "127.0.0.1", Platform: protocol.PlatformREST}
				return s.Send(context.Background(), call, "msg_"+strconv.Itoa(len(body)), nil)
			}
			add := sample(t, "Follow.CallbackAfterFollowAdd.json")
			for _, s := range []string{newSecret, oldSecret} {
				a, err := send(s, add)
				require.NoError(t, err)
				require.Equal(t, "OK", a.ActionStatus)
			}
			for _, s := range []string{"", otherSecret} {
				_, err := send(s, sample(t, "Follow.CallbackAfterFollowDelete.json"))
				require.ErrorIs(t, err, webhook.ErrBadAnswer)
				require.ErrorContains(t, err, "HTTP 401")
			}

			// A signature of another body, and a signature too old.
			wh, err := standardwebhooks.NewWebhook(newSecret)
			require.NoError(t, err)
			del := sample(t, "Follow.CallbackAfterFollowDelete.json")
			for name, c := range map[string]struct {
				signed string
				at     int64
			}{
				"other body": {add, vectorTime},
				"stale":      {del, vectorTime - 61},
				"future":     {del, vectorTime + 61},
			} {
				sig, err := wh.Sign("msg_1", time.Unix(c.at, 0), []byte(c.signed))
				require.NoError(t, err)
				header := http.Header{}
				header.Set(standardwebhooks.HeaderWebhookID, "msg_1")
				header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(c.at, 10))
				header.Set(standardwebhooks.HeaderWebhookSignature, sig)
				r := h.post(t, "/callback", h.query(protocol.CallbackAfterFollowDelete, nil), del, header)
				require.Equal(t, http.StatusUnauthorized, r.Status, name)
				require.Equal(t, 70009, r.Env.ErrorCode, name)
				require.NotContains(t, r.Body, newSecret)
			}
			require.Len(t, h.events(t), 1)
		})
	}
}

func TestBadHMACSecret(t *testing.T) {
	_, err := receiver.New(config.Receiver{SDKAppID: appID, MaxSkew: time.Minute, HMACSecrets: []string{"whsec_not base64!"}}, nil, time.Now, nil, receiver.Handlers{})
	require.ErrorContains(t, err, "RECEIVER_HMAC_SECRETS")
	require.NotContains(t, err.Error(), "not base64")
}
