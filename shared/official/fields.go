package official

import (
	"math"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
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

// Fields are the writable fields of an official account as a request gives them; nil means
// absent.
type Fields struct {
	Name             *string `json:"Name"`
	Introduction     *string `json:"Introduction"`
	FaceURL          *string `json:"FaceUrl"`
	Organization     *string `json:"Organization"`
	CustomString     *string `json:"CustomString"`
	MaxSubscriberNum *int64  `json:"MaxSubscriberNum"`
}

// Check returns 6017 naming the first present field out of its limits. A present Name must not
// be empty.
func (f Fields) Check() error {
	if f.Name != nil && *f.Name == "" {
		return envelope.Errorf(envelope.CodeOfficialParam, "Name must not be empty")
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
		if c.v != nil && !userid.NoNUL(*c.v) {
			return envelope.Errorf(envelope.CodeOfficialParam, "%s must not contain U+0000", c.field)
		}
		if c.v != nil && len(*c.v) > c.max {
			return envelope.Errorf(envelope.CodeOfficialParam, "%s is %d bytes; at most %d bytes (UTF-8) are allowed", c.field, len(*c.v), c.max)
		}
	}
	if n := f.MaxSubscriberNum; n != nil && (*n < 1 || *n > MaxSubscriberNum) {
		return envelope.Errorf(envelope.CodeOfficialParam, "MaxSubscriberNum must be 1 to %d", MaxSubscriberNum)
	}
	return nil
}

// Empty reports whether no field is present.
func (f Fields) Empty() bool { return f == Fields{} }

// Apply returns oa with the present fields replaced.
func (f Fields) Apply(oa store.OfficialAccount) store.OfficialAccount {
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
