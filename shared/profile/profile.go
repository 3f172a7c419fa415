// Package profile is the imported profile of an account (Nick and FaceUrl) and the rule that
// account_import and multiaccount_import share: a re-import changes only the fields present,
// and profile_sequence grows each time a value actually changes.
package profile

import (
	"time"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
)

// MaxValueLen is the longest Nick or FaceUrl, in bytes.
const MaxValueLen = 500

// Fields are the profile fields of an import; nil means absent (keep the current value).
type Fields struct {
	Nick    *string
	FaceURL *string
}

// Check returns 40601 when a present value is too long.
func (f Fields) Check() error {
	if f.Nick != nil && len(*f.Nick) > MaxValueLen {
		return envelope.Errorf(protocol.CodeProfileTooLong, "Nick is longer than %d bytes", MaxValueLen)
	}
	if f.FaceURL != nil && len(*f.FaceURL) > MaxValueLen {
		return envelope.Errorf(protocol.CodeProfileTooLong, "FaceUrl is longer than %d bytes", MaxValueLen)
	}
	return nil
}

// Apply returns the account after importing id with f: a new account when current is absent,
// else current with the present fields replaced.
func Apply(id string, current store.Account, exists bool, f Fields, now time.Time) store.Account {
	a := current
	if !exists {
		a = store.Account{UserID: id, CreatedAt: now}
	}
	changed := false
	if f.Nick != nil && *f.Nick != a.Nick {
		a.Nick, changed = *f.Nick, true
	}
	if f.FaceURL != nil && *f.FaceURL != a.FaceURL {
		a.FaceURL, changed = *f.FaceURL, true
	}
	if changed {
		a.ProfileSeq++
	}
	return a
}
