package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// root is the module's root, where the documented commands run.
const root = "../.."

// demo returns the shell lines of the closed-loop demo in the README.
func demo(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, after, ok := strings.Cut(string(doc), "<!-- receiverlog demo")
	require.True(t, ok, "the demo marker is missing")
	_, block, _ := strings.Cut(after, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	return strings.Split(strings.TrimSpace(block), "\n")
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// TestClosedLoopDemo runs the documented demo against the real local server with its defaults:
// its webhooks go to its own /callback (the dispatcher delivers them), and the documented
// receiverlog command shows the follow and the unfollow in the event log and the edge, absent,
// in the mirror.
func TestClosedLoopDemo(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	lines := demo(t)
	require.True(t, strings.HasPrefix(lines[len(lines)-1], "go run ./cmd/receiverlog"), "the demo ends with receiverlog")
	bins := t.TempDir()
	local := build(t, bins, "github.com/chatfollow/chatfollow/cmd/local")
	receiverlog := build(t, bins, "github.com/chatfollow/chatfollow/cmd/receiverlog")

	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			addr := freeAddr(t)
			env := append(os.Environ(), "CHAT_LISTEN_ADDR="+addr, "CHAT_DATABASE_URL="+b.URL(t))
			var logs bytes.Buffer
			server := exec.Command(local)
			server.Env, server.Stderr = env, &logs
			require.NoError(t, server.Start())
			t.Cleanup(func() { server.Process.Kill(); server.Wait() })
			require.Eventually(t, func() bool {
				resp, err := http.Get("http://" + addr + "/healthz")
				if err != nil {
					return false
				}
				resp.Body.Close()
				return resp.StatusCode == http.StatusOK
			}, 30*time.Second, 50*time.Millisecond, "the local server did not start")

			script := strings.ReplaceAll(strings.Join(lines[:len(lines)-1], "\n"), "127.0.0.1:9000", addr)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			sh := exec.CommandContext(ctx, "sh", "-ec", script)
			sh.Dir, sh.Env = root, env
			out, err := sh.CombinedOutput()
			require.NoError(t, err, "%s", out)
			require.Equal(t, 3, strings.Count(string(out), `"ActionStatus":"OK"`), "%s", out)

			// The dispatcher delivers right after each commit; wait until both events are in.
			require.Eventually(t, func() bool {
				cmd := exec.Command(receiverlog, "-all")
				cmd.Env = env
				got, err := cmd.Output()
				return err == nil && strings.Contains(string(got), protocol.CallbackAfterFollowDelete)
			}, 30*time.Second, 100*time.Millisecond, "the unfollow never reached the receiver: %s", &logs)

			show := exec.CommandContext(ctx, "sh", "-ec", lines[len(lines)-1])
			show.Dir, show.Env = root, env
			got, err := show.Output()
			require.NoError(t, err)
			text := string(got)
			t.Logf("%s", text)
			require.Contains(t, text, "event log (2 shown, oldest first):")
			iAdd := strings.Index(text, protocol.CallbackAfterFollowAdd+" ")
			iDel := strings.Index(text, protocol.CallbackAfterFollowDelete+" ")
			require.True(t, iAdd >= 0 && iDel > iAdd, "the follow, then the unfollow")
			require.Contains(t, text, `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"alice","To_Account":["bob"],"EventTime":`)
			require.Equal(t, 2, strings.Count(text, "deliveries=1 ClientIP=127.0.0.1 OptPlatform=RESTAPI"))
			require.Contains(t, text, "mirror: follows\n  alice -> bob [absent] (as of ")
		})
	}
}

// TestRunShowsPresentFactsOnly: without -all, absent facts are left out; -replay rebuilds the
// mirror from the (here empty) log.
func TestRunShowsPresentFactsOnly(t *testing.T) {
	ctx := context.Background()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			t.Setenv("CHAT_DATABASE_URL", url)
			st, err := sqlstore.Open(ctx, url)
			require.NoError(t, err)
			require.NoError(t, st.Update(ctx, func(tx store.Tx) error {
				if err := tx.SetMirrorFollows(ctx, "a", []string{"b"}, true, 1); err != nil {
					return err
				}
				return tx.SetMirrorFollows(ctx, "a", []string{"c"}, false, 2)
			}))
			require.NoError(t, st.Close())
			show := func(all, replay bool) string {
				var out bytes.Buffer
				require.NoError(t, run(ctx, &out, 20, all, replay))
				return out.String()
			}
			require.Equal(t, "event log (0 shown, oldest first):\nmirror: follows\n  a -> b (as of 1970-01-01T00:00:00.001Z)\n"+
				"mirror: official accounts\nmirror: subscriptions\n", show(false, false))
			require.Contains(t, show(true, false), "  a -> c [absent] (as of 1970-01-01T00:00:00.002Z)\n")
			require.Equal(t, "mirror rebuilt from 0 logged events\n\nevent log (0 shown, oldest first):\n"+
				"mirror: follows\nmirror: official accounts\nmirror: subscriptions\n", show(true, true))
		})
	}
}
