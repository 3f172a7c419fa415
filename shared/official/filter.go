package official

import (
	"slices"
	"strings"
	"time"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
)

// BaseFields are the names OfficialAccountBaseInfoFilter may list, in the order answers carry
// them. MaxSubscriberNum is this project's addition to Tencent's list.
var BaseFields = []string{"CreateTime", "Name", "Owner_Account", "LastMsgTime", "SubscriberNum",
	"Introduction", "FaceUrl", "Organization", "CustomString", "MaxSubscriberNum"}

// SelfFields are the names SelfInfoFilter may list.
var SelfFields = []string{"SubscribeTime", "MsgFlag", "CustomString"}

// Selection is the set of fields an answer carries.
type Selection struct {
	all   bool
	names []string
}

// Select checks a filter: absent (nil) selects every field, a list selects the fields it names
// (an empty list none); a name that is not one of known is 6017.
func Select(field string, names, known []string) (Selection, error) {
	if names == nil {
		return Selection{all: true}, nil
	}
	for _, n := range names {
		if !slices.Contains(known, n) {
			return Selection{}, envelope.Errorf(protocol.CodeOfficialParam, "%s lists %q; it may list %s", field, n, strings.Join(known, ", "))
		}
	}
	return Selection{names: names}, nil
}

// Has reports whether the field named name is selected.
func (s Selection) Has(name string) bool { return s.all || slices.Contains(s.names, name) }

// NewBaseInfo returns the fields of oa that s selects. Times are Unix seconds; LastMsgTime is 0
// before any message.
func NewBaseInfo(oa store.OfficialAccount, s Selection) protocol.OfficialAccountBaseInfo {
	var b protocol.OfficialAccountBaseInfo
	pick(s, "CreateTime", &b.CreateTime, oa.CreatedAt.Unix())
	pick(s, "Name", &b.Name, oa.Name)
	pick(s, "Owner_Account", &b.OwnerAccount, oa.Owner)
	pick(s, "LastMsgTime", &b.LastMsgTime, unix(oa.LastMsgAt))
	pick(s, "SubscriberNum", &b.SubscriberNum, oa.Subscribers)
	pick(s, "Introduction", &b.Introduction, oa.Introduction)
	pick(s, "FaceUrl", &b.FaceURL, oa.FaceURL)
	pick(s, "Organization", &b.Organization, oa.Organization)
	pick(s, "CustomString", &b.CustomString, oa.CustomString)
	pick(s, "MaxSubscriberNum", &b.MaxSubscriberNum, oa.MaxSubscribers)
	return b
}

// NewSelfInfo returns the fields of sub that s selects.
func NewSelfInfo(sub store.Subscription, s Selection) protocol.SelfInfo {
	var i protocol.SelfInfo
	pick(s, "SubscribeTime", &i.SubscribeTime, sub.SubscribedAt.Unix())
	pick(s, "MsgFlag", &i.MsgFlag, sub.MsgFlag)
	pick(s, "CustomString", &i.CustomString, sub.CustomString)
	return i
}

// pick sets *dst to v when s selects name.
func pick[T any](s Selection, name string, dst **T, v T) {
	if s.Has(name) {
		*dst = &v
	}
}

// unix is t in Unix seconds, 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
