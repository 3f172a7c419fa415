// Package config reads the environment variables of docs/product.md once, at start-up, into a typed
// Config that is passed down; nothing else reads the environment.
//
// Internal to this module: not a supported API for other modules.
package config

import (
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"time"
)

// Development defaults of the local server. They are printed at start-up and never used by a
// deployed function, which must be given its own secrets.
const (
	DevSecretKey     = "chatfollow-development-secret-key-never-use-in-production"
	DevCallbackToken = "chatfollow-development-callback-token"
	DevSDKAppID      = 1400000000
)

// MaxAdmins is how many administrators an app may have.
const MaxAdmins = 10

// DefaultRetry is the delay before each retry of an undelivered webhook: 14 retries spanning
// 75 hours 42 minutes 35 seconds after the first attempt, then the delivery is a dead letter.
const DefaultRetry = "5s,30s,2m,10m,30m,1h,2h,4h,8h,12h,12h,12h,12h,12h"

// Config is the whole configuration of a process.
type Config struct {
	ListenAddr   string   // CHAT_LISTEN_ADDR
	SDKAppID     uint64   // CHAT_SDKAPPID
	SecretKey    string   // CHAT_SECRET_KEY
	Admins       []string // CHAT_ADMINS
	DatabaseURL  string   // CHAT_DATABASE_URL
	RateLimit    float64  // CHAT_RATE_LIMIT: multiplier of Tencent's per-API limits; 0 disables
	MaxFollowing int      // CHAT_MAX_FOLLOWING

	Callback Callback
	Receiver Receiver

	DeliveryRetention time.Duration // CHAT_DELIVERY_RETENTION: how long delivered webhooks stay; 0 forever
	Console           Console
}

// Console configures the operator console (/console).
type Console struct {
	Token string // CHAT_CONSOLE_TOKEN; required wherever the console is not bound to loopback
	// Exposed makes the console act as if bound to a non-loopback address (the token gate on),
	// whatever the listener; set by deployed functions and by tests of the gate.
	Exposed bool
}

// Callback configures the webhooks this server sends.
type Callback struct {
	URL string // CHAT_CALLBACK_URL; empty disables webhooks
	// OwnURL: URL is the local server's own /callback, the default; Listening fixes its address.
	OwnURL     bool
	Token      string          // CHAT_CALLBACK_TOKEN; empty sends no Sign
	Timeout    time.Duration   // CHAT_CALLBACK_TIMEOUT, per attempt
	Retry      []time.Duration // CHAT_CALLBACK_RETRY, delay before each retry
	HMACSecret string          // CHAT_CALLBACK_HMAC_SECRET, Standard Webhooks whsec_...; empty: off
}

// Receiver configures the webhook receivers. A receiver deployed alone reads it with
// LoadReceiver, from RECEIVER_* variables only; the local server's Load fills it with defaults
// taken from the CHAT_* variables.
type Receiver struct {
	SDKAppID    uint64        // RECEIVER_SDKAPPID
	Tokens      []string      // RECEIVER_TOKENS; empty: Sign is not checked
	MaxSkew     time.Duration // RECEIVER_MAX_SKEW
	HMACSecrets []string      // RECEIVER_HMAC_SECRETS; when set, the body signature is required
	DatabaseURL string        // RECEIVER_DATABASE_URL; beside the server, "" means its CHAT_DATABASE_URL
	// Retention is how long the event log keeps an event (RECEIVER_RETENTION); 0 keeps it
	// forever.
	Retention time.Duration
	// Before-webhook policy: refuse official accounts created for these owners, and
	// subscriptions by these accounts (comma-separated UserIDs; empty: allow everything).
	DenyOwners      []string // RECEIVER_DENY_OWNERS
	DenySubscribers []string // RECEIVER_DENY_SUBSCRIBERS
}

// Mode selects the defaults of unset variables.
type Mode int

const (
	// Local is the local server: everything has a working development default.
	Local Mode = iota
	// Deployed is a function on Lambda or SCF: secrets and the database have no default, and
	// webhooks are off unless CHAT_CALLBACK_URL is set.
	Deployed
)

