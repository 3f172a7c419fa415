// Package official holds the rules the nine v4/official_account_open_http_svc operations share
// (wire.md sections 4 and 7): official-account IDs, the limits of their fields, subscriber lists,
// paging limits, response filters, and the synchronous before-webhooks.
//
// Codes: a malformed or forbidden official-account ID is 130007; every other invalid parameter
// is 6017; an official account that does not exist (or was destroyed) is 130004.
package official

import (
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// ID rules. A custom ID is printable ASCII of at most MaxIDLen bytes that starts with IDPrefix
// and not with GeneratedPrefix; a generated ID is GeneratedPrefix followed by GeneratedLen
// characters of A-Z a-z 0-9.
const (
	IDPrefix        = "@TOA#_"
	GeneratedPrefix = "@TOA#_@TOA#"
	MaxIDLen        = 48
	GeneratedLen    = 8
)

// Per-call limits.
const (
	MaxSubscribers = 100 // accounts per add_subscriber and delete_subscriber call
	MaxInfoIDs     = 50  // official accounts per get_official_account_info call
	MaxLimit       = 200 // entries per page of get_subscriber_info and get_subscribed_official_account_list
)

// ValidID reports whether id can name an official account, custom or generated.
func ValidID(id string) bool {
	if len(id) > MaxIDLen || !strings.HasPrefix(id, IDPrefix) {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x20 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// CheckCustomID checks an ID chosen by the app: 130007 when it is malformed or takes the
// generated form.
func CheckCustomID(field, id string) error {
	if !ValidID(id) {
		return envelope.Errorf(protocol.CodeOfficialBadID, "%s must be printable ASCII of at most %d bytes starting with %s", field, MaxIDLen, IDPrefix)
	}
	if strings.HasPrefix(id, GeneratedPrefix) {
		return envelope.Errorf(protocol.CodeOfficialBadID, "%s must not start with %s, which is reserved for generated IDs", field, GeneratedPrefix)
	}
	return nil
}

// RequiredID checks a required field naming an existing official account: 6017 when absent,
// 130007 when it cannot be an official-account ID.
func RequiredID(field string, v *string) (string, error) {
	if v == nil {
		return "", envelope.Errorf(protocol.CodeOfficialParam, "%s is required", field)
	}
	if !ValidID(*v) {
		return "", envelope.Errorf(protocol.CodeOfficialBadID, "%s must be an official account ID: printable ASCII of at most %d bytes starting with %s", field, MaxIDLen, IDPrefix)
	}
	return *v, nil
}

// NotFound is the 130004 answer for an official account that does not exist.
func NotFound(id string) error {
	return envelope.Errorf(protocol.CodeOfficialNotFound, "official account %s does not exist or was destroyed", id)
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewID returns a random generated ID. Characters are drawn uniformly: bytes at or above the
// largest multiple of the alphabet's size are drawn again.
func NewID() (string, error) {
	const limit = 256 - 256%len(idAlphabet)
	out := make([]byte, 0, len(GeneratedPrefix)+GeneratedLen)
	out = append(out, GeneratedPrefix...)
	var buf [2 * GeneratedLen]byte
	for len(out) < cap(out) {
		if _, err := rand.Read(buf[:]); err != nil {
			return "", fmt.Errorf("official: random ID: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < cap(out) {
				out = append(out, idAlphabet[int(b)%len(idAlphabet)])
			}
		}
	}
	return string(out), nil
}

// SubscriberIDs checks a raw list of accounts (1 to MaxSubscribers before de-duplication, 6017
// otherwise) and returns the distinct ones in order. Invalid UserIDs are kept: they fail as
// items.
func SubscriberIDs(field string, ids []string) ([]string, error) {
	if err := userid.CheckCount(envelope.OfficialAccount, field, len(ids), MaxSubscribers); err != nil {
		return nil, err
	}
	return userid.Unique(ids), nil
}

// SubscriberItems is SubscriberIDs for a list of Subscriber_Account objects, each of which must name
// its account.
func SubscriberItems(field string, items []protocol.SubscriberItem) ([]string, error) {
	if err := userid.CheckCount(envelope.OfficialAccount, field, len(items), MaxSubscribers); err != nil {
		return nil, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		if it.SubscriberAccount == nil {
			return nil, envelope.Errorf(protocol.CodeOfficialParam, "%s[%d].Subscriber_Account is required", field, i)
		}
		ids[i] = *it.SubscriberAccount
	}
	return userid.Unique(ids), nil
}

// Limit checks a page size: absent or 0 gives def, 1 to MaxLimit is itself, anything else 6017.
func Limit(v *int64, def int) (int, error) {
	if v == nil || *v == 0 {
		return def, nil
	}
	if *v < 0 || *v > MaxLimit {
		return 0, envelope.Errorf(protocol.CodeOfficialParam, "Limit must be 1 to %d (0 or absent: the default)", MaxLimit)
	}
	return int(*v), nil
}
