// Package follow holds the rules the five v4/follow operations share: the From_Account and
// To_Account request shape, per-target checks and their codes (wire.md sections 2 and 7).
package follow

import (
	"fmt"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Per-call target limits.
const (
	MaxTargets      = 20  // follow_add, follow_delete, follow_get_info
	MaxCheckTargets = 100 // follow_check
)

// ParseTargets checks the shape of t (30001) and returns From_Account and the distinct targets
// in order. The limit counts the raw list, before de-duplication.
func ParseTargets(t protocol.FollowTargets, max int) (string, []string, error) {
	from, err := userid.Required(envelope.Follow, "From_Account", t.FromAccount)
	if err != nil {
		return "", nil, err
	}
	if err := userid.CheckCount(envelope.Follow, "To_Account", len(t.ToAccount), max); err != nil {
		return "", nil, err
	}
	return from, userid.Unique(t.ToAccount), nil
}

// RequireFrom returns From_Account's entry in imported (the accounts or relations a call read,
// keyed by UserID, holding only imported accounts), or 30003 when From_Account is not imported.
func RequireFrom[V any](imported map[string]V, from string) (V, error) {
	v, ok := imported[from]
	if !ok {
		return v, envelope.Errorf(protocol.CodeFollowNoAccount, "From_Account %s is not imported", from)
	}
	return v, nil
}

// CheckTarget returns the item code of a target before its relation is looked at: 30001 for an
// invalid UserID or, unless selfAllowed, from itself; 30003 when not in imported (the accounts
// or relations the call read); else 0.
func CheckTarget[V any](imported map[string]V, from, to string, selfAllowed bool) (protocol.Code, string) {
	_, ok := imported[to]
	switch {
	case !userid.Valid(to):
		return protocol.CodeFollowParam, fmt.Sprintf("To_Account must be a UserID of 1 to %d bytes", userid.MaxLen)
	case to == from && !selfAllowed:
		return protocol.CodeFollowParam, "From_Account and To_Account must differ: nobody follows themself"
	case !ok:
		return protocol.CodeFollowNoAccount, "To_Account is not imported"
	}
	return protocol.OK, ""
}
