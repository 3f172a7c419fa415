package official

import (
	"math"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Byte limits of the writable fields, in UTF-8 bytes.
const (
	MaxNameLen         = 150
	MaxIntroductionLen = 400
	MaxFaceURLLen      = 500
	MaxOrganizationLen = 500
	MaxCustomStringLen = 3000 // also the limit of a subscription's CustomString
)

// Subscriber limits: DefaultMaxSubscriberNum when create_official_account gives none; any value
// from 1 to MaxSubscriberNum (Tencent's Integer is 32-bit) may be set.
const (
	DefaultMaxSubscriberNum = 100000
	MaxSubscriberNum        = math.MaxInt32
)

// CheckFields returns 6017 naming the first present field of f out of its limits. A present Name
// must not be empty.
func CheckFields(f protocol.OfficialAccountFields) error {
	if f.Name != nil && *f.Name == "" {
		return envelope.Errorf(protocol.CodeOfficialParam, "Name must not be empty")
	}
	for _, c := range []struct {
		field string
		v     *string
		max   int
	}{
		{"Name", f.Name, MaxNameLen},
		{"Introduction", f.Introduction, MaxIntroductionLen},
		{"FaceUrl", f.FaceURL, MaxFaceURLLen},
		{"Organization", f.Organization, MaxOrganizationLen},
		{"CustomString", f.CustomString, MaxCustomStringLen},
	} {
		if c.v != nil && len(*c.v) > c.max {
			return envelope.Errorf(protocol.CodeOfficialParam, "%s is %d bytes; at most %d bytes (UTF-8) are allowed", c.field, len(*c.v), c.max)
		}
	}
	if n := f.MaxSubscriberNum; n != nil && (*n < 1 || *n > MaxSubscriberNum) {
		return envelope.Errorf(protocol.CodeOfficialParam, "MaxSubscriberNum must be 1 to %d", MaxSubscriberNum)
	}
	return nil
}

// NoFields reports whether no field of f is present.
func NoFields(f protocol.OfficialAccountFields) bool { return f == protocol.OfficialAccountFields{} }

// ApplyFields returns oa with the fields present in f replaced.
func ApplyFields(f protocol.OfficialAccountFields, oa store.OfficialAccount) store.OfficialAccount {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&oa.Name, f.Name)
	set(&oa.Introduction, f.Introduction)
	set(&oa.FaceURL, f.FaceURL)
	set(&oa.Organization, f.Organization)
	set(&oa.CustomString, f.CustomString)
	if f.MaxSubscriberNum != nil {
		oa.MaxSubscribers = *f.MaxSubscriberNum
	}
	return oa
}
