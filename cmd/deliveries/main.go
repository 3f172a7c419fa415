// Command deliveries shows and redelivers the outbox's webhooks, on the database of
// CHAT_DATABASE_URL (the local server's default when unset):
//
//	go run ./cmd/deliveries list              pending and dead deliveries, attempts, last errors
//	go run ./cmd/deliveries list dead         only dead letters (or: pending)
//	go run ./cmd/deliveries list -state delivered [-command C] [-key K]
//	                                          the history, newest first (-state all: every state)
//	go run ./cmd/deliveries show 42           one delivery with its body and every attempt
//	go run ./cmd/deliveries redeliver 42      make dead letter 42 pending again, due now
//	go run ./cmd/deliveries redeliver dead    the same for every dead letter
//
// A redelivered letter starts the retry schedule afresh; a running server or webhook-dispatch
// function sends it within a second or at its next tick.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/delivery"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
)

const usage = "usage: deliveries list [pending|dead] | deliveries list -state pending|dead|delivered|all [-command C] [-key K] | deliveries show <id> | deliveries redeliver <id>|dead"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf(usage)
	}
	cfg, err := config.Load(os.LookupEnv, config.Local)
	if err != nil {
		return err
	}
	st, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case args[0] == "list" && len(args) >= 2 && strings.HasPrefix(args[1], "-"):
		return history(ctx, st, args[1:], out)
	case args[0] == "show" && len(args) == 2:
		id, err := strconv.ParseInt(strings.TrimPrefix(args[1], "dlv_"), 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf(usage)
		}
		return show(ctx, st, id, out)
	case args[0] == "list" && len(args) <= 2:
		states := []store.DeliveryState{store.Pending, store.Dead}
		if len(args) == 2 {
			switch args[1] {
			case "pending":
				states = []store.DeliveryState{store.Pending}
			case "dead":
				states = []store.DeliveryState{store.Dead}
			default:
				return fmt.Errorf(usage)
			}
		}
		return list(ctx, st, states, out)
	case args[0] == "redeliver" && len(args) == 2:
		var id int64 // 0: every dead letter
		if args[1] != "dead" {
			if id, err = strconv.ParseInt(args[1], 10, 64); err != nil || id <= 0 {
				return fmt.Errorf(usage)
			}
		}
		var n int
		err := st.Update(ctx, func(tx store.Tx) (err error) { n, err = tx.Redeliver(ctx, id, time.Now()); return err })
		if err != nil {
			return err
		}
		if id != 0 && n == 0 {
			return fmt.Errorf("delivery %d is not a dead letter", id)
		}
		fmt.Fprintf(out, "%d dead letter(s) pending again\n", n)
		return nil
	}
	return fmt.Errorf(usage)
}

// listLimit bounds one listing.
const listLimit = 1000

func list(ctx context.Context, st store.Store, states []store.DeliveryState, out io.Writer) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTATE\tCOMMAND\tKEY\tATTEMPTS\tCREATED\tNEXT ATTEMPT\tLAST ERROR")
	for _, state := range states {
		var ds []store.Delivery
		err := st.View(ctx, func(tx store.Tx) (err error) { ds, err = tx.Deliveries(ctx, state, listLimit); return err })
		if err != nil {
			return err
		}
		for _, d := range ds {
			next, name := d.DueAt.UTC().Format(time.RFC3339), "pending"
			if d.State == store.Dead {
				next, name = "-", "dead"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", d.ID, name, d.Command, d.OrderKey, d.Attempts,
				d.CreatedAt.UTC().Format(time.RFC3339), next, d.LastError)
		}
	}
	return w.Flush()
}

// stateNames names the states in listings and in -state.
var stateNames = map[store.DeliveryState]string{store.Pending: "pending", store.Delivered: "delivered", store.Dead: "dead"}

// history lists deliveries of any state, newest first, with the filters of the console.
func history(ctx context.Context, st store.Store, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	state := fs.String("state", "all", "pending, dead, delivered or all")
	command := fs.String("command", "", "only this CallbackCommand")
	key := fs.String("key", "", "only this order key (From_Account or official account)")
	limit := fs.Int("n", listLimit, "at most this many")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return fmt.Errorf(usage)
	}
	q := store.DeliveryQuery{Command: *command, OrderKey: *key, Limit: *limit}
	if *state != "all" {
		found := false
		for s, name := range stateNames {
			if name == *state {
				q.States, found = []store.DeliveryState{s}, true
			}
		}
		if !found {
			return fmt.Errorf(usage)
		}
	}
	var ds []store.Delivery
	if err := st.View(ctx, func(tx store.Tx) (err error) { ds, err = tx.DeliveryPage(ctx, q); return err }); err != nil {
		return err
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTATE\tCOMMAND\tKEY\tATTEMPTS\tCREATED\tDELIVERED / NEXT ATTEMPT\tLAST ERROR")
	for _, d := range ds {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", d.ID, stateNames[d.State], d.Command, d.OrderKey, d.Attempts,
			d.CreatedAt.UTC().Format(time.RFC3339), when(d), d.LastError)
	}
	return w.Flush()
}

func when(d store.Delivery) string {
	switch d.State {
	case store.Delivered:
		return d.DeliveredAt.UTC().Format(time.RFC3339)
	case store.Pending:
		return d.DueAt.UTC().Format(time.RFC3339)
	}
	return "-"
}

// show prints one delivery, its body and every attempt.
func show(ctx context.Context, st store.Store, id int64, out io.Writer) error {
	var d store.Delivery
	var attempts []store.Attempt
	err := st.View(ctx, func(tx store.Tx) (err error) {
		if d, err = tx.Delivery(ctx, id); err != nil {
			return err
		}
		attempts, err = tx.Attempts(ctx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no delivery %d (pruned after CHAT_DELIVERY_RETENTION, or never written)", id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "delivery %d (%s)\nstate:    %s\ncommand:  %s\nkey:      %s\ncreated:  %s\nattempts: %d\n",
		d.ID, delivery.DeliveryID(d.ID), stateNames[d.State], d.Command, d.OrderKey, d.CreatedAt.UTC().Format(time.RFC3339Nano), d.Attempts)
	switch d.State {
	case store.Delivered:
		fmt.Fprintf(out, "delivered: %s\n", d.DeliveredAt.UTC().Format(time.RFC3339Nano))
	case store.Pending:
		fmt.Fprintf(out, "next attempt: %s\n", d.DueAt.UTC().Format(time.RFC3339Nano))
	}
	fmt.Fprintf(out, "body:\n%s\n", d.Body)
	for i, a := range attempts {
		status := "no answer"
		if a.Status != 0 {
			status = "HTTP " + strconv.Itoa(a.Status)
		}
		fmt.Fprintf(out, "\nattempt %d at %s: %s in %s\n", i+1, a.At.UTC().Format(time.RFC3339Nano), status, a.Latency)
		if a.Error != "" {
			fmt.Fprintf(out, "error: %s\n", a.Error)
		}
		fmt.Fprintf(out, "request:\n%sanswer: %s\n", a.Request, a.Answer)
	}
	return nil
}
