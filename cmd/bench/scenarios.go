package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/localserver"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/delivery"
	"github.com/chatfollow/chatfollow/shared/metrics"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// accounts is how many accounts the follow scenarios work on; follow_add makes pair i of the
// accounts × (accounts-1) distinct pairs, so every call follows someone new. add_subscriber fills
// officialAccounts official accounts with them, one subscriber per call.
const (
	accounts         = 2000
	officialAccounts = 50
)

// environment is what the scenarios share.
type environment struct {
	cfg      config.Config
	app      *app.App
	client   *http.Client
	server   string
	baseline string
	dir      string
	query    string // the admin's REST query string
	imported bool
	run      string // distinguishes this run's official accounts from an earlier run's on the same database
}

type scenario struct {
	name string
	run  func(ctx context.Context, env *environment, o options) (result, error)
}

func scenarios() []scenario {
	return []scenario{
		{"baseline", func(ctx context.Context, env *environment, o options) (result, error) {
			return load(ctx, env.client, o.clients, o.duration, func(int64) (string, []byte) { return env.baseline, []byte(`{}`) },
				func(status int, body []byte) bool { return status == http.StatusOK }), nil
		}},
		rest("account_import", "im_open_login_svc/account_import", func(i int64) string {
			return fmt.Sprintf(`{"UserID":"imported%d","Nick":"nick %d"}`, i, i)
		}),
		rest("follow_add", "follow/follow_add", func(i int64) string {
			from, to := pair(i)
			return fmt.Sprintf(`{"From_Account":"user%d","FollowItem":[{"To_Account":"user%d"}]}`, from, to)
		}),
		rest("follow_add 20", "follow/follow_add", func(i int64) string {
			from, tos := twenty(i)
			items := make([]string, len(tos))
			for k, to := range tos {
				items[k] = fmt.Sprintf(`{"To_Account":"user%d"}`, to)
			}
			return fmt.Sprintf(`{"From_Account":"user%d","FollowItem":[%s]}`, from, strings.Join(items, ","))
		}),
		rest("follow_check 20", "follow/follow_check", func(i int64) string {
			from, tos := twenty(i)
			return fmt.Sprintf(`{"From_Account":"user%d","To_Account":[%s]}`, from, userList(tos))
		}),
		rest("follow_get_info 20", "follow/follow_get_info", func(i int64) string {
			from, tos := twenty(i)
			return fmt.Sprintf(`{"From_Account":"user%d","To_Account":[%s]}`, from, userList(tos))
		}),
		rest("follow_delete 20", "follow/follow_delete", func(i int64) string {
			from, tos := twenty(i)
			return fmt.Sprintf(`{"From_Account":"user%d","To_Account":[%s]}`, from, userList(tos))
		}),
		rest("follow_check", "follow/follow_check", func(i int64) string {
			from, to := pair(i)
			return fmt.Sprintf(`{"From_Account":"user%d","To_Account":["user%d"]}`, from, to)
		}),
		rest("follow_get", "follow/follow_get", func(i int64) string {
			return fmt.Sprintf(`{"From_Account":"user%d","FollowType":2,"WantNum":20}`, i%accounts)
		}),
		rest("follow_delete", "follow/follow_delete", func(i int64) string {
			from, to := pair(i)
			return fmt.Sprintf(`{"From_Account":"user%d","To_Account":["user%d"]}`, from, to)
		}),
		{"add_subscriber", func(ctx context.Context, env *environment, o options) (result, error) {
			// Official account i/accounts gets subscriber i%accounts: every call adds someone new.
			return rest("add_subscriber", "official_account_open_http_svc/add_subscriber", func(i int64) string {
				return fmt.Sprintf(`{"Official_Account":"@TOA#_%s_%d","SubscriberList":[{"Subscriber_Account":"user%d"}]}`,
					env.run, (i/accounts)%officialAccounts, i%accounts)
			}).run(ctx, env, o)
		}},
		{"webhook receive", receive},
		{"account_delete celebrity", celebrity},
		{"webhook drain", drain},
	}
}

// pair is the i-th distinct (from, to) pair of the follow scenarios.
func pair(i int64) (int64, int64) {
	i %= accounts * (accounts - 1)
	from := i % accounts
	return from, (from + 1 + i/accounts) % accounts
}

// twenty is the i-th call of the 20-target follow scenarios: an account and 20 others, far in
// the pair order from the ones the 1-target scenarios reach, so both find what they expect.
func twenty(i int64) (int64, []int64) {
	from := i % accounts
	tos := make([]int64, 20)
	for k := range tos {
		off := 1 + (accounts/2+(i/accounts)*20+int64(k))%(accounts-1)
		tos[k] = (from + off) % accounts
	}
	return from, tos
}

// userList is a JSON list of the user accounts ids, without brackets.
func userList(ids []int64) string {
	s := make([]string, len(ids))
	for k, id := range ids {
		s[k] = fmt.Sprintf(`"user%d"`, id)
	}
	return strings.Join(s, ",")
}

