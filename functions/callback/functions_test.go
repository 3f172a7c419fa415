package callback_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/functions/callback"
	onafteraddsubscriber "github.com/chatfollow/chatfollow/functions/on-after-add-subscriber"
	onaftercreateofficialaccount "github.com/chatfollow/chatfollow/functions/on-after-create-official-account"
	onafterdeletesubscriber "github.com/chatfollow/chatfollow/functions/on-after-delete-subscriber"
	onafterfollowadd "github.com/chatfollow/chatfollow/functions/on-after-follow-add"
	onafterfollowdelete "github.com/chatfollow/chatfollow/functions/on-after-follow-delete"
	onafterofficialaccountdestroyed "github.com/chatfollow/chatfollow/functions/on-after-official-account-destroyed"
	onafterofficialaccountfull "github.com/chatfollow/chatfollow/functions/on-after-official-account-full"
	onafterofficialaccountinfochanged "github.com/chatfollow/chatfollow/functions/on-after-official-account-info-changed"
	onbeforeaddsubscriber "github.com/chatfollow/chatfollow/functions/on-before-add-subscriber"
	onbeforecreateofficialaccount "github.com/chatfollow/chatfollow/functions/on-before-create-official-account"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

type build = func(context.Context, *app.App) (http.Handler, error)

// functions are the ten receiver functions by command, as their mains build them.
var functions = map[string]build{
	onafterfollowadd.Command:                  onafterfollowadd.Function(receiver.Handlers{}),
	onafterfollowdelete.Command:               onafterfollowdelete.Function(receiver.Handlers{}),
	onbeforecreateofficialaccount.Command:     onbeforecreateofficialaccount.Function(receiver.Handlers{}),
	onaftercreateofficialaccount.Command:      onaftercreateofficialaccount.Function(receiver.Handlers{}),
	onafterofficialaccountinfochanged.Command: onafterofficialaccountinfochanged.Function(receiver.Handlers{}),
	onafterofficialaccountdestroyed.Command:   onafterofficialaccountdestroyed.Function(receiver.Handlers{}),
	onbeforeaddsubscriber.Command:             onbeforeaddsubscriber.Function(receiver.Handlers{}),
	onafteraddsubscriber.Command:              onafteraddsubscriber.Function(receiver.Handlers{}),
	onafterofficialaccountfull.Command:        onafterofficialaccountfull.Function(receiver.Handlers{}),
	onafterdeletesubscriber.Command:           onafterdeletesubscriber.Function(receiver.Handlers{}),
}

const token = "function-test-token"

// serve opens an App as a deployed function does and serves what build makes of it.
func serve(t *testing.T, cfg config.Config, b build) (string, *app.App) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	h, err := b(ctx, a)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, a
}

func deployed(t *testing.T, databaseURL string, env map[string]string) config.Config {
	t.Helper()
	env["CHAT_DATABASE_URL"] = databaseURL
	env["RECEIVER_TOKENS"] = token
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, config.Deployed)
	require.NoError(t, err)
	return cfg
}

func post(t *testing.T, url, cmd, body string) (int, string) {
	t.Helper()
	rt := time.Now().Unix()
	q := "SdkAppid=1400000000&CallbackCommand=" + cmd + "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI" +
		"&RequestTime=" + strconv.FormatInt(rt, 10) + "&Sign=" + webhook.Sign(token, rt)
	resp, err := http.Post(url+"/?"+q, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func sample(t *testing.T, cmd string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "receiver", "testdata", "samples", cmd+".json"))
	require.NoError(t, err)
	return string(b)
}

func logged(t *testing.T, st store.Store) []string {
	t.Helper()
	var cmds []string
	require.NoError(t, st.View(context.Background(), func(tx store.Tx) error {
		events, err := tx.ReceivedEvents(context.Background(), store.EventQuery{})
		for _, e := range events {
			cmds = append(cmds, e.Command)
		}
		return err
	}))
	return cmds
}

// TestFunctions: each deployable receiver accepts its own command and refuses the others; the
// single-URL function accepts all ten; all record in the app's store, where the second delivery
// of each event (the single URL's) is a duplicate.
func TestFunctions(t *testing.T) {
	require.Len(t, functions, len(protocol.CallbackCommands()))
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			cfg := deployed(t, b.URL(t), map[string]string{})
			for cmd, fn := range functions {
				url, _ := serve(t, cfg, fn)
				status, answer := post(t, url, cmd, sample(t, cmd))
				require.Equal(t, http.StatusOK, status, "%s: %s", cmd, answer)
				other := protocol.CallbackAfterFollowAdd
				if cmd == other {
					other = protocol.CallbackAfterFollowDelete
				}
				status, answer = post(t, url, other, sample(t, other))
				require.Equal(t, http.StatusBadRequest, status, "%s refuses %s", cmd, other)
				require.Contains(t, answer, `"ErrorCode":60009`)
			}
			url, a := serve(t, cfg, callback.Function(receiver.Handlers{}))
			for _, cmd := range protocol.CallbackCommands() {
				status, answer := post(t, url, cmd, sample(t, cmd))
				require.Equal(t, http.StatusOK, status, "%s: %s", cmd, answer)
			}
			// Both functions received each event: recorded once, delivered twice.
			require.ElementsMatch(t, protocol.CallbackCommands(), logged(t, a.Store))
			require.NoError(t, a.Store.View(context.Background(), func(tx store.Tx) error {
				events, err := tx.ReceivedEvents(context.Background(), store.EventQuery{})
				for _, e := range events {
					require.EqualValues(t, 2, e.Deliveries, e.Command)
				}
				return err
			}))
		})
	}
}

// TestOwnDatabase: with RECEIVER_DATABASE_URL set to another database, the receiver records
// there and not in the app's store.
func TestOwnDatabase(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			own := b.URL(t)
			cfg := deployed(t, b.URL(t), map[string]string{"RECEIVER_DATABASE_URL": own})
			a, err := app.Open(context.Background(), cfg, nil)
			require.NoError(t, err)
			defer a.Close()
			r, err := receiver.Open(context.Background(), a, receiver.Handlers{})
			require.NoError(t, err)
			srv := httptest.NewServer(r.Handler())
			defer srv.Close()
			status, answer := post(t, srv.URL, protocol.CallbackAfterFollowAdd, sample(t, protocol.CallbackAfterFollowAdd))
			require.Equal(t, http.StatusOK, status, answer)
			require.Equal(t, []string{protocol.CallbackAfterFollowAdd}, logged(t, r.Store()))
			require.Empty(t, logged(t, a.Store))
			require.NoError(t, r.Close())
		})
	}
}
