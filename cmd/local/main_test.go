package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// child is the local server binary running as a separate process.
type child struct {
	cmd  *exec.Cmd
	addr string
	logs *logBuffer
}

// logBuffer collects the child's output; exec writes it from another goroutine.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "local")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func start(t *testing.T, bin string, env ...string) *child {
	t.Helper()
	c := &child{addr: freeAddr(t), logs: &logBuffer{}}
	c.cmd = exec.Command(bin)
	c.cmd.Env = append(os.Environ(), append(env, "CHAT_LISTEN_ADDR="+c.addr)...)
	c.cmd.Stderr = c.logs
	require.NoError(t, c.cmd.Start())
	t.Cleanup(func() { c.cmd.Process.Kill(); c.cmd.Wait() })
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + c.addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 20*time.Second, 20*time.Millisecond, "server did not start: %s", c.logs)
	return c
}

func (c *child) call(t *testing.T, path, body string) string {
	t.Helper()
	sig, err := tencentyun.GenUserSig(config.DevSDKAppID, config.DevSecretKey, "administrator", 3600)
	require.NoError(t, err)
	url := fmt.Sprintf("http://%s/v4/%s?sdkappid=%d&identifier=administrator&usersig=%s&random=1&contenttype=json", c.addr, path, config.DevSDKAppID, sig)
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// TestPrintedCurlAnswersOK runs the command the server prints at start-up.
func TestPrintedCurlAnswersOK(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	c := start(t, build(t), "CHAT_DATABASE_URL=sqlite:"+filepath.Join(t.TempDir(), "chat.db"))
	line := c.logs.String()
	i := strings.Index(line, "curl ")
	require.GreaterOrEqual(t, i, 0, "no curl command in: %s", line)
	curl := strings.SplitN(line[i:], "\n", 2)[0]
	out, err := exec.Command("sh", "-c", curl).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), `"ActionStatus":"OK"`)
}

// TestKilledServerDeliversAfterRestart: the receiver is down, the server is killed with SIGKILL
// right after answering, and the webhook still arrives once the server restarts on the same file.
func TestKilledServerDeliversAfterRestart(t *testing.T) {
	bin := build(t)
	hookAddr := freeAddr(t) // nothing listens here yet: the receiver is down
	env := []string{
		"CHAT_DATABASE_URL=sqlite:" + filepath.Join(t.TempDir(), "chat.db"),
		"CHAT_CALLBACK_URL=http://" + hookAddr + "/hook",
		"CHAT_CALLBACK_TOKEN=xxxxyyyy",
		"CHAT_CALLBACK_RETRY=100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms",
	}
	first := start(t, bin, env...)
	require.Contains(t, first.call(t, "im_open_login_svc/multiaccount_import", `{"Accounts":["a","b"]}`), `"ActionStatus":"OK"`)
	require.Contains(t, first.call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`), `"ActionStatus":"OK"`)
	require.Contains(t, first.call(t, "follow/follow_delete", `{"From_Account":"a","To_Account":["b"]}`), `"ActionStatus":"OK"`)
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	first.cmd.Wait()

	got := make(chan string, 10)
	ln, err := net.Listen("tcp", hookAddr)
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- r.URL.Query().Get("CallbackCommand") + " " + string(body)
		io.WriteString(w, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })

	start(t, bin, env...)
	var commands []string
	for len(commands) < 2 {
		select {
		case g := <-got:
			commands = append(commands, strings.SplitN(g, " ", 2)[0])
		case <-time.After(20 * time.Second):
			t.Fatalf("after the restart the receiver got %v", commands)
		}
	}
	assert.Equal(t, []string{webhook.CmdAfterFollowAdd, webhook.CmdAfterFollowDelete}, commands, "both events, in commit order")
}
