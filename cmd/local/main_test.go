package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// build compiles the local server once per test run.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "local")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// server is a running local server process.
type server struct {
	cmd  *exec.Cmd
	curl string // the curl command it printed
	base string // http://host:port
}

var curlLine = regexp.MustCompile(`try: (curl -s -X POST '(http://[^/]+)(/v4/[^']+)' -d '([^']*)')`)

func start(t *testing.T, bin string, env ...string) *server {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	s := &server{cmd: cmd}
	lines := bufio.NewScanner(stderr)
	deadline := time.After(30 * time.Second)
	found := make(chan []string, 1)
	go func() {
		for lines.Scan() {
			if m := curlLine.FindStringSubmatch(lines.Text()); m != nil {
				found <- m
			}
		}
		close(found)
	}()
	select {
	case m, ok := <-found:
		require.True(t, ok, "the server exited before printing its curl command")
		s.curl, s.base = m[1], m[2]
	case <-deadline:
		t.Fatal("no curl command printed within 30s")
	}
	return s
}

// call runs the printed curl command's request (its URL and -d body) with another path and body.
func (s *server) call(t *testing.T, path, body string) string {
	t.Helper()
	m := curlLine.FindStringSubmatch("try: " + s.curl)
	query := m[3][strings.Index(m[3], "?"):]
	resp, err := http.Post(s.base+"/v4/"+path+query, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return string(b)
}

// TestLocalServer runs the local server as a user does: it prints a curl command that answers
// OK, keeps acknowledged writes through a crash (SIGKILL) and a restart, stops cleanly on
// SIGTERM, and refuses to start with more than 10 administrators.
func TestLocalServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the local server")
	}
	bin := build(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "data", "chat.db")
	env := []string{"CHAT_LISTEN_ADDR=127.0.0.1:0", "CHAT_DATABASE_URL=" + db, "CHAT_CALLBACK_URL="}

	s := start(t, bin, env...)
	m := curlLine.FindStringSubmatch("try: " + s.curl)
	resp, err := http.Post(m[2]+m[3], "application/x-www-form-urlencoded", strings.NewReader(m[4]))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[{"To_Account":"administrator","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0}]}`, string(b))
	health, err := http.Get(s.base + "/healthz")
	require.NoError(t, err)
	health.Body.Close()
	require.Equal(t, http.StatusOK, health.StatusCode)

	require.Equal(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","FailAccounts":[]}`, s.call(t, "im_open_login_svc/multiaccount_import", `{"Accounts":["a","b"]}`))
	require.Contains(t, s.call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"administrator"}]}`), `"ActionStatus":"OK"`)

	// A crash right after the answers: nothing acknowledged is lost.
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGKILL))
	s.cmd.Wait()
	s = start(t, bin, env...)
	const counts = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
		`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":2,"MutualFollowingCount":0},` +
		`{"To_Account":"administrator","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":0,"MutualFollowingCount":0}]}`
	require.Equal(t, counts, s.call(t, "follow/follow_get_info", `{"From_Account":"b","To_Account":["a","administrator"]}`))

	// SIGTERM: a graceful stop, exit status 0, and the data is still there next time.
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "exit status after SIGTERM")
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop within 15s of SIGTERM")
	}
	s = start(t, bin, env...)
	require.Equal(t, counts, s.call(t, "follow/follow_get_info", `{"From_Account":"b","To_Account":["a","administrator"]}`))
}

// TestTooManyAdmins: more than 10 administrators stop the server at start-up with a clear error.
func TestTooManyAdmins(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the local server")
	}
	bin := build(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), "CHAT_LISTEN_ADDR=127.0.0.1:0", "CHAT_DATABASE_URL=sqlite::memory:",
		"CHAT_ADMINS=a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "%s", out)
	require.Equal(t, 1, exit.ExitCode())
	require.Contains(t, string(out), "CHAT_ADMINS lists 11 administrators; an app has at most 10")
}
