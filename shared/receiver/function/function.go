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
	"github.com/chatfollow/chatfollow/shared/platform/host"
	"github.com/chatfollow/chatfollow/shared/receiver"
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
			r, err := receiver.Open(ctx, cfg, h, log)
			if err != nil {
				return nil, err
			}
			// Pruning runs while the instance lives (on Lambda and SCF, while it is thawed).
			background, stop := context.WithCancel(process)
			go r.RunRetention(background)
			handler := r.Handler()
			if command != "" {
				handler = r.CommandHandler(command)
			}
			return &host.Unit{Handler: handler, Ping: r.Ping, Close: func() error {
				stop()
				return r.Close()
			}}, nil
		}}, nil
	}
}
