package callback_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/functions"
	"github.com/chatfollow/chatfollow/functions/callback"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// receivers are the catalogue's receiver rows, by command ("" is the single URL, callback).
func receivers() map[string]functions.Function {
	rows := make(map[string]functions.Function)
	for _, f := range functions.Catalog() {
		if f.Kind == functions.Receiver {
			rows[f.Command] = f
		}
	}
	return rows
}

const token = "function-test-token"

// serve sets up and opens the receiver of command as its deployed main does (the catalogue
// row's Setup is what function.Serve runs), with exactly env as its environment, and serves it
// on a loopback port.
func serve(t *testing.T, f functions.Function, env map[string]string) string {
	t.Helper()
	fn, err := f.Setup(receiver.Handlers{})(func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	u, err := fn.Open(t.Context(), t.Context())
	require.NoError(t, err)
	t.Cleanup(func() { u.Close() })
	srv := httptest.NewServer(u.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

// receiverEnv is the whole environment of a deployed receiver: RECEIVER_* only.
func receiverEnv(databaseURL string) map[string]string {
	return map[string]string{
		"RECEIVER_SDKAPPID":     "1400000000",
		"RECEIVER_TOKENS":       token,
		"RECEIVER_DATABASE_URL": databaseURL,
	}
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
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "receiver", "testdata", "synthetic", cmd+".json"))
	require.NoError(t, err)
	return string(b)
}

// logged lists the commands of the receivers' event log at databaseURL, with their delivery
// counts.
func logged(t *testing.T, databaseURL string) map[string]int64 {
	t.Helper()
	st, err := sqlstore.OpenReceivers(context.Background(), databaseURL)
	require.NoError(t, err)
	defer st.Close()
	out := map[string]int64{}
	require.NoError(t, st.View(context.Background(), func(tx store.ReceiverTx) error {
		events, err := tx.ReceivedEvents(context.Background(), store.EventQuery{})
		for _, e := range events {
			out[e.Command] = e.Deliveries
		}
		return err
	}))
	return out
}

// TestFunctions: each deployable receiver, given only RECEIVER_* variables, accepts its own
// command and refuses the others; the single-URL function accepts all ten; all record in the
// receivers' database, where the second delivery of each event (the single URL's) is a
// duplicate.
func TestFunctions(t *testing.T) {
	rows := receivers()
	require.Len(t, rows, len(protocol.CallbackCommands())+1)
	require.Equal(t, "callback", rows[callback.Command].Name)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			db := b.URL(t)
			env := receiverEnv(db)
			for cmd, f := range rows {
				if cmd == callback.Command {
					continue
				}
				url := serve(t, f, env)
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
			url := serve(t, rows[callback.Command], env)
			for _, cmd := range protocol.CallbackCommands() {
				status, answer := post(t, url, cmd, sample(t, cmd))
				require.Equal(t, http.StatusOK, status, "%s: %s", cmd, answer)
			}
			want := map[string]int64{}
			for _, cmd := range protocol.CallbackCommands() {
				want[cmd] = 2
			}
			require.Equal(t, want, logged(t, db), "each event recorded once, delivered twice")
		})
	}
}

// TestRefusesToStartUnsigned: a deployed receiver that would check no signature, or has no
// database, does not start; the error names the variable.
func TestRefusesToStartUnsigned(t *testing.T) {
	for _, cmd := range append([]string{callback.Command}, protocol.CallbackCommands()...) {
		env := map[string]string{"RECEIVER_DATABASE_URL": storetest.SQLite(t), "CHAT_CALLBACK_TOKEN": "not read"}
		_, err := function.Setup(cmd, receiver.Handlers{})(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, slog.New(slog.DiscardHandler))
		require.ErrorContains(t, err, "RECEIVER_TOKENS", cmd)
	}
	env := map[string]string{"RECEIVER_TOKENS": token, "CHAT_DATABASE_URL": storetest.SQLite(t)}
	_, err := function.Setup("", receiver.Handlers{})(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, slog.New(slog.DiscardHandler))
	require.ErrorContains(t, err, "RECEIVER_DATABASE_URL")
}

// serverHalf are the packages a receiver binary must not link (docs/product.md: receivers stand
// alone): the REST gateway, UserSig, the outbox, the dispatcher, and what binds them together.
var serverHalf = []string{"shared/rest", "shared/usersig", "shared/outbox", "shared/delivery", "shared/app", "shared/platform", "localserver"}

// TestLinksNoServerHalf asks the go command what each receiver main links.
func TestLinksNoServerHalf(t *testing.T) {
	var mains []string
	for _, f := range functions.Catalog() {
		if f.Kind == functions.Receiver {
			mains = append(mains, "./"+f.Main())
		}
	}
	require.Len(t, mains, len(protocol.CallbackCommands())+1)
	for _, main := range mains {
		cmd := exec.Command("go", "list", "-deps", main)
		cmd.Dir = filepath.Join("..", "..")
		out, err := cmd.Output()
		require.NoError(t, err, "go list -deps %s", main)
		deps := strings.Fields(string(out))
		require.Contains(t, deps, "github.com/chatfollow/chatfollow/shared/receiver", main)
		for _, pkg := range serverHalf {
			require.NotContains(t, deps, "github.com/chatfollow/chatfollow/"+pkg, "%s links %s", main, pkg)
		}
	}
}

// TestFiveMinutes runs the shell block of docs/receivers.md ("Behind Tencent Chat in five
// minutes") as written, on a free port and a temporary folder instead of 8080 and ./data/.
func TestFiveMinutes(t *testing.T) {
	for _, tool := range []string{"curl", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " is not installed")
		}
	}
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "receivers.md"))
	require.NoError(t, err)
	_, after, ok := strings.Cut(string(doc), "<!-- five-minutes -->")
	require.True(t, ok, "the block's marker is missing")
	_, block, _ := strings.Cut(after, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	require.Contains(t, block, "./data/")
	require.Contains(t, block, "8080")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	script := strings.ReplaceAll(strings.ReplaceAll(block, "8080", port), "./data/", t.TempDir()+"/")
	// If a line fails, the receiver started in the background must not outlive the test.
	script = "trap 'kill $receiver 2>/dev/null || true' EXIT\n" + script
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sh := exec.CommandContext(ctx, "sh", "-ec", script)
	sh.Dir = root
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RECEIVER_") && !strings.HasPrefix(kv, "CHAT_") {
			sh.Env = append(sh.Env, kv)
		}
	}
	out, err := sh.CombinedOutput()
	require.NoError(t, err, "%s", out)
	text := string(out)
	require.Contains(t, text, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`)
	require.Contains(t, text, "Follow.CallbackAfterFollowAdd EventTime=")
	require.Contains(t, text, "deliveries=1 ClientIP=192.0.2.1 OptPlatform=RESTAPI")
	require.Contains(t, text, "mirror: follows\n  alice -> bob (as of ")
}
