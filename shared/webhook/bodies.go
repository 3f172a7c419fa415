package webhook

import "time"

// Body is a webhook body; Command is its CallbackCommand.
type Body interface{ Command() string }

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
