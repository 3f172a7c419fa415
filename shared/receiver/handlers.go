package receiver

import (
	"context"
	"time"

	"github.com/chatfollow/chatfollow/shared/protocol"
)

// Event is what every handler is told about a verified delivery besides its typed body.
type Event struct {
	Command    string
	Body       []byte    // the body as received
	EventTime  time.Time // the body's EventTime
	ClientIP   string    // the query's ClientIP
	Platform   string    // the query's OptPlatform, as sent (unknown values are kept)
	ReceivedAt time.Time
}

// Handlers is where the app plugs in its own logic: one typed function per command, each
// given the decoded body. A nil function means nothing beyond the receiver's own work.
//
// An after-handler runs once the delivery is verified and before it is recorded, and only if
// the event is not already in the log. If it returns an error the receiver records nothing and
// answers HTTP 500, so the sender delivers it again: a handler runs at least once per event
// and must tolerate running twice (two deliveries racing, or a failed commit after it ran).
// Returning an *envelope.Error chooses the ErrorCode and ErrorInfo of that answer.
//
// The before-handlers are the Go side of the before-webhook policy (see Policy): they run
// after the configured deny-lists, on every delivery, and their decision is recorded with the
// event. An error answers HTTP 500, which Tencent treats as a failed webhook: the operation goes
// ahead.
type Handlers struct {
	AfterFollowAdd                  func(context.Context, Event, protocol.AfterFollowAdd) error
	AfterFollowDelete               func(context.Context, Event, protocol.AfterFollowDelete) error
	AfterCreateOfficialAccount      func(context.Context, Event, protocol.AfterCreateOfficialAccount) error
	AfterOfficialAccountInfoChanged func(context.Context, Event, protocol.AfterOfficialAccountInfoChanged) error
	AfterOfficialAccountDestroyed   func(context.Context, Event, protocol.AfterOfficialAccountDestroyed) error
	AfterAddSubscriber              func(context.Context, Event, protocol.Subscribers) error
	AfterOfficialAccountFull        func(context.Context, Event, protocol.AfterOfficialAccountFull) error
	AfterDeleteSubscriber           func(context.Context, Event, protocol.Subscribers) error

	// BeforeCreateOfficialAccount allows (true) or refuses (false) the creation.
	BeforeCreateOfficialAccount func(context.Context, Event, protocol.BeforeCreateOfficialAccount) (allow bool, err error)
	// BeforeAddSubscriber returns the accounts of SubscribeAccountList to refuse.
	BeforeAddSubscriber func(context.Context, Event, protocol.Subscribers) (refused []string, err error)
}

// after returns the app's after-handler bound to the decoded body b of command cmd, or nil.
func (h Handlers) after(cmd string, b protocol.CallbackBody) func(context.Context, Event) error {
	switch b := b.(type) {
	case protocol.AfterFollowAdd:
		return bind(h.AfterFollowAdd, b)
	case protocol.AfterFollowDelete:
		return bind(h.AfterFollowDelete, b)
	case protocol.AfterCreateOfficialAccount:
		return bind(h.AfterCreateOfficialAccount, b)
	case protocol.AfterOfficialAccountInfoChanged:
		return bind(h.AfterOfficialAccountInfoChanged, b)
	case protocol.AfterOfficialAccountDestroyed:
		return bind(h.AfterOfficialAccountDestroyed, b)
	case protocol.AfterOfficialAccountFull:
		return bind(h.AfterOfficialAccountFull, b)
	case protocol.Subscribers:
		switch cmd {
		case protocol.CallbackAfterAddSubscriber:
			return bind(h.AfterAddSubscriber, b)
		case protocol.CallbackAfterDeleteSubscriber:
			return bind(h.AfterDeleteSubscriber, b)
		}
	}
	return nil
}

// bind gives f its body; nil when f is.
func bind[B any](f func(context.Context, Event, B) error, b B) func(context.Context, Event) error {
	if f == nil {
		return nil
	}
	return func(ctx context.Context, e Event) error { return f(ctx, e, b) }
}
