// Command deliveries shows and redelivers the outbox's webhooks, on the database of
// CHAT_DATABASE_URL (the local server's default when unset):
//
//	go run ./cmd/deliveries list              pending and dead deliveries, attempts, last errors
//	go run ./cmd/deliveries list dead         only dead letters (or: pending)
//	go run ./cmd/deliveries redeliver 42      make dead letter 42 pending again, due now
//	go run ./cmd/deliveries redeliver dead    the same for every dead letter
//
// A redelivered letter starts the retry schedule afresh; a running server or webhook-dispatch
// function sends it within a second or at its next tick.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
)

const usage = "usage: deliveries list [pending|dead] | deliveries redeliver <id>|dead"

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
			next, name := d.DueAt.Format(time.RFC3339), "pending"
			if d.State == store.Dead {
				next, name = "-", "dead"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", d.ID, name, d.Command, d.OrderKey, d.Attempts,
				d.CreatedAt.Format(time.RFC3339), next, d.LastError)
		}
	}
	return w.Flush()
}