// Load reads the configuration through lookup (os.LookupEnv in production).
func Load(lookup func(string) (string, bool), mode Mode) (Config, error) {
	r := reader{lookup: lookup}
	c := Config{
		ListenAddr:   r.str("CHAT_LISTEN_ADDR", "127.0.0.1:9000"),
		SDKAppID:     r.uint("CHAT_SDKAPPID", DevSDKAppID),
		Admins:       r.list("CHAT_ADMINS", "administrator"),
		RateLimit:    r.float("CHAT_RATE_LIMIT", 1),
		MaxFollowing: r.positive("CHAT_MAX_FOLLOWING", 5000),
	}
	c.Callback = Callback{
		Timeout:    r.duration("CHAT_CALLBACK_TIMEOUT", "2s"),
		Retry:      r.durations("CHAT_CALLBACK_RETRY", DefaultRetry),
		HMACSecret: r.str("CHAT_CALLBACK_HMAC_SECRET", ""),
	}
	if mode == Local {
		c.SecretKey = r.str("CHAT_SECRET_KEY", DevSecretKey)
		c.DatabaseURL = r.str("CHAT_DATABASE_URL", "sqlite:./data/chat.db")
		c.Callback.URL = r.str("CHAT_CALLBACK_URL", "http://"+c.ListenAddr+"/callback")
		_, set := lookup("CHAT_CALLBACK_URL")
		c.Callback.OwnURL = !set
		c.Callback.Token = r.str("CHAT_CALLBACK_TOKEN", DevCallbackToken)
	} else {
		c.SecretKey = r.str("CHAT_SECRET_KEY", "")
		c.DatabaseURL = r.str("CHAT_DATABASE_URL", "")
		c.Callback.URL = r.str("CHAT_CALLBACK_URL", "")
		c.Callback.Token = r.str("CHAT_CALLBACK_TOKEN", "")
	}
	// The receivers mounted beside the server default to the server's app and token, and to its
	// database: an unset RECEIVER_DATABASE_URL stays "", which the local server reads as "the
	// app's own" (so a caller that changes DatabaseURL later moves both).
	c.Receiver = r.receiver(c.SDKAppID, c.Callback.Token, "")
	c.DeliveryRetention = r.duration("CHAT_DELIVERY_RETENTION", "720h")
	c.Console = Console{Token: r.str("CHAT_CONSOLE_TOKEN", ""), Exposed: mode == Deployed}
	if r.err != nil {
		return Config{}, r.err
	}
	if err := c.validate(); err != nil {
		return Config{}, err
	}
	return c, c.Receiver.validate(Local)
}

// DefaultRetention is RECEIVER_RETENTION's default: 30 days.
const DefaultRetention = "720h"

// LoadReceiver reads the configuration of receivers that run without the server half: the
// RECEIVER_* variables and nothing else. Deployed, RECEIVER_DATABASE_URL is required, and so is
// RECEIVER_TOKENS or RECEIVER_HMAC_SECRETS (docs/product.md: a deployed receiver that would
// check no signature refuses to start). RECEIVER_SDKAPPID defaults to 1400000000, as
// CHAT_SDKAPPID does.
func LoadReceiver(lookup func(string) (string, bool), mode Mode) (Receiver, error) {
	r := reader{lookup: lookup}
	db := ""
	if mode == Local {
		db = "sqlite:./data/receiver.db"
	}
	c := r.receiver(DevSDKAppID, "", db)
	if r.err != nil {
		return Receiver{}, r.err
	}
	return c, c.validate(mode)
}

// receiver reads the RECEIVER_* variables with the given defaults.
func (r *reader) receiver(appID uint64, token, databaseURL string) Receiver {
	return Receiver{
		SDKAppID:    r.uint("RECEIVER_SDKAPPID", appID),
		Tokens:      r.list("RECEIVER_TOKENS", token),
		MaxSkew:     r.duration("RECEIVER_MAX_SKEW", "60s"),
		HMACSecrets: r.list("RECEIVER_HMAC_SECRETS", ""),
		DatabaseURL: r.str("RECEIVER_DATABASE_URL", databaseURL),
		Retention:   r.duration("RECEIVER_RETENTION", DefaultRetention),

		DenyOwners:      r.list("RECEIVER_DENY_OWNERS", ""),
		DenySubscribers: r.list("RECEIVER_DENY_SUBSCRIBERS", ""),
	}
}

