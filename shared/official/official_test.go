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
)

func code(err error) envelope.Code {
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
		custom envelope.Code // CheckCustomID
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
	assert.Equal(t, envelope.CodeOfficialParam, code(err))
	_, err = official.RequiredID("Official_Account", &bad)
	assert.Equal(t, envelope.CodeOfficialBadID, code(err))
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
		require.Equal(t, envelope.CodeOfficialBadID, code(official.CheckCustomID("OfficialAccountUserID", id)), "and cannot be chosen")
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
		f    official.Fields
		ok   bool
	}{
		{"nothing", official.Fields{}, true},
		{"150-byte Name of Chinese", official.Fields{Name: str(strings.Repeat("中", 50))}, true},
		{"151-byte Name", official.Fields{Name: str(strings.Repeat("中", 50) + "a")}, false},
		{"empty Name", official.Fields{Name: str("")}, false},
		{"400-byte Introduction", official.Fields{Introduction: str(strings.Repeat("a", 400))}, true},
		{"401-byte Introduction", official.Fields{Introduction: str(strings.Repeat("a", 401))}, false},
		{"empty Introduction", official.Fields{Introduction: str("")}, true},
		{"500-byte FaceUrl", official.Fields{FaceURL: str(strings.Repeat("a", 500))}, true},
		{"501-byte FaceUrl", official.Fields{FaceURL: str(strings.Repeat("a", 501))}, false},
		{"501-byte Organization", official.Fields{Organization: str(strings.Repeat("a", 501))}, false},
		{"3000-byte CustomString", official.Fields{CustomString: str(strings.Repeat("中", 1000))}, true},
		{"3001-byte CustomString", official.Fields{CustomString: str(strings.Repeat("中", 1000) + "a")}, false},
		{"MaxSubscriberNum 1", official.Fields{MaxSubscriberNum: num(1)}, true},
		{"MaxSubscriberNum 0", official.Fields{MaxSubscriberNum: num(0)}, false},
		{"MaxSubscriberNum 2^31-1", official.Fields{MaxSubscriberNum: num(1<<31 - 1)}, true},
		{"MaxSubscriberNum 2^31", official.Fields{MaxSubscriberNum: num(1 << 31)}, false},
	}
	for _, tc := range cases {
		err := tc.f.Check()
		if tc.ok {
			assert.NoError(t, err, tc.name)
		} else {
			assert.Equal(t, envelope.CodeOfficialParam, code(err), tc.name)
		}
	}
}

func TestLimit(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		v    *int64
		want int
		code envelope.Code
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
	assert.True(t, all.Has("SubscribeTime"))
	none, err := official.Select("f", []string{}, official.SelfFields)
	require.NoError(t, err)
	assert.False(t, none.Has("SubscribeTime"))
	some, err := official.Select("f", []string{"SubscribeTime"}, official.SelfFields)
	require.NoError(t, err)
	assert.True(t, some.Has("SubscribeTime"))
	assert.False(t, some.Has("CustomString"))
	for _, name := range []string{"Name", "MsgFlag"} { // SelfInfo is {SubscribeTime, CustomString}
		_, err = official.Select("f", []string{name}, official.SelfFields)
		assert.Equal(t, envelope.CodeOfficialParam, code(err))
	}
}
