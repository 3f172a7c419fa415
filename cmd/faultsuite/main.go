// Command faultsuite runs the real function binaries (follow-add, follow-delete,
// multiaccount-import, webhook-dispatch, callback) in HTTP mode against a throwaway PostgreSQL
// cluster it starts itself, with a fault proxy in front of the receiver, and checks after each
// scenario that nothing was lost or merged: counts equal edges, every successful answer is in
// the final state, the receiver's mirror equals the source, no dead letter, every committed
// change (audited by a trigger on the outbox) in the receiver's log exactly once. It prints
// client errors, recovery time and webhook lag per scenario (docs/delivery.md).
//
//	go run ./cmd/faultsuite          # the short form, at most 3 minutes (CI)
//	go run ./cmd/faultsuite -long    # the long form
//
// It exits 1 when an invariant does not hold; a missed lag target is printed, and fails the run
// only with -strict-lag (lag is a timing on a machine CI shares with nothing else, but a
// developer's may be busy).
package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
)

const (
	sdkAppID  = 1400000000
	secretKey = "faultsuite-secret-key-0123456789abcdef"
	admin     = "administrator"
	token     = "faultsuite-token"
	accounts  = 200
)

type options struct {
	long     bool
	duration time.Duration // load per scenario
	clients  int
	hot      int // clients of the hot-key scenario
	rest     int // instances of each REST function
	only     string
	strict   bool // missed lag targets fail the run too
}

func main() {
	var o options
	flag.BoolVar(&o.long, "long", false, "the long form: longer loads, more clients and instances")
	flag.StringVar(&o.only, "only", "", "run only the scenarios whose names contain this")
	flag.BoolVar(&o.strict, "strict-lag", false, "fail the run when a lag target is missed (by default it is reported)")
	flag.Parse()
	o.duration, o.clients, o.hot, o.rest = 6*time.Second, 12, 24, 2
	if o.long {
		o.duration, o.clients, o.hot, o.rest = 45*time.Second, 32, 48, 3
	}
	// Interrupted, it still stops the cluster and the binaries it started.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, o, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stdout, "FAIL:", err)
		os.Exit(1)
	}
}

// scenario is one run of load with a fault.
type scenario struct {
	name   string
	hot    bool                                    // clients on 6 From_Accounts
	fault  func(ctx context.Context, e *env) error // injected a third into the load; nil: none
	faults func(f *faults)                         // proxy faults for the whole load
}

func scenarios() []scenario {
	return []scenario{
		{name: "baseline"},
		{name: "hot-key", hot: true},
		{name: "kill-rest", fault: func(ctx context.Context, e *env) error {
			p := e.add[0]
			p.kill9()
			time.Sleep(time.Second)
			return p.start(ctx)
		}},
		{name: "kill-dispatcher", fault: func(ctx context.Context, e *env) error {
			p := e.dispatch[0]
			p.kill9()
			time.Sleep(time.Second)
			return p.start(ctx)
		}},
		{name: "kill-receiver", fault: func(ctx context.Context, e *env) error {
			e.receiver.kill9()
			time.Sleep(2 * time.Second)
			return e.receiver.start(ctx)
		}},
		{name: "kill-postgres", fault: func(ctx context.Context, e *env) error {
			if err := e.cluster.kill9(); err != nil {
				return err
			}
			time.Sleep(500 * time.Millisecond)
			return e.cluster.restart(ctx)
		}},
		{name: "slow-receiver", faults: func(f *faults) { f.slowKeys.Store(true) }},
		{name: "flaky-receiver", faults: func(f *faults) { f.fail500.Store(100); f.drop.Store(50) }},
	}
}

// env is the deployment of one scenario.
type env struct {
	cluster  *cluster
	appURL   string
	rcvURL   string
	add, del []*proc
	imp      *proc
	dispatch []*proc
	receiver *proc
	faults   *faults
	query    string
	client   *http.Client
}