func pick(all []scenario, names []string) []scenario {
	var out []scenario
	for _, s := range all {
		if s.name == "baseline" || slices.Contains(names, s.name) {
			out = append(out, s)
		}
	}
	return out
}

// rest is a scenario posting body(i) to /v4/path; an answer counts as an error unless it is
// ActionStatus OK with every item's ResultCode 0.
func rest(name, path string, body func(int64) string) scenario {
	return scenario{name, func(ctx context.Context, env *environment, o options) (result, error) {
		if err := env.setup(ctx); err != nil {
			return result{}, err
		}
		url := env.server + "/v4/" + path + "?" + env.query
		return load(ctx, env.client, o.clients, o.duration, func(i int64) (string, []byte) { return url, []byte(body(i)) }, allOK), nil
	}}
}

// setup imports the accounts of the follow scenarios once.
func (env *environment) setup(ctx context.Context) error {
	if env.imported {
		return nil
	}
	sig, err := tencentyun.GenUserSig(int(env.cfg.SDKAppID), env.cfg.SecretKey, env.cfg.Admins[0], 86400)
	if err != nil {
		return err
	}
	env.query = fmt.Sprintf("sdkappid=%d&identifier=%s&usersig=%s&random=1&contenttype=json", env.cfg.SDKAppID, env.cfg.Admins[0], sig)
	for start := 0; start < accounts; start += 100 {
		var ids []string
		for i := start; i < start+100; i++ {
			ids = append(ids, fmt.Sprintf(`"user%d"`, i))
		}
		resp, err := env.client.Post(env.server+"/v4/im_open_login_svc/multiaccount_import?"+env.query, "application/json",
			strings.NewReader(`{"Accounts":[`+strings.Join(ids, ",")+`]}`))
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if !allOK(resp.StatusCode, buf.Bytes()) || bytes.Contains(buf.Bytes(), []byte(`"FailAccounts":["`)) {
			return fmt.Errorf("import accounts: %s", buf.Bytes())
		}
	}
	for i := range officialAccounts {
		body := fmt.Sprintf(`{"Owner_Account":"user0","Name":"bench %d","OfficialAccountUserID":"@TOA#_%s_%d","MaxSubscriberNum":1000000}`, i, env.run, i)
		if err := env.post(ctx, "official_account_open_http_svc/create_official_account", body); err != nil {
			return err
		}
	}
	env.imported = true
	return nil
}

// post makes one REST call that must succeed.
func (env *environment) post(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, env.server+"/v4/"+path+"?"+env.query, strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := env.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if !allOK(resp.StatusCode, buf.Bytes()) {
		return fmt.Errorf("%s: %s", path, buf.Bytes())
	}
	return nil
}

var (
	okStatus     = []byte(`"ActionStatus":"OK"`)
	resultCode   = []byte(`"ResultCode":0`)
	anyCode      = []byte(`"ResultCode":`)
	failedResult = []byte(`"Result":0`) // add_subscriber's per-account failure
)

// allOK reports HTTP 200, ActionStatus OK, every ResultCode 0 and no failed Result.
func allOK(status int, body []byte) bool {
	return status == http.StatusOK && bytes.Contains(body, okStatus) &&
		bytes.Count(body, anyCode) == bytes.Count(body, resultCode) && !bytes.Contains(body, failedResult)
}

// drainCount is how many deliveries the drain scenario sends.
const drainCount = 20000

