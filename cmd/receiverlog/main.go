// Command receiverlog shows what the webhook receivers recorded: the newest events of their log
// and the mirror they keep (follows, official accounts, subscriptions).
//
//	go run ./cmd/receiverlog               # the newest 20 events and the mirror's present facts
//	go run ./cmd/receiverlog -n 0 -all     # every event, and absent facts (tombstones) too
//	go run ./cmd/receiverlog -replay       # first rebuild the mirror from the log
//
// It reads the receivers' database as the local server does: RECEIVER_DATABASE_URL, else
// CHAT_DATABASE_URL, else sqlite:./data/chat.db. It may run while the server runs. -replay
// applies the log again over the mirror (it does not empty it: pruned events live on only in
// the mirror).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
)

func main() {
	n := flag.Int("n", 20, "how many of the newest events to show (0: all)")
	all := flag.Bool("all", false, "show absent mirror facts (tombstones) too")
	replay := flag.Bool("replay", false, "rebuild the mirror from the event log before showing it")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *n, *all, *replay); err != nil {
		fmt.Fprintln(os.Stderr, "receiverlog:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, n int, all, replay bool) error {
	cfg, err := config.Load(os.LookupEnv, config.Local)
	if err != nil {
		return err
	}
	url := cfg.Receiver.DatabaseURL
	if url == "" {
		url = cfg.DatabaseURL
	}
	st, err := sqlstore.OpenReceivers(ctx, url)
	if err != nil {
		return err
	}
	defer st.Close()
	if replay {
		// A Receiver on st only to replay; st is closed above, not by it.
		r, err := receiver.New(cfg.Receiver, noClose{st}, time.Now, nil, receiver.Handlers{})
		if err != nil {
			return err
		}
		applied, err := r.Replay(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "mirror replayed from %d logged events\n\n", applied)
	}
	return st.View(ctx, func(tx store.ReceiverTx) error {
		events, err := tx.ReceivedEvents(ctx, store.EventQuery{Limit: n, Newest: true})
		if err != nil {
			return err
		}
		follows, err := tx.MirrorFollows(ctx, "")
		if err != nil {
			return err
		}
		officials, err := tx.MirrorOfficialAccounts(ctx)
		if err != nil {
			return err
		}
		subs, err := tx.MirrorSubscriptions(ctx, "")
		if err != nil {
			return err
		}
		show(w, events, follows, officials, subs, all)
		return nil
	})
}

func show(w io.Writer, events []store.ReceivedEvent, follows []store.MirrorFollow, officials []store.MirrorOfficialAccount, subs []store.MirrorSubscription, all bool) {
	fmt.Fprintf(w, "event log (%d shown, oldest first):\n", len(events))
	for _, e := range events {
		fmt.Fprintf(w, "  #%d %s %s EventTime=%s deliveries=%d ClientIP=%s OptPlatform=%s\n      body:   %s\n",
			e.ID, e.ReceivedAt.UTC().Format(time.RFC3339), e.Command, ms(e.EventTime), e.Deliveries, e.ClientIP, e.Platform, e.Body)
		if len(e.Answer) > 0 {
			fmt.Fprintf(w, "      answer: %s\n", e.Answer)
		}
	}
	fmt.Fprintln(w, "mirror: follows")
	for _, f := range follows {
		if f.Present || all {
			fmt.Fprintf(w, "  %s -> %s%s (as of %s)\n", f.From, f.To, absent(f.Present), ms(f.At))
		}
	}
	fmt.Fprintln(w, "mirror: official accounts")
	for _, o := range officials {
		if o.Present || all {
			fmt.Fprintf(w, "  %s%s owner=%q name=%q introduction=%q faceurl=%q organization=%q (as of %s)",
				o.ID, absent(o.Present), o.Owner, o.Name, o.Introduction, o.FaceURL, o.Organization, ms(o.StateAt))
			if o.FullAt > 0 {
				fmt.Fprintf(w, " full at %s", ms(o.FullAt))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w, "mirror: subscriptions")
	for _, s := range subs {
		if s.Present || all {
			fmt.Fprintf(w, "  %s subscribes to %s%s (as of %s)\n", s.Subscriber, s.Official, absent(s.Present), ms(s.At))
		}
	}
}

func absent(present bool) string {
	if present {
		return ""
	}
	return " [absent]"
}

// ms shows an EventTime (Unix milliseconds) as a UTC time.
func ms(t int64) string { return time.UnixMilli(t).UTC().Format("2006-01-02T15:04:05.000Z") }

// noClose leaves the store open when the Receiver closes.
type noClose struct{ store.ReceiverStore }

func (noClose) Close() error { return nil }
