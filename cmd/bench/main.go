// Command bench measures the whole system on this machine: it starts the local server
// in-process (SQLite in a temporary folder, or the database of -database), drives it over real
// HTTP on loopback with concurrent keep-alive clients for a fixed time per scenario, and prints
// requests/s and latency percentiles for each REST operation, the signed webhook receiver and the
// outbox drain, each also as a ratio against a baseline measured in the same run with the same
// client: a trivial net/http handler answering a fixed 60-byte JSON envelope, the machine's
// ceiling for this kind of work.
//
//	go run ./cmd/bench                  # Markdown table, about a minute
//	go run ./cmd/bench -json            # the same as JSON, to compare runs
//	go run ./cmd/bench -clients 64 -duration 5s -database postgres://...
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/chatfollow/chatfollow/localserver"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/pgproxy"
)

// baselineBody is the baseline's answer: a JSON envelope of exactly 60 bytes.
const baselineBody = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","Pad":"x"}`

type options struct {
	clients  int
	duration time.Duration
	database string
	addr     string
	json     bool
	only     string
	pgDelay  time.Duration // added to each direction between the service and PostgreSQL
	// celebrity is how many followers the account account_delete deletes has.
	celebrity int
}

func main() {
	var o options
	flag.IntVar(&o.clients, "clients", 64, "concurrent keep-alive clients")
	flag.DurationVar(&o.duration, "duration", 4*time.Second, "measuring time per scenario")
	flag.StringVar(&o.database, "database", os.Getenv("CHAT_DATABASE_URL"), "database URL (default: a new SQLite file in a temporary folder)")
	flag.StringVar(&o.addr, "addr", "127.0.0.1:0", "address the local server listens on")
	flag.BoolVar(&o.json, "json", false, "print JSON instead of a Markdown table")
	flag.StringVar(&o.only, "only", "", "comma-separated scenarios to run (default: all)")
	flag.DurationVar(&o.pgDelay, "pg-delay", 0, "PostgreSQL only: delay added each way through a proxy in the tool (250us = 0.5 ms per round trip)")
	flag.IntVar(&o.celebrity, "celebrity", 100000, "followers of the account the account_delete scenario deletes")
	flag.Parse()
	if err := run(context.Background(), o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// report is the whole run.
type report struct {
	Machine  string        `json:"machine"`
	Go       string        `json:"go"`
	CPUs     int           `json:"cpus"`
	Database string        `json:"database"`
	Clients  int           `json:"clients"`
	Duration time.Duration `json:"duration_ns"`
	Results  []result      `json:"results"`
}

func run(ctx context.Context, o options, out, progress io.Writer) error {
	if len(baselineBody) != 60 {
		return fmt.Errorf("baseline body is %d bytes, want 60", len(baselineBody))
	}
	dir, err := os.MkdirTemp("", "chatfollow-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	database := o.database
	if database == "" {
		database = "sqlite:" + filepath.Join(dir, "chat.db")
	}
	dbName := strings.SplitN(database, ":", 2)[0]
	if o.pgDelay > 0 {
		if !strings.HasPrefix(database, "postgres") {
			return fmt.Errorf("-pg-delay needs a postgres:// database")
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		through, target, err := pgproxy.URL(database, ln.Addr())
		if err != nil {
			ln.Close()
			return err
		}
		proxy := pgproxy.Start(ln, target, o.pgDelay)
		defer proxy.Close()
		database = through
		dbName += fmt.Sprintf(" (+%v each way)", o.pgDelay)
	}

	baseline, err := serve("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, baselineBody)
	}))
	if err != nil {
		return fmt.Errorf("baseline server: %w", err)
	}
	defer baseline.Close()

	cfg, err := config.Load(func(string) (string, bool) { return "", false }, config.Local)
	if err != nil {
		return err
	}
	cfg.DatabaseURL = database
	cfg.RateLimit = 0     // Tencent's 200 calls/s would be the only thing measured
	cfg.Callback.URL = "" // REST scenarios measure the operations; delivery is measured on its own
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return fmt.Errorf("open %s: %w", database, err)
	}
	defer a.Close()
	h, err := localserver.New(a)
	if err != nil {
		return err
	}
	server, err := serve(o.addr, h)
	if err != nil {
		return fmt.Errorf("local server on %s: %w", o.addr, err)
	}
	defer server.Close()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.clients, MaxConnsPerHost: o.clients}}
	defer client.CloseIdleConnections()
	env := &environment{cfg: cfg, app: a, client: client, server: "http://" + server.Addr().String(),
		baseline: "http://" + baseline.Addr().String(), dir: dir, run: "bench" + strconv.FormatInt(time.Now().Unix(), 36)}

	rep := report{Machine: machine(), Go: runtime.Version(), CPUs: runtime.NumCPU(), Database: dbName,
		Clients: o.clients, Duration: o.duration}
	list := scenarios()
	if o.only != "" {
		list = pick(list, strings.Split(o.only, ","))
	}
	var base result
	for i, sc := range list {
		fmt.Fprintf(progress, "\rbench: %d/%d %-20s", i+1, len(list), sc.name)
		r, err := sc.run(ctx, env, o)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		r.Name = sc.name
		if sc.name == "baseline" {
			base = r
		}
		if base.RPS > 0 {
			r.RPSRatio = r.RPS / base.RPS
		}
		if base.P99 > 0 {
			r.P99Ratio = r.P99 / base.P99
		}
		rep.Results = append(rep.Results, r)
	}
	fmt.Fprintf(progress, "\r%-40s\r", "")
	if o.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printTable(out, rep)
	return nil
}

// serve listens on addr and serves h until Close.
func serve(addr string, h http.Handler) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && strings.Contains(err.Error(), "address already in use") {
			return nil, fmt.Errorf("port taken: %w", err)
		}
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return ln, nil
}

func printTable(w io.Writer, rep report) {
	fmt.Fprintf(w, "%s, %d CPUs, %s, %s store, %d clients, %v per scenario\n\n", rep.Machine, rep.CPUs, rep.Go, rep.Database, rep.Clients, rep.Duration)
	fmt.Fprintln(w, "| scenario | requests/s | × baseline | p50 ms | p99 ms | p99.9 ms | p99 × baseline | errors |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rep.Results {
		fmt.Fprintf(w, "| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %d |\n", r.Name, r.RPS, r.RPSRatio, r.P50, r.P99, r.P999, r.P99Ratio, r.Errors)
	}
	for _, r := range rep.Results {
		if r.Note != "" {
			fmt.Fprintf(w, "\n%s: %s", r.Name, r.Note)
		}
	}
	fmt.Fprintln(w)
}

// machine names the CPU, from /proc/cpuinfo where there is one.
func machine() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
			}
		}
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}
