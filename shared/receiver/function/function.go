// Package function is the composition root of a deployed receiver function (functions/callback
// and every functions/on-*): it reads the RECEIVER_* variables (config.LoadReceiver, deployed
// mode), opens the receivers' own store on RECEIVER_DATABASE_URL, prunes the event log in the
// background (RECEIVER_RETENTION) and serves the receiver on whatever runs the binary
// (shared/platform/host). It links nothing of the server half: no REST gateway, UserSig,
// outbox or dispatcher.
//
// A deployed receiver that would check no signature (neither RECEIVER_TOKENS nor
// RECEIVER_HMAC_SECRETS) or has no RECEIVER_DATABASE_URL refuses to start: the process exits
// with status 1 and logs the variable it misses.
package function

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/metrics"
	"github.com/chatfollow/chatfollow/shared/platform/host"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
)

// Serve runs the receiver of command (every command on one URL when command is "") with the
// app's handlers h until the process is told to stop; it exits on a start-up error.
func Serve(command string, h receiver.Handlers) { host.Main(Setup(command, h)) }

// Setup is the host.Setup of the receiver of command ("" for every command) with handlers h.
func Setup(command string, h receiver.Handlers) host.Setup {
	return func(lookup func(string) (string, bool), log *slog.Logger) (host.Function, error) {
		if command != "" && !receiver.Known(command) {
			return host.Function{}, fmt.Errorf("receiver: unknown command %q", command)
		}
		cfg, err := config.LoadReceiver(lookup, config.Deployed)
		if err != nil {
			return host.Function{}, err
		}
		return host.Function{Open: func(ctx, process context.Context) (*host.Unit, error) {
			st, err := sqlstore.OpenReceivers(ctx, cfg.DatabaseURL)
			if err != nil {
				return nil, fmt.Errorf("RECEIVER_DATABASE_URL: %w", err)
			}
			// GET /metrics: the receivers' events (recorded and duplicate, counted as they commit,
			// and refused) with the Go runtime's and the process's collectors.
			m := metrics.New()
			r, err := receiver.New(cfg, m.Store(st), nil, log, h)
			if err != nil {
				st.Close()
				return nil, err
			}
			// Pruning runs while the instance lives (on Lambda and SCF, while it is thawed).
			background, stop := context.WithCancel(process)
			go r.RunRetention(background)
			handler := r.Handler()
			if command != "" {
				handler = r.CommandHandler(command)
			}
			return &host.Unit{Handler: handler, Ping: r.Ping, Metrics: m, Close: func() error {
				stop()
				return r.Close()
			}}, nil
		}}, nil
	}
}
