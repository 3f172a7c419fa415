// Package client calls Tencent Cloud Chat's follow, account and official-account REST APIs, on
// Tencent's own domains or on this project's server, with the wire types of shared/protocol.
//
// A Client signs every call as the app's administrator: it mints the UserSig with Tencent's
// algorithm (tls-sig-api-v2-golang) from the secret key, caches it and mints a new one before
// it expires, and adds the random and contenttype parameters Tencent's gateway expects. A FAIL
// answer is a *Error; transport errors and the codes Tencent documents as "retry" are retried
// with jittered backoff (see RetryPolicy).
//
// This package is supported public API of the module.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"
)

// Config is what a Client is made from.
type Config struct {
	// BaseURL is Tencent's regional domain (https://adminapisgp.im.qcloud.com, ...) or this
	// project's server (http://127.0.0.1:9000); the /v4/... path is appended to it.
	BaseURL    string
	SDKAppID   uint64
	Identifier string // an administrator of the app
	SecretKey  string // the app's UserSig key
	// HTTPClient sends the requests; nil means a client with a 10 s timeout.
	HTTPClient *http.Client
	// Retry says what is retried; zero fields take the defaults of RetryPolicy.
	Retry RetryPolicy
	// SigLifetime is how long a minted UserSig is valid (default 24 h); it is renewed when
	// less than a tenth of it is left.
	SigLifetime time.Duration
}

// Client calls the REST APIs. It is safe for concurrent use.
type Client struct {
	base  string
	cfg   Config
	http  *http.Client
	retry RetryPolicy
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu       sync.Mutex
	sig      string
	sigRenew time.Time // when the cached sig is due for renewal
}

// New checks cfg and returns a Client. No request is made.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("client: BaseURL %q must be an absolute http or https URL", cfg.BaseURL)
	}
	switch {
	case cfg.SDKAppID == 0:
		return nil, errors.New("client: SDKAppID is required")
	case cfg.Identifier == "":
		return nil, errors.New("client: Identifier (an administrator) is required")
	case cfg.SecretKey == "":
		return nil, errors.New("client: SecretKey is required")
	}
	if cfg.SigLifetime == 0 {
		cfg.SigLifetime = 24 * time.Hour
	}
	if cfg.SigLifetime < time.Minute {
		return nil, fmt.Errorf("client: SigLifetime %s is shorter than a minute", cfg.SigLifetime)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{
		base:  strings.TrimRight(cfg.BaseURL, "/"),
		cfg:   cfg,
		http:  hc,
		retry: cfg.Retry.withDefaults(),
		now:   time.Now,
		sleep: sleepContext,
	}, nil
}

// userSig returns the cached administrator UserSig, minting a new one when it is due.
func (c *Client) userSig() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.sig != "" && now.Before(c.sigRenew) {
		return c.sig, nil
	}
	life := c.cfg.SigLifetime
	sig, err := tencentyun.GenUserSig(int(c.cfg.SDKAppID), c.cfg.SecretKey, c.cfg.Identifier, int(life/time.Second))
	if err != nil {
		return "", fmt.Errorf("client: mint UserSig: %w", err)
	}
	c.sig, c.sigRenew = sig, now.Add(life-life/10)
	return sig, nil
}

// endpoint is one REST command.
type endpoint struct {
	service, command string
	idempotent       bool // repeating it leaves the same state, so a lost answer may be retried
}

func (e endpoint) String() string { return e.service + "/" + e.command }

// envelope is the part of every answer that says how the call went.
type envelope struct {
	ActionStatus string `json:"ActionStatus"`
	ErrorCode    int    `json:"ErrorCode"`
	ErrorInfo    string `json:"ErrorInfo"`
	ErrorDisplay string `json:"ErrorDisplay"`
}

// call posts req to the endpoint and decodes an OK answer into a new Resp.
func call[Resp any](ctx context.Context, c *Client, ep endpoint, req any) (*Resp, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("client: %s: encode request: %w", ep, err)
	}
	var raw []byte
	for attempt := 1; ; attempt++ {
		raw, err = c.post(ctx, ep, body)
		wait, retry := c.retry.next(ep, attempt, err)
		if !retry {
			break
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return nil, errors.Join(err, serr)
		}
	}
	if err != nil {
		return nil, err
	}
	resp := new(Resp)
	if err := json.Unmarshal(raw, resp); err != nil {
		return nil, fmt.Errorf("client: %s: decode answer: %w", ep, err)
	}
	return resp, nil
}

// post makes one attempt: the answer's body when it is an OK envelope, a *Error when it is a
// FAIL one, another error when there is no such answer.
func (c *Client) post(ctx context.Context, ep endpoint, body []byte) ([]byte, error) {
	sig, err := c.userSig()
	if err != nil {
		return nil, err
	}
	q := url.Values{
		"sdkappid":    {strconv.FormatUint(c.cfg.SDKAppID, 10)},
		"identifier":  {c.cfg.Identifier},
		"usersig":     {sig},
		"random":      {strconv.FormatUint(uint64(rand.Uint32()), 10)},
		"contenttype": {"json"},
	}
	u := c.base + "/v4/" + ep.service + "/" + ep.command + "?" + q.Encode()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("client: %s: %w", ep, err)
	}
	hr.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(hr)
	if err != nil {
		return nil, &TransportError{Command: ep.String(), Err: err}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	if err != nil {
		return nil, &TransportError{Command: ep.String(), Err: err}
	}
	if res.StatusCode != http.StatusOK {
		return nil, &TransportError{Command: ep.String(), Status: res.StatusCode,
			Err: fmt.Errorf("HTTP %d: %s", res.StatusCode, truncate(raw, 200))}
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil || env.ActionStatus == "" {
		return nil, &TransportError{Command: ep.String(), Status: res.StatusCode,
			Err: fmt.Errorf("answer is not a Tencent envelope: %s", truncate(raw, 200))}
	}
	if env.ActionStatus != "OK" || env.ErrorCode != 0 {
		return nil, &Error{Command: ep.String(), ActionStatus: env.ActionStatus, ErrorCode: env.ErrorCode,
			ErrorInfo: env.ErrorInfo, ErrorDisplay: env.ErrorDisplay}
	}
	return raw, nil
}

// maxAnswer bounds what is read of one answer (a follow_get page of 1000 items is far less).
const maxAnswer = 32 << 20

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// Error is a FAIL answer (or an OK one with a non-zero ErrorCode).
type Error struct {
	Command      string // service/command, e.g. follow/follow_add
	ActionStatus string
	ErrorCode    int
	ErrorInfo    string
	ErrorDisplay string // the follow service's client-displayable message, often empty
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s %d: %s", e.Command, e.ActionStatus, e.ErrorCode, e.ErrorInfo)
}

// TransportError is an attempt that got no Tencent answer: the connection failed, the HTTP
// status was not 200, or the body was not an envelope. The call may or may not have been applied.
type TransportError struct {
	Command string
	Status  int // the HTTP status, 0 when there was no response
	Err     error
}

func (e *TransportError) Error() string { return e.Command + ": " + e.Err.Error() }
func (e *TransportError) Unwrap() error { return e.Err }

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
