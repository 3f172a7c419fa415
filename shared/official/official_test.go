package official_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

func code(err error) protocol.Code {
	var e *envelope.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return 0
	}
	return -1
}

func TestIDs(t *testing.T) {
	cases := []struct {
		id     string
		valid  bool          // may name an official account
		custom protocol.Code // CheckCustomID
	}{
		{"@TOA#_test_id", true, 0},
		{"@TOA#_", true, 0},
		{"@TOA#_" + strings.Repeat("x", 42), true, 0},
		{"@TOA#_ ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", true, 0},
		{"@TOA#_@TOA#dOEF", true, 130007},
		{"@TOA#_@TOA#", true, 130007},
		{"@TOA#_@TOA", true, 0},
		{"@TOA#_" + strings.Repeat("x", 43), false, 130007},
		{"", false, 130007},
		{"@TOA#", false, 130007},
		{"@toa#_x", false, 130007},
		{"x@TOA#_", false, 130007},
		{"@TOA#_é", false, 130007},
		{"@TOA#_\x7f", false, 130007},
		{"@TOA#_\x00", false, 130007},
		{"@TOA#_\n", false, 130007},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.valid, official.ValidID(tc.id), "ValidID(%q)", tc.id)
		assert.Equal(t, tc.custom, code(official.CheckCustomID("OfficialAccountUserID", tc.id)), "CheckCustomID(%q)", tc.id)
	}
}

func TestRequiredID(t *testing.T) {
	s := "@TOA#_x"
	bad := "x"
	_, err := official.RequiredID("Official_Account", nil)
	assert.Equal(t, protocol.CodeOfficialParam, code(err))
	_, err = official.RequiredID("Official_Account", &bad)
	assert.Equal(t, protocol.CodeOfficialBadID, code(err))
	id, err := official.RequiredID("Official_Account", &s)
	require.NoError(t, err)
	assert.Equal(t, s, id)
}

func TestNewID(t *testing.T) {
	form := regexp.MustCompile(`^@TOA#_@TOA#[A-Za-z0-9]{8}$`)
	seen := map[string]bool{}
	chars := map[byte]int{}
	for range 5000 {
		id, err := official.NewID()
		require.NoError(t, err)
		require.Regexp(t, form, id)
		require.True(t, official.ValidID(id), "a generated ID names an official account")
		require.Equal(t, protocol.CodeOfficialBadID, code(official.CheckCustomID("OfficialAccountUserID", id)), "and cannot be chosen")
		require.False(t, seen[id])
		seen[id] = true
		for i := len(official.GeneratedPrefix); i < len(id); i++ {
			chars[id[i]]++
		}
	}
	assert.Len(t, chars, 62, "every character of A-Z a-z 0-9 is drawn")
}

func TestFields(t *testing.T) {
	str := func(s string) *string { return &s }
	num := func(n int64) *int64 { return &n }
	cases := []struct {
		name string
		f    protocol.OfficialAccountFields
		ok   bool
	}{
		{"nothing", protocol.OfficialAccountFields{}, true},
		{"150-byte Name of Chinese", protocol.OfficialAccountFields{Name: str(strings.Repeat("中", 50))}, true},
		{"151-byte Name", protocol.OfficialAccountFields{Name: str(strings.Repeat("中", 50) + "a")}, false},
		{"empty Name", protocol.OfficialAccountFields{Name: str("")}, false},
		{"400-byte Introduction", protocol.OfficialAccountFields{Introduction: str(strings.Repeat("a", 400))}, true},
		{"401-byte Introduction", protocol.OfficialAccountFields{Introduction: str(strings.Repeat("a", 401))}, false},
		{"empty Introduction", protocol.OfficialAccountFields{Introduction: str("")}, true},
		{"500-byte FaceUrl", protocol.OfficialAccountFields{FaceURL: str(strings.Repeat("a", 500))}, true},
		{"501-byte FaceUrl", protocol.OfficialAccountFields{FaceURL: str(strings.Repeat("a", 501))}, false},
		{"501-byte Organization", protocol.OfficialAccountFields{Organization: str(strings.Repeat("a", 501))}, false},
		{"3000-byte CustomString", protocol.OfficialAccountFields{CustomString: str(strings.Repeat("中", 1000))}, true},
		{"3001-byte CustomString", protocol.OfficialAccountFields{CustomString: str(strings.Repeat("中", 1000) + "a")}, false},
		{"MaxSubscriberNum 1", protocol.OfficialAccountFields{MaxSubscriberNum: num(1)}, true},
		{"MaxSubscriberNum 0", protocol.OfficialAccountFields{MaxSubscriberNum: num(0)}, false},
		{"MaxSubscriberNum 2^31-1", protocol.OfficialAccountFields{MaxSubscriberNum: num(1<<31 - 1)}, true},
		{"MaxSubscriberNum 2^31", protocol.OfficialAccountFields{MaxSubscriberNum: num(1 << 31)}, false},
	}
	for _, tc := range cases {
		err := official.CheckFields(tc.f)
		if tc.ok {
			assert.NoError(t, err, tc.name)
		} else {
			assert.Equal(t, protocol.CodeOfficialParam, code(err), tc.name)
		}
	}
}

func TestLimit(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		v    *int64
		want int
		code protocol.Code
	}{
		{nil, 7, 0}, {n(0), 7, 0}, {n(1), 1, 0}, {n(200), 200, 0}, {n(201), 0, 6017}, {n(-1), 0, 6017},
	} {
		got, err := official.Limit(tc.v, 7)
		assert.Equal(t, tc.code, code(err))
		assert.Equal(t, tc.want, got)
	}
}

func TestSelect(t *testing.T) {
	all, err := official.Select("f", nil, official.SelfFields)
	require.NoError(t, err)
	assert.True(t, all.Has("MsgFlag"))
	none, err := official.Select("f", []string{}, official.SelfFields)
	require.NoError(t, err)
	assert.False(t, none.Has("MsgFlag"))
	some, err := official.Select("f", []string{"MsgFlag"}, official.SelfFields)
	require.NoError(t, err)
	assert.True(t, some.Has("MsgFlag"))
	assert.False(t, some.Has("CustomString"))
	_, err = official.Select("f", []string{"Name"}, official.SelfFields)
	assert.Equal(t, protocol.CodeOfficialParam, code(err))
}
