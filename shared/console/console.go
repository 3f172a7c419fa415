// Package console is the operator console (docs/product.md, GET /console): server-rendered
// pages, html/template only, of the outbox's deliveries (pending, dead and delivered, with every
// attempt), redelivery, the receivers' event log and the mirror's facts.
//
// Security. Bound to loopback the console is open. Anywhere else it requires CHAT_CONSOLE_TOKEN,
// given as "Authorization: Bearer <token>" or through the login form, which sets a Secure,
// HttpOnly, SameSite=Strict cookie. Actions are POSTs carrying a CSRF token; a request with the
// bearer header needs none (browsers never add that header on their own). Every value goes
// through html/template's escaping: event bodies are written by whoever calls the receivers.
package console

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/delivery"
	"github.com/chatfollow/chatfollow/shared/store"
)

//go:embed templates/*.html
var templates embed.FS

// Prefix is where the console is mounted.
const Prefix = "/console"

// cookieName holds the session of a console that needs a token.
const cookieName = "chatfollow_console"

// pageSize is how many rows a page lists.
const pageSize = 50

// Options configure a Console.
type Options struct {
	Store store.Store
	// Receivers is the receivers' event log and mirror; nil when they keep them elsewhere.
	Receivers store.ReceiverStore
	// Open: no token is asked (the console is bound to loopback). Otherwise Token is required.
	Open  bool
	Token string
	// Kick wakes the dispatcher after a redelivery; nil when nothing runs in the background.
	Kick func()
	Now  func() time.Time
	Log  *slog.Logger
}

// Console serves the pages under Prefix.
type Console struct {
	o       Options
	csrf    string // the CSRF token of every form
	session string // the cookie value of a logged-in browser
	tmpl    *template.Template
	mux     *http.ServeMux
}

// ErrNoToken is returned when the console is not bound to loopback and has no token.
var ErrNoToken = errors.New("console: CHAT_CONSOLE_TOKEN is required when the console is not bound to loopback")

// New returns the console; it fails when it would be reachable without a token.
func New(o Options) (*Console, error) {
	if !o.Open && o.Token == "" {
		return nil, ErrNoToken
	}
	c := &Console{o: o}
	if o.Token != "" {
		// Derived from the token, so every instance of a deployed console agrees.
		c.csrf = mac(o.Token, "csrf")
		c.session = mac(o.Token, "session")
	} else {
		var b [32]byte
		rand.Read(b[:])
		c.csrf = hex.EncodeToString(b[:])
	}
	funcs := template.FuncMap{
		"state": stateName,
		"since": func(t time.Time) string { return o.Now().Sub(t).Round(time.Second).String() },
		"time":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000") },
		"dlv":   delivery.DeliveryID,
		"inc":   func(i int) int { return i + 1 },
		"ms":    func(d time.Duration) int64 { return d.Milliseconds() },
		"ev":    func(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05.000") },
	}
	t, err := template.New("").Funcs(funcs).ParseFS(templates, "templates/*.html")
	if err != nil {
		return nil, err
	}
	c.tmpl = t
	m := http.NewServeMux()
	m.HandleFunc("GET "+Prefix+"/login", c.loginForm)
	m.HandleFunc("POST "+Prefix+"/login", c.login)
	m.Handle("GET "+Prefix, c.auth(c.deliveries))
	m.Handle("GET "+Prefix+"/{$}", c.auth(c.deliveries))
	m.Handle("GET "+Prefix+"/deliveries/{id}", c.auth(c.deliveryPage))
	m.Handle("POST "+Prefix+"/deliveries/{id}/redeliver", c.auth(c.action(c.redeliver)))
	m.Handle("POST "+Prefix+"/redeliver-dead", c.auth(c.action(c.redeliverDead)))
	m.Handle("GET "+Prefix+"/events", c.auth(c.events))
	m.Handle("GET "+Prefix+"/mirror", c.auth(c.mirror))
	c.mux = m
	return c, nil
}

func mac(key, what string) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte("chatfollow console " + what))
	return hex.EncodeToString(h.Sum(nil))
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// ServeHTTP serves Prefix and below.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	c.mux.ServeHTTP(w, r)
}

// authorized reports whether r may see the console, and whether by its bearer header.
func (c *Console) authorized(r *http.Request) (ok, bearer bool) {
	if c.o.Open {
		return true, false
	}
	if v, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found {
		return equal(v, c.o.Token), true
	}
	if ck, err := r.Cookie(cookieName); err == nil {
		return equal(ck.Value, c.session), false
	}
	return false, false
}

type ctxKey struct{}

func (c *Console) auth(next func(http.ResponseWriter, *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, bearer := c.authorized(r)
		if !ok {
			if r.Method == http.MethodGet && r.Header.Get("Authorization") == "" {
				http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
				return
			}
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, bearer)))
	})
}