// drain writes deliveries to the outbox and times one dispatcher sending them all to the
// baseline server (its fixed answer is an OK envelope).
func drain(ctx context.Context, env *environment, o options) (result, error) {
	err := env.app.Store.Update(ctx, func(tx store.Tx) error {
		for i := range drainCount {
			body := fmt.Sprintf(`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"user%d","To_Account":["user%d"],"EventTime":%d}`,
				i%accounts, (i+1)%accounts, time.Now().UnixMilli())
			_, err := tx.Enqueue(ctx, store.NewDelivery{Command: protocol.CallbackAfterFollowDelete, Body: []byte(body), ClientIP: "127.0.0.1",
				Platform: protocol.PlatformREST, OrderKey: fmt.Sprintf("user%d", i%accounts), CreatedAt: time.Now()})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return result{}, err
	}
	sender, err := webhook.NewSender(webhook.Target{URL: env.baseline, SDKAppID: env.cfg.SDKAppID, Token: "bench"}, 2*time.Second, "", time.Now)
	if err != nil {
		return result{}, err
	}
	d := delivery.New(env.app.Store, sender, 2*time.Second, []time.Duration{time.Second}, time.Now, env.app.Log)
	start := time.Now()
	sent := 0
	for {
		n, err := d.Drain(ctx)
		if err != nil {
			return result{}, err
		}
		if n == 0 {
			break
		}
		sent += n
	}
	elapsed := time.Since(start)
	var left []store.Delivery
	if err := env.app.Store.View(ctx, func(tx store.Tx) (err error) { left, err = tx.Deliveries(ctx, store.Pending, 10); return err }); err != nil {
		return result{}, err
	}
	return result{Requests: int64(sent), Errors: int64(len(left)), RPS: float64(sent) / elapsed.Seconds(),
		Note: fmt.Sprintf("%d deliveries sent by one dispatcher (%d at a time) to the baseline handler; requests/s is deliveries/s", sent, webhook.MaxConns)}, nil
}

// receive posts signed Follow.CallbackAfterFollowDelete webhooks to the local server's /callback,
// each a distinct event (its EventTime differs), so each is verified, decoded, recorded in the
// event log and applied to the mirror.
func receive(ctx context.Context, env *environment, o options) (result, error) {
	token := env.cfg.Receiver.Tokens[0]
	base := fmt.Sprintf("%s/callback?SdkAppid=%d&CallbackCommand=%s&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI",
		env.server, env.cfg.SDKAppID, protocol.CallbackAfterFollowDelete)
	// EventTimes count up one millisecond per event from an hour ago: distinct, and far from the
	// receivers' bound of RequestTime plus the skew, which a count from now outruns at thousands
	// of events a second.
	start := time.Now().Add(-time.Hour).UnixMilli()
	return load(ctx, env.client, o.clients, o.duration, func(i int64) (string, []byte) {
		now := time.Now().Unix()
		url := fmt.Sprintf("%s&RequestTime=%d&Sign=%s", base, now, webhook.Sign(token, now))
		body := fmt.Sprintf(`{"CallbackCommand":"%s","From_Account":"user%d","To_Account":["user%d"],"EventTime":%d}`,
			protocol.CallbackAfterFollowDelete, i%accounts, (i+1)%accounts, start+i)
		return url, []byte(body)
	}, func(status int, body []byte) bool { return status == http.StatusOK && bytes.Contains(body, okStatus) }), nil
}

// celebrity times account_delete of an account with o.celebrity followers, once, with the outbox
// on (its webhooks written, one per follower; the inline attempt off): seeded with set-based
// statements, then deleted over HTTP. The note gives the outbox's growth and the peak RSS.
func celebrity(ctx context.Context, env *environment, o options) (result, error) {
	st, ok := env.app.Store.(*sqlstore.Store)
	if !ok {
		return result{}, fmt.Errorf("the store is not an SQL store")
	}
	if err := env.setup(ctx); err != nil {
		return result{}, err
	}
	victim := "celebrity_" + env.run
	followers := make([]string, o.celebrity)
	for i := range followers {
		followers[i] = fmt.Sprintf("%s_f%d", victim, i)
	}
	if err := st.SeedFollowers(ctx, victim, followers, time.Now()); err != nil {
		return result{}, fmt.Errorf("seed: %w", err)
	}
	// The same instance with the outbox on, on a server of its own.
	on := &app.App{Config: env.cfg, Store: st, Log: env.app.Log, Now: time.Now, Metrics: metrics.New()}
	on.Outbox = outbox.New(st, true, nil, time.Now)
	h, err := localserver.New(on)
	if err != nil {
		return result{}, err
	}
	ln, err := serve("127.0.0.1:0", h)
	if err != nil {
		return result{}, err
	}
	defer ln.Close()
	before, err := pendingCount(ctx, st)
	if err != nil {
		return result{}, err
	}
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // restart the peak-RSS count (Linux)
	url := "http://" + ln.Addr().String() + "/v4/im_open_login_svc/account_delete?" + env.query
	start := time.Now()
	resp, err := env.client.Post(url, "application/json", strings.NewReader(`{"DeleteItem":[{"UserID":"`+victim+`"}]}`))
	if err != nil {
		return result{}, err
	}
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	peak := peakRSS()
	r := result{Requests: 1, RPS: 1 / took.Seconds(), P50: ms(took), P99: ms(took), P999: ms(took)}
	if !allOK(resp.StatusCode, buf.Bytes()) {
		r.Errors = 1
	}
	after, err := pendingCount(ctx, st)
	if err != nil {
		return result{}, err
	}
	r.Note = fmt.Sprintf("%d followers deleted in %v (%.1f µs per follower), %d webhooks written to the outbox, peak RSS of the whole tool %s",
		o.celebrity, took.Round(time.Millisecond), float64(took.Microseconds())/float64(o.celebrity), after-before, peak)
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// pendingCount counts the outbox's pending deliveries.
func pendingCount(ctx context.Context, st store.Store) (int, error) {
	var got []store.Delivery
	err := st.View(ctx, func(tx store.Tx) (err error) { got, err = tx.Deliveries(ctx, store.Pending, 1<<30); return err })
	return len(got), err
}

// peakRSS is the process's VmHWM, or "unknown" where /proc has none.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
