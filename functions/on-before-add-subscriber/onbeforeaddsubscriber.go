// Package onbeforeaddsubscriber is the receiver of OfficialAccount.CallbackBeforeAddSubscriber: the
// accounts of SubscribeAccountList are about to subscribe to Official_Account; the answer may
// refuse some in RefusedMembers_Account.
//
// Its main serves receiver.Function(Command, ...): the receiver's checks and event log are
// the same for every command (package receiver).
//
// It changes no mirror: it is answered from the app's policy, allowing everything by default.
// Refusals come from RECEIVER_DENY_SUBSCRIBERS (Subscriber_Account) and from
// receiver.Handlers.BeforeAddSubscriber; the decision is recorded with the event.
package onbeforeaddsubscriber

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackBeforeAddSubscriber
