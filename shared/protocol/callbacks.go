package protocol

import "time"

// The webhooks, docs/wire.md section 5: each callback command and its JSON body.

// The callback commands.
const (
	CallbackAfterFollowAdd                  = "Follow.CallbackAfterFollowAdd"
	CallbackAfterFollowDelete               = "Follow.CallbackAfterFollowDelete"
	CallbackBeforeCreateOfficialAccount     = "OfficialAccount.CallbackBeforeCreateOfficialAccount"
	CallbackAfterCreateOfficialAccount      = "OfficialAccount.CallbackAfterCreateOfficialAccount"
	CallbackAfterOfficialAccountInfoChanged = "OfficialAccount.CallbackAfterOfficialAccountInfoChanged"
	CallbackAfterOfficialAccountDestroyed   = "OfficialAccount.CallbackAfterOfficialAccountDestroyed"
	CallbackBeforeAddSubscriber             = "OfficialAccount.CallbackBeforeAddSubscriber"
	CallbackAfterAddSubscriber              = "OfficialAccount.CallbackAfterAddSubscriber"
	CallbackAfterOfficialAccountFull        = "OfficialAccount.CallbackAfterOfficialAccountFull"
	CallbackAfterDeleteSubscriber           = "OfficialAccount.CallbackAfterDeleteSubscriber"
)

// CallbackCommands lists every callback command, in the order of docs/wire.md.
func CallbackCommands() []string {
	return []string{
		CallbackAfterFollowAdd, CallbackAfterFollowDelete,
		CallbackBeforeCreateOfficialAccount, CallbackAfterCreateOfficialAccount,
		CallbackAfterOfficialAccountInfoChanged, CallbackAfterOfficialAccountDestroyed,
		CallbackBeforeAddSubscriber, CallbackAfterAddSubscriber,
		CallbackAfterOfficialAccountFull, CallbackAfterDeleteSubscriber,
	}
}

// Platforms are the OptPlatform values a receiver knows. RESTAPI marks events caused by a REST
// call; macOS and IOS are spellings Tencent also sends.
func Platforms() []string {
	return []string{"RESTAPI", "Web", "Android", "iOS", "Windows", "Mac", "iPad", "Unknown", "macOS", "IOS"}
}

// PlatformREST is the OptPlatform of events caused by a REST call.
const PlatformREST = "RESTAPI"

// CallbackBody is a webhook body; Command is its CallbackCommand.
type CallbackBody interface{ Command() string }

// SubscribeAccount is an item of the account lists of the official-account webhooks.
type SubscribeAccount struct {
	SubscriberAccount string `json:"Subscriber_Account"`
}

// FollowListItem is an item of FollowList.
type FollowListItem struct {
	ToAccount string `json:"To_Account"`
}

// AfterFollowAdd is Follow.CallbackAfterFollowAdd: the targets From_Account newly followed.
type AfterFollowAdd struct {
	CallbackCommand string           `json:"CallbackCommand"`
	FromAccount     string           `json:"From_Account"`
	FollowList      []FollowListItem `json:"FollowList"`
	EventTime       int64            `json:"EventTime"`
}

// AfterFollowDelete is Follow.CallbackAfterFollowDelete: the targets From_Account unfollowed.
type AfterFollowDelete struct {
	CallbackCommand string   `json:"CallbackCommand"`
	FromAccount     string   `json:"From_Account"`
	ToAccount       []string `json:"To_Account"`
	EventTime       int64    `json:"EventTime"`
}

// NewAfterFollowAdd is the event of from newly following tos at time at.
func NewAfterFollowAdd(from string, tos []string, at time.Time) AfterFollowAdd {
	list := make([]FollowListItem, len(tos))
	for i, to := range tos {
		list[i] = FollowListItem{ToAccount: to}
	}
	return AfterFollowAdd{CallbackCommand: CallbackAfterFollowAdd, FromAccount: from, FollowList: list, EventTime: at.UnixMilli()}
}

// NewAfterFollowDelete is the event of from unfollowing tos at time at.
func NewAfterFollowDelete(from string, tos []string, at time.Time) AfterFollowDelete {
	return AfterFollowDelete{CallbackCommand: CallbackAfterFollowDelete, FromAccount: from, ToAccount: tos, EventTime: at.UnixMilli()}
}

func (AfterFollowAdd) Command() string    { return CallbackAfterFollowAdd }
func (AfterFollowDelete) Command() string { return CallbackAfterFollowDelete }

