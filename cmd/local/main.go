// Command local runs every function on one port, on an embedded SQLite store by default:
//
//	go run ./cmd/local
//
// It is configured by the environment variables of docs/product.md (see docs/configuration.md), prints a
// ready-to-paste curl command at start-up and stops gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/localserver"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(log); err != nil {
		log.Error("local server stopped", "err", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger) error {
	cfg, err := config.Load(os.LookupEnv, config.Local)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (set CHAT_LISTEN_ADDR to use another address): %w", cfg.ListenAddr, err)
	}
	defer ln.Close()
	cfg.Listening(ln.Addr())
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := localserver.ImportAdmins(ctx, a); err != nil {
		return err
	}
	handler, rcv, err := localserver.Mount(ctx, a)
	if err != nil {
		return err
	}
	defer rcv.Close()
	if cfg.SecretKey == config.DevSecretKey {
		log.Warn("using the development secret key; set CHAT_SECRET_KEY outside local development", "CHAT_SECRET_KEY", cfg.SecretKey)
	}
	// The curl line is printed raw (a structured logger would escape its quotes) so it can be pasted.
	if curl, err := exampleCurl(cfg, ln.Addr()); err == nil {
		fmt.Fprintf(os.Stderr, "%s chatfollow listening on %s; try: %s\n", time.Now().Format(time.RFC3339), ln.Addr(), curl)
	} else {
		log.Info("listening", "addr", ln.Addr().String())
	}

	// The dispatcher drains the outbox in the background: pending deliveries left by an earlier
	// run are resumed at once, and each commit wakes it for the first attempt.
	dispatching := make(chan struct{})
	go func() { defer close(dispatching); a.RunDispatcher(ctx) }()
	defer func() { <-dispatching }()
	// The receivers' event log is pruned in the background (RECEIVER_RETENTION).
	pruning := make(chan struct{})
	go func() { defer close(pruning); rcv.RunRetention(ctx) }()
	defer func() { <-pruning }()

	err = platform.Serve(ctx, ln, handler)
	stop() // also when serving failed: the dispatcher must stop before the store closes
	log.Info("stopped")
	return err
}

// exampleCurl is a follow_get_info call by the first administrator about itself.
func exampleCurl(cfg config.Config, addr net.Addr) (string, error) {
	if len(cfg.Admins) == 0 {
		return "", errors.New("no administrator")
	}
	admin := cfg.Admins[0]
	sig, err := tencentyun.GenUserSig(int(cfg.SDKAppID), cfg.SecretKey, admin, 7*24*3600)
	if err != nil {
		return "", err
	}
	host := "127.0.0.1"
	if tcp, ok := addr.(*net.TCPAddr); ok && !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
	}
	port := addr.(*net.TCPAddr).Port
	return fmt.Sprintf(`curl -s -X POST 'http://%s/v4/follow/follow_get_info?sdkappid=%d&identifier=%s&usersig=%s&random=1&contenttype=json' -d '{"From_Account":"%s","To_Account":["%s"]}'`,
		net.JoinHostPort(host, fmt.Sprint(port)), cfg.SDKAppID, admin, sig, admin, admin), nil
}
