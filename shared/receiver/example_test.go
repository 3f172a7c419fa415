package receiver_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/store"
)

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
	var st store.Store // the app's store, e.g. sqlstore.Open(ctx, "sqlite:./data/receiver.db")
	cfg := config.Receiver{SDKAppID: 1400000000, Tokens: []string{"token"}, MaxSkew: time.Minute}
	r, err := receiver.New(cfg, st, time.Now, nil, h)
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	r.Mount(mux) // POST /callback and POST /callback/<CallbackCommand>
	fmt.Println("mounted")
	// Output: mounted
}
