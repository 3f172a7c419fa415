package cursor_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/cursor"
)

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func TestRoundTrip(t *testing.T) {
	c := cursor.New("secret")
	for _, p := range [][2]int64{{1, 1}, {1702018343, 42}, {0, math.MaxInt64}, {math.MaxInt64, math.MaxInt64}, {-1, 7}} {
		s := c.Encode("follow_get/1/a", p[0], p[1])
		require.Len(t, s, 40)
		require.Equal(t, "", strings.Trim(s, alphabet), "URL-safe and needs no escaping in JSON")
		a, b, err := c.Decode("follow_get/1/a", s)
		require.NoError(t, err)
		require.Equal(t, p, [2]int64{a, b})
		// Cursors of the same position are the same string: the cursor is a pure function of
		// the key, the list and the position, so a server restart does not invalidate it.
		require.Equal(t, s, cursor.New("secret").Encode("follow_get/1/a", p[0], p[1]))
	}
}

// TestEveryChangedCharacter changes every character of a cursor to every other character of
// the alphabet (and a few outside it); none decodes.
func TestEveryChangedCharacter(t *testing.T) {
	c := cursor.New("secret")
	s := c.Encode("follow_get/2/a", 1702018343, 9)
	for i := range s {
		for _, r := range alphabet + "+/=*. %" {
			if byte(r) == s[i] {
				continue
			}
			bad := s[:i] + string(r) + s[i+1:]
			_, _, err := c.Decode("follow_get/2/a", bad)
			require.ErrorIs(t, err, cursor.ErrInvalid, "character %d changed to %q: %s", i, r, bad)
		}
	}
}

func TestRefused(t *testing.T) {
	c := cursor.New("secret")
	s := c.Encode("follow_get/2/a", 1702018343, 9)
	for name, tc := range map[string]struct{ scope, cursor string }{
		"empty":                  {"follow_get/2/a", ""},
		"one character removed":  {"follow_get/2/a", s[:39]},
		"one character added":    {"follow_get/2/a", s + "A"},
		"doubled":                {"follow_get/2/a", s + s},
		"padded":                 {"follow_get/2/a", s + "=="},
		"another account":        {"follow_get/2/b", s},
		"another list":           {"follow_get/1/a", s},
		"a prefix of the scope":  {"follow_get/2/", s},
		"standard base64":        {"follow_get/2/a", strings.NewReplacer("-", "+", "_", "/").Replace(s) + "+"},
		"not base64":             {"follow_get/2/a", "not a cursor at all"},
		"right length, all As":   {"follow_get/2/a", strings.Repeat("A", 40)},
		"another server's key":   {"follow_get/2/a", cursor.New("other").Encode("follow_get/2/a", 1702018343, 9)},
		"another version byte":   {"follow_get/2/a", "B" + s[1:]},
		"JSON-escaped character": {"follow_get/2/a", `\u0041` + s[1:]},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := c.Decode(tc.scope, tc.cursor)
			require.ErrorIs(t, err, cursor.ErrInvalid)
		})
	}
}

func BenchmarkCursor(b *testing.B) {
	c := cursor.New("secret")
	s := c.Encode("follow_get/2/a", 1702018343, 9)
	for b.Loop() {
		if _, _, err := c.Decode("follow_get/2/a", s); err != nil {
			b.Fatal(err)
		}
	}
}
