package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/protocol"
)

// TestKilledServerDeliversAfterRestart: the receiver is down, the server is killed with SIGKILL
// right after answering, and the webhooks still arrive, in commit order, once the server
// restarts on the same file.
func TestKilledServerDeliversAfterRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the local server")
	}
	bin := build(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hookAddr := ln.Addr().String()
	ln.Close() // nothing listens here until the restart: the receiver is down
	env := []string{
		"CHAT_LISTEN_ADDR=127.0.0.1:0",
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
	ln, err = net.Listen("tcp", hookAddr)
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		got <- r.URL.Query().Get("CallbackCommand")
		io.WriteString(w, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })

	start(t, bin, env...)
	var commands []string
	for len(commands) < 2 {
		select {
		case c := <-got:
			commands = append(commands, c)
		case <-time.After(20 * time.Second):
			t.Fatalf("after the restart the receiver got %v", commands)
		}
	}
	assert.Equal(t, []string{protocol.CallbackAfterFollowAdd, protocol.CallbackAfterFollowDelete}, commands, "both events, in commit order")
}
