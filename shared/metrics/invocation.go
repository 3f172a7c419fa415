package metrics

import (
	"context"
	"log/slog"
	"time"
)

// Invocation is what one Lambda or SCF invocation did, logged as one JSON line since nothing
// scrapes /metrics there (docs/operations.md has the CloudWatch Logs Insights query).
type Invocation struct {
	Command string // REST command or webhook CallbackCommand; empty for anything else
	Code    int    // the REST envelope's ErrorCode, or the receiver's HTTP status
	start   time.Time
	before  int64 // attempts made before the invocation
	m       *Metrics
}

type invocationKey struct{}

// StartInvocation returns ctx carrying a new Invocation.
func (m *Metrics) StartInvocation(ctx context.Context) (context.Context, *Invocation) {
	inv := &Invocation{start: time.Now(), before: m.Attempted(), m: m}
	return context.WithValue(ctx, invocationKey{}, inv), inv
}

func invocationOf(ctx context.Context) *Invocation {
	inv, _ := ctx.Value(invocationKey{}).(*Invocation)
	return inv
}

// Log writes the invocation's line: command, code, duration and deliveries attempted (a
// Lambda or SCF instance serves one invocation at a time, so the attempts counted meanwhile
// are its own).
func (inv *Invocation) Log(log *slog.Logger) {
	log.Info("invocation",
		slog.String("command", inv.Command),
		slog.Int("code", inv.Code),
		slog.Float64("duration_ms", float64(time.Since(inv.start).Microseconds())/1000),
		slog.Int64("deliveries_attempted", inv.m.Attempted()-inv.before))
}
