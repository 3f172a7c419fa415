// Package cursor issues the opaque paging cursors of follow_get and the official-account lists.
// A cursor carries a position in a list (two integers) and an HMAC, keyed by a server secret,
// over the position and the list it was issued for, so a cursor that was altered in any
// character, or issued for another list, is refused.
//
// Internal to this module: not a supported API for other modules.
package cursor

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
)

// ErrInvalid is returned for a cursor this server did not issue for the list.
var ErrInvalid = errors.New("cursor: not issued by this server for this list")

const (
	version = 1
	tagLen  = 13 // 1 + 8 + 8 + 13 = 30 bytes: 40 base64 characters, none of them partial
	size    = 1 + 8 + 8 + tagLen
)

// Strict decoding refuses a changed final character that would decode to the same bytes.
var encoding = base64.RawURLEncoding.Strict()

// Codec encodes and checks cursors with one key.
type Codec struct{ key []byte }

// New derives the cursor key from the app's secret, so cursors survive restarts and are valid on
// every instance of a function.
func New(secret string) Codec {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("chatfollow paging cursor v1"))
	return Codec{key: m.Sum(nil)}
}

// Encode returns the cursor of position (a, b) in the list named by scope.
func (c Codec) Encode(scope string, a, b int64) string {
	var buf [size]byte
	buf[0] = version
	binary.BigEndian.PutUint64(buf[1:], uint64(a))
	binary.BigEndian.PutUint64(buf[9:], uint64(b))
	copy(buf[17:], c.tag(scope, buf[:17]))
	return encoding.EncodeToString(buf[:])
}

// Decode returns the position of a cursor issued for scope.
func (c Codec) Decode(scope, s string) (int64, int64, error) {
	buf, err := encoding.DecodeString(s)
	if err != nil || len(buf) != size || buf[0] != version {
		return 0, 0, ErrInvalid
	}
	if !hmac.Equal(buf[17:], c.tag(scope, buf[:17])) {
		return 0, 0, ErrInvalid
	}
	return int64(binary.BigEndian.Uint64(buf[1:])), int64(binary.BigEndian.Uint64(buf[9:])), nil
}

func (c Codec) tag(scope string, payload []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(scope))
	m.Write([]byte{0})
	m.Write(payload)
	return m.Sum(nil)[:tagLen]
}
