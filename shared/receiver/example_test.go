package receiver_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// An app backend opens a Receiver on its own database, serves it on any net/http server and
// reads the mirror it keeps. Here it runs on a loopback listener and is sent one signed
// Follow.CallbackAfterFollowAdd, as Tencent Chat sends it.
func ExampleReceiver() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "receiver-example")
	defer os.RemoveAll(dir)

	cfg := receiver.Config{
		SDKAppID:    1400000000,
		Tokens:      []string{"my-callback-token"}, // the token set in Tencent's console
		MaxSkew:     time.Minute,
		DatabaseURL: "sqlite:" + filepath.Join(dir, "receiver.db"), // or postgres://...
		Retention:   30 * 24 * time.Hour,
	}
	h := receiver.Handlers{
		AfterFollowAdd: func(ctx context.Context, ev receiver.Event, b protocol.AfterFollowAdd) error {
			fmt.Printf("handler: %s followed %d account(s)\n", b.FromAccount, len(b.FollowList))
			return nil
		},
	}
	r, err := receiver.Open(ctx, cfg, h, nil)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	go r.RunRetention(ctx) // prunes the event log in the background

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: r.Handler()} // every command on one URL; r.CommandHandler(cmd) for one
	go srv.Serve(ln)
	defer srv.Close()

	// What Tencent sends: Sign = hex(SHA-256(token + RequestTime)).
	now := time.Now()
	body := `{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"alice",` +
		`"FollowList":[{"To_Account":"bob"}],"EventTime":` + strconv.FormatInt(now.UnixMilli(), 10) + `}`
	url := fmt.Sprintf("http://%s/callback?SdkAppid=1400000000&CallbackCommand=Follow.CallbackAfterFollowAdd"+
		"&contenttype=json&ClientIP=192.0.2.1&OptPlatform=RESTAPI&RequestTime=%d&Sign=%s",
		ln.Addr(), now.Unix(), webhook.Sign("my-callback-token", now.Unix()))
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(answer))

	following, err := r.Following(ctx, "alice", "bob")
	if err != nil {
		panic(err)
	}
	fmt.Println("mirror: alice follows bob:", following)
	// Output:
	// handler: alice followed 1 account(s)
	// 200 {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}
	// mirror: alice follows bob: true
}

// An app plugs its own logic in per command. The after-handler runs at least once per distinct
// event, before the event is recorded: returning an error answers HTTP 500 so the sender
// delivers again. The before-handlers decide what the deny-lists have not already refused.
func ExampleHandlers() {
	banned := []string{"spammer"}
	h := receiver.Handlers{
		AfterFollowDelete: func(ctx context.Context, ev receiver.Event, b protocol.AfterFollowDelete) error {
			fmt.Printf("%s unfollowed %v at %s\n", b.FromAccount, b.ToAccount, ev.EventTime.UTC().Format(time.RFC3339))
			return nil // e.g. return db.RemoveFans(ctx, b.FromAccount, b.ToAccount)
		},
		BeforeAddSubscriber: func(ctx context.Context, ev receiver.Event, b protocol.Subscribers) ([]string, error) {
			var refused []string
			for _, id := range b.Accounts() {
				if slices.Contains(banned, id) {
					refused = append(refused, id)
				}
			}
			return refused, nil
		},
	}
	cfg := receiver.Config{SDKAppID: 1400000000, Tokens: []string{"token"}, MaxSkew: time.Minute,
		DatabaseURL: "sqlite::memory:"}
	r, err := receiver.Open(context.Background(), cfg, h, nil)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	mux := http.NewServeMux() // the app's own routes
	// POST /callback and POST /callback/<CallbackCommand>; everything else goes to mux.
	handler := r.Routes(mux)
	_ = handler // http.ListenAndServe(":8080", handler)
	fmt.Println("mounted")
	// Output: mounted
}
