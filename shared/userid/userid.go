// Package userid holds the rules of account IDs shared by every service: a UserID is a non-empty
// string of at most 32 bytes, and a list of them is checked for length before de-duplication.
package userid

import (
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// MaxLen is the longest UserID, in bytes.
const MaxLen = 32

// Valid reports whether id is a UserID.
func Valid(id string) bool { return id != "" && len(id) <= MaxLen }

// Required checks a required single-account field: present and a valid UserID, else the
// service's parameter error naming the field.
func Required(s envelope.Service, field string, v *string) (string, error) {
	if v == nil {
		return "", envelope.Errorf(s.ParamCode(), "%s is required", field)
	}
	if !Valid(*v) {
		return "", envelope.Errorf(s.ParamCode(), "%s must be a UserID of 1 to %d bytes", field, MaxLen)
	}
	return *v, nil
}

// CheckCount checks a required list's raw length (before de-duplication): 1 to max items.
func CheckCount(s envelope.Service, field string, n int, max int) error {
	if n == 0 {
		return envelope.Errorf(s.ParamCode(), "%s is required and must list 1 to %d items", field, max)
	}
	if n > max {
		return envelope.Errorf(s.ParamCode(), "%s lists %d items; at most %d are allowed", field, n, max)
	}
	return nil
}

// Unique returns ids without repeats, in the order each first appears.
func Unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// ItemIDs checks a list of UserID items (1 to max, each with a UserID; 30001-style errors in the
// service's parameter code) and returns the distinct UserIDs in order.
func ItemIDs(s envelope.Service, field string, items []protocol.UserIDItem, max int) ([]string, error) {
	if err := CheckCount(s, field, len(items), max); err != nil {
		return nil, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		if it.UserID == nil {
			return nil, envelope.Errorf(s.ParamCode(), "%s[%d].UserID is required", field, i)
		}
		ids[i] = *it.UserID
	}
	return Unique(ids), nil
}