func run(ctx context.Context, o options, out io.Writer) error {
	began := time.Now()
	root, err := os.MkdirTemp("", "faultsuite-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	bin := filepath.Join(root, "bin")
	fmt.Fprintf(out, "faultsuite: %s form, %v load per scenario, %d clients (hot key: %d on 6 accounts), %d instances of each REST function, 2 dispatchers\n",
		map[bool]string{false: "short", true: "long"}[o.long], o.duration, o.clients, o.hot, o.rest)
	if err := build(bin); err != nil {
		return err
	}
	c, err := startCluster(root)
	if err != nil {
		return err
	}
	defer c.stop()
	fmt.Fprintf(out, "postgres on port %d, binaries built: %.1fs\n\n", c.port, time.Since(began).Seconds())
	var failed []string
	for i, sc := range scenarios() {
		if o.only != "" && !strings.Contains(sc.name, o.only) {
			continue
		}
		problems, err := runScenario(ctx, o, c, bin, root, i, sc, out)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		for _, p := range problems {
			if strings.HasPrefix(p, lagTarget) && !o.strict {
				fmt.Fprintf(out, "  %s: %s\n", sc.name, p)
				continue
			}
			failed = append(failed, sc.name+": "+p)
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	fmt.Fprintf(out, "total %.1fs\n", time.Since(began).Seconds())
	if len(failed) > 0 {
		return fmt.Errorf("%d problems:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	fmt.Fprintln(out, "PASS")
	return nil
}

func runScenario(ctx context.Context, o options, c *cluster, bin, root string, n int, sc scenario, out io.Writer) ([]string, error) {
	admin0, err := sql.Open("pgx", c.url("postgres"))
	if err != nil {
		return nil, err
	}
	appDB, rcvDB := fmt.Sprintf("app%d", n), fmt.Sprintf("rcv%d", n)
	for _, db := range []string{appDB, rcvDB} {
		if _, err := admin0.ExecContext(ctx, "CREATE DATABASE "+db); err != nil {
			admin0.Close()
			return nil, err
		}
	}
	admin0.Close()
	e := &env{cluster: c, appURL: c.url(appDB), rcvURL: c.url(rcvDB), faults: &faults{},
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	// Migrate both databases, then install the audit: every committed outbox row, copied by a
	// trigger in the transaction that wrote it, is the oracle of what the receiver must log.
	for _, u := range []string{e.appURL, e.rcvURL} {
		st, err := sqlstore.Open(ctx, u)
		if err != nil {
			return nil, err
		}
		st.Close()
	}
	app, err := sql.Open("pgx", e.appURL)
	if err != nil {
		return nil, err
	}
	defer app.Close()
	if _, err := app.ExecContext(ctx, `
		CREATE TABLE fault_audit (id BIGINT, command TEXT, body TEXT, order_key TEXT, created_at BIGINT);
		CREATE FUNCTION fault_audit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO fault_audit VALUES (NEW.id, NEW.command, NEW.body, NEW.order_key, NEW.created_at); RETURN NEW; END $$;
		CREATE TRIGGER fault_audit AFTER INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION fault_audit();`); err != nil {
		return nil, fmt.Errorf("audit trigger: %w", err)
	}

	// The fault proxy listens on a port it holds; the receiver behind it on one of its own.
	pln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	if sc.faults != nil {
		sc.faults(e.faults)
	}
	common := []string{
		fmt.Sprintf("CHAT_SDKAPPID=%d", sdkAppID), "CHAT_SECRET_KEY=" + secretKey, "CHAT_ADMINS=" + admin,
		"CHAT_DATABASE_URL=" + e.appURL + "&pool_max_conns=8", "CHAT_RATE_LIMIT=0", "CHAT_CALLBACK_TOKEN=" + token,
		"CHAT_CALLBACK_URL=http://" + pln.Addr().String() + "/callback",
		// Retries every second for a minute: an outage of the suite ends long before.
		"CHAT_CALLBACK_RETRY=250ms,500ms" + strings.Repeat(",1s", 60),
		// The receiver reads only RECEIVER_* (it is deployed apart from the server half).
		"RECEIVER_DATABASE_URL=" + e.rcvURL, "RECEIVER_TOKENS=" + token, fmt.Sprintf("RECEIVER_SDKAPPID=%d", sdkAppID),
	}
	logs := filepath.Join(root, "logs", sc.name)
	os.MkdirAll(logs, 0o755)
	newProc := func(fn string, i int) (*proc, error) {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		return &proc{name: fmt.Sprintf("%s-%d", fn, i), bin: filepath.Join(bin, fn), port: port, env: common,
			log: filepath.Join(logs, fmt.Sprintf("%s-%d.log", fn, i))}, nil
	}
	var all []*proc
	mk := func(fn string, count int) ([]*proc, error) {
		var ps []*proc
		for i := range count {
			p, err := newProc(fn, i)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
			all = append(all, p)
		}
		return ps, nil
	}
	if e.add, err = mk("follow-add", o.rest); err != nil {
		return nil, err
	}
	if e.del, err = mk("follow-delete", o.rest); err != nil {
		return nil, err
	}
	imps, err := mk("multiaccount-import", 1)
	if err != nil {
		return nil, err
	}
	e.imp = imps[0]
	if e.dispatch, err = mk("webhook-dispatch", 2); err != nil {
		return nil, err
	}
	rcvs, err := mk("callback", 1)
	if err != nil {
		return nil, err
	}
	e.receiver = rcvs[0]
	defer func() {
		for _, p := range all {
			p.kill9()
		}
	}()
	if err := e.receiver.start(ctx); err != nil {
		return nil, err
	}
	psrv := proxy(pln, e.receiver.url(), e.faults)
	defer psrv.Close()
	for _, p := range all[:len(all)-1] {
		if err := p.start(ctx); err != nil {
			return nil, err
		}
	}
	sig, err := tencentyun.GenUserSig(sdkAppID, secretKey, admin, 86400)
	if err != nil {
		return nil, err
	}
	e.query = fmt.Sprintf("?sdkappid=%d&identifier=%s&usersig=%s&random=1&contenttype=json", sdkAppID, admin, sig)
	for start := 0; start < accounts; start += 100 {
		var ids []string
		for i := start; i < start+100; i++ {
			ids = append(ids, fmt.Sprintf(`"u%03d"`, i))
		}
		if _, ok, err := e.post(ctx, e.imp.url()+"/v4/im_open_login_svc/multiaccount_import", `{"Accounts":[`+strings.Join(ids, ",")+`]}`); err != nil || !ok {
			return nil, fmt.Errorf("import accounts: %v", err)
		}
	}

	// The load, with the fault a third of the way in.
	clients := o.clients
	if sc.hot {
		clients = o.hot
	}
	w := newWorkload(sc.hot, clients)
	loadCtx, stopLoad := context.WithTimeout(ctx, o.duration)
	defer stopLoad()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); w.client(loadCtx, e, i) }()
	}
	var faultAt time.Time
	var faultErr error
	if sc.fault != nil {
		time.Sleep(o.duration / 3)
		faultAt = time.Now()
		faultErr = sc.fault(ctx, e)
	}
	wg.Wait()
	if faultErr != nil {
		return nil, fmt.Errorf("fault: %w", faultErr)
	}
	loadEnd := time.Now()
	e.faults.slowKeys.Store(false)
	e.faults.fail500.Store(0)
	e.faults.drop.Store(0)

	// Drain: wait until the outbox is empty (or only dead letters are left).
	drainLimit := 90 * time.Second
	var pending int
	for start := time.Now(); time.Since(start) < drainLimit && ctx.Err() == nil; time.Sleep(100 * time.Millisecond) {
		if err := app.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE state = 0`).Scan(&pending); err == nil && pending == 0 {
			break
		}
	}
	drained := time.Since(loadEnd)
	return check(ctx, e, app, w, sc, faultAt, pending, drained, out)
}

// post makes one REST call: the answer, whether it was OK with every ResultCode 0, and the
// transport error if there was no answer.
func (e *env) post(ctx context.Context, url, body string) ([]byte, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+e.query, strings.NewReader(body))
	if err != nil {
		return nil, false, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, false, err
	}
	ok := resp.StatusCode == 200 && bytes.Contains(b, []byte(`"ActionStatus":"OK"`)) &&
		bytes.Count(b, []byte(`"ResultCode":`)) == bytes.Count(b, []byte(`"ResultCode":0`))
	return b, ok, nil
}

type edge struct{ from, to string }

// workload is the clients' random follow_add/follow_delete. Each edge belongs to one client, so
// the last successful answer about it says what the final state must be.
type workload struct {
	hot     bool
	clients int
	mu      sync.Mutex
	last    map[edge]bool // the outcome of the last answered call per edge; absent: unknown
	calls   atomic.Int64
	errs    atomic.Int64
	lastErr atomic.Int64 // Unix ns of the latest client error
	lat     []time.Duration
}

func newWorkload(hot bool, clients int) *workload {
	return &workload{hot: hot, clients: clients, last: map[edge]bool{}}
}

func account(i int) string { return fmt.Sprintf("u%03d", i) }

func (w *workload) client(ctx context.Context, e *env, i int) {
	rnd := rand.New(rand.NewPCG(uint64(i), 99))
	froms := accounts
	if w.hot {
		froms = 6
	}
	state := map[edge]bool{}
	for ctx.Err() == nil {
		// An edge of this client: (from*accounts + to) % clients == i.
		var ed edge
		for {
			f, t := rnd.IntN(froms), rnd.IntN(accounts)
			if f != t && (f*accounts+t)%w.clients == i {
				ed = edge{account(f), account(t)}
				break
			}
		}
		add := !state[ed]
		var url, body string
		if add {
			p := e.add[rnd.IntN(len(e.add))]
			url, body = p.url()+"/v4/follow/follow_add", fmt.Sprintf(`{"From_Account":%q,"FollowItem":[{"To_Account":%q}]}`, ed.from, ed.to)
		} else {
			p := e.del[rnd.IntN(len(e.del))]
			url, body = p.url()+"/v4/follow/follow_delete", fmt.Sprintf(`{"From_Account":%q,"To_Account":[%q]}`, ed.from, ed.to)
		}
		t0 := time.Now()
		_, ok, err := e.post(ctx, url, body)
		if ctx.Err() != nil {
			// The run ended during this call: its outcome is unknown.
			w.mu.Lock()
			delete(w.last, ed)
			w.mu.Unlock()
			return
		}
		w.calls.Add(1)
		w.mu.Lock()
		if err == nil && ok {
			state[ed] = add
			w.last[ed] = add
			w.lat = append(w.lat, time.Since(t0))
		} else {
			w.errs.Add(1)
			w.lastErr.Store(time.Now().UnixNano())
			delete(w.last, ed) // committed or not: unknown
			state[ed] = rnd.IntN(2) == 0
		}
		w.mu.Unlock()
		if err != nil || !ok {
			time.Sleep(50 * time.Millisecond) // a client backs off a little after an error
		}
	}
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}
