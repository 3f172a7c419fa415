package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// RetryPolicy says which failed attempts are tried again and how long to wait first.
//
// Retried: a TransportError (no Tencent answer), and an Error whose code Tencent documents as
// transient: 30006 and 30007 (follow), 70500 (accounts), 10004 and 20005 (official accounts),
// and 60007 (rate limit, after RateLimitDelay). Every other code is an answer about the request
// itself and is returned at once.
//
// Calls that are not idempotent (create_official_account, destroy_official_account,
// account_delete: repeating them creates a second official account or answers "does not
// exist") are never retried unless NonIdempotent is set, because a lost answer may belong to a
// call that was applied.
type RetryPolicy struct {
	MaxAttempts    int           // attempts in all, the first included; 1 disables retries
	BaseDelay      time.Duration // the first wait; each next one doubles, up to MaxDelay
	MaxDelay       time.Duration
	RateLimitDelay time.Duration // the wait after a 60007 answer
	NonIdempotent  bool          // retry the calls that are not idempotent too
}

// withDefaults fills what p leaves zero: 4 attempts, 100 ms doubling up to 2 s, 1 s after 60007.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = 100 * time.Millisecond
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = 2 * time.Second
	}
	if p.RateLimitDelay == 0 {
		p.RateLimitDelay = time.Second
	}
	return p
}

// retryable lists the codes Tencent documents as "internal error, retry" or timeouts.
func retryable(code int) bool {
	switch code {
	case 30006, 30007, 70500, 10004, 20005, codeRateLimited:
		return true
	}
	return false
}

const codeRateLimited = 60007

// next says whether attempt (1-based), which ended with err, is followed by another, and after
// how long: full jitter over an exponential delay, so clients that failed together spread out.
func (p RetryPolicy) next(ep endpoint, attempt int, err error) (time.Duration, bool) {
	if err == nil || attempt >= p.MaxAttempts || (!ep.idempotent && !p.NonIdempotent) {
		return 0, false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	var apiErr *Error
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		if !retryable(apiErr.ErrorCode) {
			return 0, false
		}
		if apiErr.ErrorCode == codeRateLimited {
			return p.RateLimitDelay + jitter(p.RateLimitDelay/2), true
		}
	case !errors.As(err, &tErr):
		return 0, false // not an attempt's failure (e.g. the UserSig could not be minted)
	}
	d := p.BaseDelay << (attempt - 1)
	if d > p.MaxDelay || d <= 0 {
		d = p.MaxDelay
	}
	return d/2 + jitter(d/2), true
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}
