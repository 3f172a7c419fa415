package receiver

import (
	"context"

	json "github.com/go-json-experiment/json"

	"github.com/chatfollow/chatfollow/shared/protocol"
)

// RefusalCode is the ErrorCode that refuses an official account's creation (wire.md section 7).
const RefusalCode = 1

// refusalInfo is the ErrorInfo of a refused creation; Tencent passes it on to the REST caller.
const refusalInfo = "refused by the app's policy"

// answer is a receiver's answer body. RefusedMembers_Account is present only when an account is
// refused, so a plain acceptance is exactly {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}.
type answer struct {
	ActionStatus   string   `json:"ActionStatus"`
	ErrorCode      int      `json:"ErrorCode"`
	ErrorInfo      string   `json:"ErrorInfo"`
	RefusedMembers []string `json:"RefusedMembers_Account,omitempty"`
}

// okAnswer is the plain acceptance, the answer to every after-webhook.
var okAnswer = []byte(`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`)

// decide answers before-webhook b from the app's policy: nil for the plain acceptance, else the
// answer body. The default allows everything. An Owner_Account in RECEIVER_DENY_OWNERS has its
// official account refused, and so does a false from Handlers.BeforeCreateOfficialAccount:
// ErrorCode 1, ActionStatus still OK as in Tencent's sample. Accounts of SubscribeAccountList in
// RECEIVER_DENY_SUBSCRIBERS or returned by Handlers.BeforeAddSubscriber are refused:
// RefusedMembers_Account lists them as strings, once each, in the order of the list (accounts not
// in the list are ignored).
func (r *Receiver) decide(ctx context.Context, ev Event, b protocol.CallbackBody) ([]byte, error) {
	switch b := b.(type) {
	case protocol.BeforeCreateOfficialAccount:
		allow := !r.denyOwners[b.OwnerAccount]
		if allow && r.handlers.BeforeCreateOfficialAccount != nil {
			var err error
			if allow, err = r.handlers.BeforeCreateOfficialAccount(ctx, ev, b); err != nil {
				return nil, err
			}
		}
		if allow {
			return nil, nil
		}
		return json.Marshal(answer{ActionStatus: "OK", ErrorCode: RefusalCode, ErrorInfo: refusalInfo})
	case protocol.Subscribers:
		refuse := map[string]bool{}
		for _, a := range b.SubscribeAccountList {
			if r.denySubscribers[a.SubscriberAccount] {
				refuse[a.SubscriberAccount] = true
			}
		}
		if r.handlers.BeforeAddSubscriber != nil {
			more, err := r.handlers.BeforeAddSubscriber(ctx, ev, b)
			if err != nil {
				return nil, err
			}
			for _, id := range more {
				refuse[id] = true
			}
		}
		var refused []string
		for _, a := range b.SubscribeAccountList {
			if id := a.SubscriberAccount; refuse[id] {
				refused = append(refused, id)
				delete(refuse, id)
			}
		}
		if len(refused) == 0 {
			return nil, nil
		}
		return json.Marshal(answer{ActionStatus: "OK", RefusedMembers: refused})
	}
	return nil, nil
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
