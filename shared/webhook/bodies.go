package webhook

import "time"

// Body is a webhook body; Command is its CallbackCommand. WithEventTime returns a copy with
// EventTime set: the outbox stamps after-webhooks with the time it issues at commit
// (docs/delivery.md), whatever the function put there.
type Body interface {
	Command() string
	WithEventTime(ms int64) Body
}

// Account is an item of the account lists of the official-account webhooks.
type Account struct {
	SubscriberAccount string `json:"Subscriber_Account"`
}

// FollowTarget is an item of FollowList.
type FollowTarget struct {
	ToAccount string `json:"To_Account"`
}

// AfterFollowAdd is Follow.CallbackAfterFollowAdd: the targets From_Account newly followed.
type AfterFollowAdd struct {
	CallbackCommand string         `json:"CallbackCommand"`
	FromAccount     string         `json:"From_Account"`
	FollowList      []FollowTarget `json:"FollowList"`
	EventTime       int64          `json:"EventTime"`
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
	list := make([]FollowTarget, len(tos))
	for i, to := range tos {
		list[i] = FollowTarget{ToAccount: to}
	}
	return AfterFollowAdd{CallbackCommand: CmdAfterFollowAdd, FromAccount: from, FollowList: list, EventTime: at.UnixMilli()}
}

// NewAfterFollowDelete is the event of from unfollowing tos at time at.
func NewAfterFollowDelete(from string, tos []string, at time.Time) AfterFollowDelete {
	return AfterFollowDelete{CallbackCommand: CmdAfterFollowDelete, FromAccount: from, ToAccount: tos, EventTime: at.UnixMilli()}
}

func (AfterFollowAdd) Command() string    { return CmdAfterFollowAdd }
func (AfterFollowDelete) Command() string { return CmdAfterFollowDelete }

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
	CallbackCommand      string    `json:"CallbackCommand"`
	OfficialAccount      string    `json:"Official_Account"`
	OperatorAccount      string    `json:"Operator_Account"`
	SubscribeAccountList []Account `json:"SubscribeAccountList"`
	EventTime            int64     `json:"EventTime"`
}

// NewSubscribers is the body of command (one of the three subscriber commands) for accounts.
func NewSubscribers(command, official, operator string, accounts []string, at time.Time) Subscribers {
	list := make([]Account, len(accounts))
	for i, a := range accounts {
		list[i] = Account{SubscriberAccount: a}
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

func (BeforeCreateOfficialAccount) Command() string     { return CmdBeforeCreateOfficialAccount }
func (AfterCreateOfficialAccount) Command() string      { return CmdAfterCreateOfficialAccount }
func (AfterOfficialAccountInfoChanged) Command() string { return CmdAfterOfficialAccountInfoChanged }
func (AfterOfficialAccountDestroyed) Command() string   { return CmdAfterOfficialAccountDestroyed }
func (AfterOfficialAccountFull) Command() string        { return CmdAfterOfficialAccountFull }

// Command is the body's own CallbackCommand (the three subscriber commands share this shape).
func (s Subscribers) Command() string { return s.CallbackCommand }

func (b AfterFollowAdd) WithEventTime(ms int64) Body    { b.EventTime = ms; return b }
func (b AfterFollowDelete) WithEventTime(ms int64) Body { b.EventTime = ms; return b }
func (b BeforeCreateOfficialAccount) WithEventTime(ms int64) Body {
	b.EventTime = ms
	return b
}
func (b AfterCreateOfficialAccount) WithEventTime(ms int64) Body { b.EventTime = ms; return b }
func (b AfterOfficialAccountInfoChanged) WithEventTime(ms int64) Body {
	b.EventTime = ms
	return b
}
func (b AfterOfficialAccountDestroyed) WithEventTime(ms int64) Body { b.EventTime = ms; return b }
func (b AfterOfficialAccountFull) WithEventTime(ms int64) Body      { b.EventTime = ms; return b }
func (b Subscribers) WithEventTime(ms int64) Body                   { b.EventTime = ms; return b }