// action checks the CSRF token of a POST from a browser.
func (c *Console) action(next func(http.ResponseWriter, *http.Request)) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		bearer, _ := r.Context().Value(ctxKey{}).(bool)
		if !bearer && !equal(r.PostFormValue("csrf"), c.csrf) {
			http.Error(w, "missing or wrong CSRF token: reload the page", http.StatusForbidden)
			return
		}
		next(w, r)
	}
}

func (c *Console) loginForm(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, "login", page{Title: "Sign in"})
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	if c.o.Open {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
		return
	}
	if !equal(r.PostFormValue("token"), c.o.Token) {
		w.WriteHeader(http.StatusUnauthorized)
		c.render(w, r, "login", page{Title: "Sign in", Error: "Wrong token."})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: c.session, Path: Prefix, Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: 12 * 3600})
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

// page is what every template gets.
type page struct {
	Title  string
	CSRF   string
	Stats  store.DeliveryStats
	Error  string
	Filter filter
	Data   any
}

type filter struct {
	State, Command, Key, Account string
	Before                       int64
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, name string, p page) {
	p.CSRF = c.csrf
	if name != "login" {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := c.o.Store.View(ctx, func(tx store.Tx) (err error) { p.Stats, err = tx.DeliveryStats(ctx); return err }); err != nil {
			c.fail(w, err)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := c.tmpl.ExecuteTemplate(w, name, p); err != nil {
		c.o.Log.Warn("console: render", "page", name, "err", err)
	}
}

func (c *Console) fail(w http.ResponseWriter, err error) {
	c.o.Log.Warn("console", "err", err)
	http.Error(w, "the store did not answer: "+err.Error(), http.StatusServiceUnavailable)
}

var stateNames = map[store.DeliveryState]string{store.Pending: "pending", store.Delivered: "delivered", store.Dead: "dead"}

func stateName(s store.DeliveryState) string { return stateNames[s] }

type listData struct {
	Deliveries []store.Delivery
	Next       int64 // Before of the next page; 0 when this is the last
}

func (c *Console) deliveries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := filter{State: q.Get("state"), Command: strings.TrimSpace(q.Get("command")), Key: strings.TrimSpace(q.Get("key"))}
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	dq := store.DeliveryQuery{Command: f.Command, OrderKey: f.Key, Before: f.Before, Limit: pageSize + 1}
	for s, name := range stateNames {
		if name == f.State {
			dq.States = []store.DeliveryState{s}
		}
	}
	if dq.States == nil {
		f.State = ""
	}
	var ds []store.Delivery
	ctx := r.Context()
	if err := c.o.Store.View(ctx, func(tx store.Tx) (err error) { ds, err = tx.DeliveryPage(ctx, dq); return err }); err != nil {
		c.fail(w, err)
		return
	}
	data := listData{Deliveries: ds}
	if len(ds) > pageSize {
		data.Deliveries = ds[:pageSize]
		data.Next = ds[pageSize-1].ID
	}
	c.render(w, r, "deliveries", page{Title: "Deliveries", Filter: f, Data: data})
}

type deliveryData struct {
	Delivery store.Delivery
	Attempts []store.Attempt
	Notice   string
}

func (c *Console) deliveryPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(strings.TrimPrefix(r.PathValue("id"), "dlv_"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var d deliveryData
	ctx := r.Context()
	err = c.o.Store.View(ctx, func(tx store.Tx) (err error) {
		if d.Delivery, err = tx.Delivery(ctx, id); err != nil {
			return err
		}
		d.Attempts, err = tx.Attempts(ctx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "no such delivery (pruned after CHAT_DELIVERY_RETENTION, or never written)", http.StatusNotFound)
		return
	}
	if err != nil {
		c.fail(w, err)
		return
	}
	d.Notice = r.URL.Query().Get("notice")
	c.render(w, r, "delivery", page{Title: delivery.DeliveryID(id), Data: d})
}

// redeliver makes a dead letter pending again (same delivery, its attempts kept), or writes a
// new delivery of a delivered webhook's body, as GitHub's "Redeliver" does.
func (c *Console) redeliver(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ctx := r.Context()
	target := id
	err = c.o.Store.Update(ctx, func(tx store.Tx) error {
		d, err := tx.Delivery(ctx, id)
		if err != nil {
			return err
		}
		switch d.State {
		case store.Dead:
			_, err = tx.Redeliver(ctx, id, c.o.Now())
			return err
		case store.Delivered:
			target, err = tx.Enqueue(ctx, store.NewDelivery{Command: d.Command, Body: d.Body, ClientIP: d.ClientIP,
				Platform: d.Platform, OrderKey: d.OrderKey, CreatedAt: c.o.Now()})
			return err
		}
		return fmt.Errorf("%w: delivery %d is pending", errPending, id)
	})
	if errors.Is(err, errPending) || errors.Is(err, store.ErrNotFound) {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	if err != nil {
		c.fail(w, err)
		return
	}
	c.kick()
	http.Redirect(w, r, fmt.Sprintf("%s/deliveries/%d?notice=redelivered", Prefix, target), http.StatusSeeOther)
}

var errPending = errors.New("already pending")

func (c *Console) redeliverDead(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := c.o.Store.Update(ctx, func(tx store.Tx) error { _, err := tx.Redeliver(ctx, 0, c.o.Now()); return err }); err != nil {
		c.fail(w, err)
		return
	}
	c.kick()
	http.Redirect(w, r, Prefix+"?state=pending", http.StatusSeeOther)
}

func (c *Console) kick() {
	if c.o.Kick != nil {
		c.o.Kick()
	}
}

// errNoReceivers: this console was not given the receivers' store (RECEIVER_DATABASE_URL).
var errNoReceivers = errors.New("the receivers' event log and mirror are not reachable from this console: set RECEIVER_DATABASE_URL")

// eventsShown bounds the events page: the newest this many, then filtered by account.
const eventsShown = 500

func (c *Console) events(w http.ResponseWriter, r *http.Request) {
	account := strings.TrimSpace(r.URL.Query().Get("account"))
	var evs []store.ReceivedEvent
	ctx := r.Context()
	if c.o.Receivers == nil {
		c.fail(w, errNoReceivers)
		return
	}
	if err := c.o.Receivers.View(ctx, func(tx store.ReceiverTx) (err error) {
		evs, err = tx.ReceivedEvents(ctx, store.EventQuery{Limit: eventsShown, Newest: true})
		return err
	}); err != nil {
		c.fail(w, err)
		return
	}
	out := make([]store.ReceivedEvent, 0, len(evs))
	for i := len(evs) - 1; i >= 0; i-- { // newest first
		// The account search matches the account as a JSON string anywhere in the body.
		if account == "" || strings.Contains(string(evs[i].Body), strconv.Quote(account)) {
			out = append(out, evs[i])
		}
	}
	c.render(w, r, "events", page{Title: "Receiver events", Filter: filter{Account: account}, Data: out})
}

type mirrorData struct {
	Follows       []store.MirrorFollow
	Subscriptions []store.MirrorSubscription
	Officials     []store.MirrorOfficialAccount
}

// mirrorShown bounds each table of the mirror page.
const mirrorShown = 500

func (c *Console) mirror(w http.ResponseWriter, r *http.Request) {
	account := strings.TrimSpace(r.URL.Query().Get("account"))
	var d mirrorData
	ctx := r.Context()
	if c.o.Receivers == nil {
		c.fail(w, errNoReceivers)
		return
	}
	err := c.o.Receivers.View(ctx, func(tx store.ReceiverTx) error {
		fs, err := tx.MirrorFollows(ctx, "")
		if err != nil {
			return err
		}
		for _, f := range fs {
			if f.Present && (account == "" || f.From == account || f.To == account) && len(d.Follows) < mirrorShown {
				d.Follows = append(d.Follows, f)
			}
		}
		ss, err := tx.MirrorSubscriptions(ctx, "")
		if err != nil {
			return err
		}
		for _, s := range ss {
			if s.Present && (account == "" || s.Official == account || s.Subscriber == account) && len(d.Subscriptions) < mirrorShown {
				d.Subscriptions = append(d.Subscriptions, s)
			}
		}
		oas, err := tx.MirrorOfficialAccounts(ctx)
		if err != nil {
			return err
		}
		for _, oa := range oas {
			if oa.Present && (account == "" || oa.ID == account || oa.Owner == account) && len(d.Officials) < mirrorShown {
				d.Officials = append(d.Officials, oa)
			}
		}
		return nil
	})
	if err != nil {
		c.fail(w, err)
		return
	}
	c.render(w, r, "mirror", page{Title: "Mirror", Filter: filter{Account: account}, Data: d})
}

// Loopback reports whether addr (host:port, as CHAT_LISTEN_ADDR) binds to loopback only: an
// empty or unspecified host (":9000", "0.0.0.0:9000") binds to every interface.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ForApp is the console of a running server: open when bound to loopback (and not marked
// exposed), else gated by the token. Without a token off loopback it answers every request
// with a message naming the variable, so the rest of the server still starts.
func ForApp(cfg config.Config, st store.Store, receivers store.ReceiverStore, kick func(), now func() time.Time, log *slog.Logger) http.Handler {
	c, err := New(Options{Store: st, Receivers: receivers, Open: !cfg.Console.Exposed && Loopback(cfg.ListenAddr), Token: cfg.Console.Token,
		Kick: kick, Now: now, Log: log})
	if err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		})
	}
	return c
}