// BeforeCreateOfficialAccount is OfficialAccount.CallbackBeforeCreateOfficialAccount, sent
// synchronously; an answer with a non-zero ErrorCode refuses the creation.
type BeforeCreateOfficialAccount struct {
	CallbackCommand string `json:"CallbackCommand"`
	OperatorAccount string `json:"Operator_Account"`
	OwnerAccount    string `json:"Owner_Account"`
	Name            string `json:"Name"`
	EventTime       int64  `json:"EventTime"`
}

// AfterCreateOfficialAccount is OfficialAccount.CallbackAfterCreateOfficialAccount.
type AfterCreateOfficialAccount struct {
	CallbackCommand string `json:"CallbackCommand"`
	OperatorAccount string `json:"Operator_Account"`
	OfficialAccount string `json:"Official_Account"`
	OwnerAccount    string `json:"Owner_Account"`
	Name            string `json:"Name"`
	EventTime       int64  `json:"EventTime"`
}

// AfterOfficialAccountInfoChanged is OfficialAccount.CallbackAfterOfficialAccountInfoChanged.
type AfterOfficialAccountInfoChanged struct {
	CallbackCommand string `json:"CallbackCommand"`
	OfficialAccount string `json:"Official_Account"`
	OperatorAccount string `json:"Operator_Account"`
	Name            string `json:"Name"`
	Introduction    string `json:"Introduction"`
	FaceURL         string `json:"FaceUrl"`
	Organization    string `json:"Organization"`
	EventTime       int64  `json:"EventTime"`
}

// AfterOfficialAccountDestroyed is OfficialAccount.CallbackAfterOfficialAccountDestroyed.
type AfterOfficialAccountDestroyed struct {
	CallbackCommand string `json:"CallbackCommand"`
	OfficialAccount string `json:"Official_Account"`
	OwnerAccount    string `json:"Owner_Account"`
	Name            string `json:"Name"`
	EventTime       int64  `json:"EventTime"`
}

// Subscribers is the body shared by OfficialAccount.CallbackBeforeAddSubscriber,
// CallbackAfterAddSubscriber and CallbackAfterDeleteSubscriber; CallbackCommand tells them apart.
type Subscribers struct {
	CallbackCommand      string             `json:"CallbackCommand"`
	OfficialAccount      string             `json:"Official_Account"`
	OperatorAccount      string             `json:"Operator_Account"`
	SubscribeAccountList []SubscribeAccount `json:"SubscribeAccountList"`
	EventTime            int64              `json:"EventTime"`
}

// NewSubscribers is the body of command (one of the three subscriber commands) for accounts.
func NewSubscribers(command, official, operator string, accounts []string, at time.Time) Subscribers {
	list := make([]SubscribeAccount, len(accounts))
	for i, a := range accounts {
		list[i] = SubscribeAccount{SubscriberAccount: a}
	}
	return Subscribers{CallbackCommand: command, OfficialAccount: official, OperatorAccount: operator, SubscribeAccountList: list, EventTime: at.UnixMilli()}
}

// Accounts lists the Subscriber_Account of each item.
func (s Subscribers) Accounts() []string {
	out := make([]string, len(s.SubscribeAccountList))
	for i, a := range s.SubscribeAccountList {
		out[i] = a.SubscriberAccount
	}
	return out
}

// AfterOfficialAccountFull is OfficialAccount.CallbackAfterOfficialAccountFull.
type AfterOfficialAccountFull struct {
	CallbackCommand string `json:"CallbackCommand"`
	OfficialAccount string `json:"Official_Account"`
	EventTime       int64  `json:"EventTime"`
}

func (BeforeCreateOfficialAccount) Command() string { return CallbackBeforeCreateOfficialAccount }
func (AfterCreateOfficialAccount) Command() string  { return CallbackAfterCreateOfficialAccount }
func (AfterOfficialAccountInfoChanged) Command() string {
	return CallbackAfterOfficialAccountInfoChanged
}
func (AfterOfficialAccountDestroyed) Command() string { return CallbackAfterOfficialAccountDestroyed }
func (AfterOfficialAccountFull) Command() string      { return CallbackAfterOfficialAccountFull }

// Command is the body's own CallbackCommand (the three subscriber commands share this shape).
func (s Subscribers) Command() string { return s.CallbackCommand }