func (c Receiver) validate(mode Mode) error {
	if c.MaxSkew <= 0 {
		return fmt.Errorf("RECEIVER_MAX_SKEW must be positive")
	}
	if c.Retention < 0 {
		return fmt.Errorf("RECEIVER_RETENTION must not be negative (0 keeps events forever)")
	}
	if mode == Deployed {
		if c.DatabaseURL == "" {
			return fmt.Errorf("RECEIVER_DATABASE_URL is required: where the receivers keep their event log and mirror")
		}
		if len(c.Tokens) == 0 && len(c.HMACSecrets) == 0 {
			return fmt.Errorf("RECEIVER_TOKENS is required (or RECEIVER_HMAC_SECRETS): a deployed receiver does not accept unsigned webhooks")
		}
	}
	return nil
}

func (c Config) validate() error {
	if len(c.Admins) > MaxAdmins {
		return fmt.Errorf("CHAT_ADMINS lists %d administrators; an app has at most %d", len(c.Admins), MaxAdmins)
	}
	for _, a := range c.Admins {
		if len(a) > 32 {
			return fmt.Errorf("CHAT_ADMINS: %q is longer than 32 bytes", a)
		}
	}
	if !(c.RateLimit >= 0) || math.IsInf(c.RateLimit, 0) {
		return fmt.Errorf("CHAT_RATE_LIMIT must be a finite number, not negative (0 disables the limits)")
	}
	if c.Callback.Timeout <= 0 {
		return fmt.Errorf("CHAT_CALLBACK_TIMEOUT must be positive")
	}
	if c.DeliveryRetention < 0 {
		return fmt.Errorf("CHAT_DELIVERY_RETENTION must not be negative (0 keeps delivered webhooks forever)")
	}
	return nil
}

// reader parses variables, keeping the first error.
type reader struct {
	lookup func(string) (string, bool)
	err    error
}

// get returns the variable, or def when it is unset. A variable set to "" stays "".
func (r *reader) get(name, def string) string {
	if v, ok := r.lookup(name); ok {
		return strings.TrimSpace(v)
	}
	return def
}

func (r *reader) fail(name, v, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("%s=%q: want %s", name, v, want)
	}
}

func (r *reader) str(name, def string) string { return r.get(name, def) }

func (r *reader) uint(name string, def uint64) uint64 {
	v := r.get(name, strconv.FormatUint(def, 10))
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		r.fail(name, v, "a decimal number")
	}
	return n
}

func (r *reader) positive(name string, def int) int {
	v := r.get(name, strconv.Itoa(def))
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		r.fail(name, v, "a positive whole number")
	}
	return n
}

func (r *reader) float(name string, def float64) float64 {
	v := r.get(name, strconv.FormatFloat(def, 'g', -1, 64))
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		r.fail(name, v, "a decimal number")
	}
	return f
}

func (r *reader) duration(name, def string) time.Duration {
	v := r.get(name, def)
	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(name, v, "a duration such as 2s or 500ms")
	}
	return d
}

func (r *reader) durations(name, def string) []time.Duration {
	var out []time.Duration
	for _, v := range r.list(name, def) {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			r.fail(name, v, "comma-separated durations such as 5s,1m,1h")
		}
		out = append(out, d)
	}
	return out
}

// list splits a comma-separated variable, dropping empty items.
func (r *reader) list(name, def string) []string {
	var out []string
	for _, item := range strings.Split(r.get(name, def), ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// Listening points the default callback URL at the address the local server really listens on
// (CHAT_LISTEN_ADDR may leave the host or the port to the system, as in ":9000" or ":0").
func (c *Config) Listening(addr net.Addr) {
	if !c.Callback.OwnURL {
		return
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	c.Callback.URL = "http://" + net.JoinHostPort(host, port) + "/callback"
}
