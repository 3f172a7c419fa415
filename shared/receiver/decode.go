package receiver

import (
	"strings"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// command is what the receiver knows of one CallbackCommand.
type command struct {
	name    string
	service envelope.Service // whose parameter and internal codes its answers use
	before  bool             // answered from the policy; changes no mirror
	decode  func(body []byte, s envelope.Service) (protocol.CallbackBody, error)
}

// commands are the ten commands of wire.md section 5, by name; never changed after start-up.
var commands = byName(
	newCommand(protocol.CallbackAfterFollowAdd, false, decodeAs(checkFollowAdd)),
	newCommand(protocol.CallbackAfterFollowDelete, false, decodeAs(checkFollowDelete)),
	newCommand(protocol.CallbackBeforeCreateOfficialAccount, true, decodeAs(checkBeforeCreate)),
	newCommand(protocol.CallbackAfterCreateOfficialAccount, false, decodeAs(checkAfterCreate)),
	newCommand(protocol.CallbackAfterOfficialAccountInfoChanged, false, decodeAs(checkInfoChanged)),
	newCommand(protocol.CallbackAfterOfficialAccountDestroyed, false, decodeAs(checkDestroyed)),
	newCommand(protocol.CallbackBeforeAddSubscriber, true, decodeAs(checkSubscribers)),
	newCommand(protocol.CallbackAfterAddSubscriber, false, decodeAs(checkSubscribers)),
	newCommand(protocol.CallbackAfterOfficialAccountFull, false, decodeAs(checkFull)),
	newCommand(protocol.CallbackAfterDeleteSubscriber, false, decodeAs(checkSubscribers)),
)

func newCommand(name string, before bool, decode func([]byte, envelope.Service) (protocol.CallbackBody, error)) command {
	s := envelope.OfficialAccount
	if strings.HasPrefix(name, "Follow.") {
		s = envelope.Follow
	}
	return command{name: name, service: s, before: before, decode: decode}
}

func byName(cs ...command) map[string]command {
	m := make(map[string]command, len(cs))
	for _, c := range cs {
		m[c.name] = c
	}
	return m
}

// Known reports whether name is one of the commands receivers handle.
func Known(name string) bool {
	_, ok := commands[name]
	return ok
}

// decodeAs returns the strict decoder of body type B: one JSON object (60003) whose account
// fields are strings (60015), decoded case-sensitively with unknown members ignored and wrong
// types refused (the service's parameter code), then check's rules for the fields the receiver
// relies on.
func decodeAs[B protocol.CallbackBody](check func(*B) error) func([]byte, envelope.Service) (protocol.CallbackBody, error) {
	return func(body []byte, s envelope.Service) (protocol.CallbackBody, error) {
		if err := jsonbody.Check(body); err != nil {
			return nil, err
		}
		var b B
		if err := jsonbody.Decode(body, &b, s); err != nil {
			return nil, err
		}
		if err := check(&b); err != nil {
			return nil, envelope.Errorf(s.ParamCode(), "%v", err)
		}
		return b, nil
	}
}

// fieldError names a required field that is missing or empty.
type fieldError string

func (f fieldError) Error() string { return string(f) }

// required fails when any of fields (name, value pairs) is empty.
func required(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			return fieldError(fields[i] + " is required and must not be empty")
		}
	}
	return nil
}

// eventTime fails unless the body has a positive EventTime (Unix milliseconds).
func eventTime(t int64) error {
	if t <= 0 {
		return fieldError("EventTime is required: a positive Unix time in milliseconds")
	}
	return nil
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func checkFollowAdd(b *protocol.AfterFollowAdd) error {
	err := firstError(required("From_Account", b.FromAccount), eventTime(b.EventTime))
	for _, t := range b.FollowList {
		err = firstError(err, required("FollowList[].To_Account", t.ToAccount))
	}
	return err
}

func checkFollowDelete(b *protocol.AfterFollowDelete) error {
	err := firstError(required("From_Account", b.FromAccount), eventTime(b.EventTime))
	for _, to := range b.ToAccount {
		err = firstError(err, required("To_Account[]", to))
	}
	return err
}

func checkBeforeCreate(b *protocol.BeforeCreateOfficialAccount) error {
	return firstError(required("Owner_Account", b.OwnerAccount), eventTime(b.EventTime))
}

func checkAfterCreate(b *protocol.AfterCreateOfficialAccount) error {
	return firstError(required("Official_Account", b.OfficialAccount), eventTime(b.EventTime))
}

func checkInfoChanged(b *protocol.AfterOfficialAccountInfoChanged) error {
	return firstError(required("Official_Account", b.OfficialAccount), eventTime(b.EventTime))
}

func checkDestroyed(b *protocol.AfterOfficialAccountDestroyed) error {
	return firstError(required("Official_Account", b.OfficialAccount), eventTime(b.EventTime))
}

func checkFull(b *protocol.AfterOfficialAccountFull) error {
	return firstError(required("Official_Account", b.OfficialAccount), eventTime(b.EventTime))
}

func checkSubscribers(b *protocol.Subscribers) error {
	err := firstError(required("Official_Account", b.OfficialAccount), eventTime(b.EventTime))
	for _, a := range b.SubscribeAccountList {
		err = firstError(err, required("SubscribeAccountList[].Subscriber_Account", a.SubscriberAccount))
	}
	return err
}
