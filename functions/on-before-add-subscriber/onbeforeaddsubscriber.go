// Package onbeforeaddsubscriber is the receiver of OfficialAccount.CallbackBeforeAddSubscriber: the
// accounts of SubscribeAccountList are about to subscribe to Official_Account; the answer may
// refuse some in RefusedMembers_Account.
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// It changes no mirror: it is answered from the app's policy, allowing everything by default.
// Refusals come from RECEIVER_DENY_SUBSCRIBERS (Subscriber_Account) and from
// receiver.Handlers.BeforeAddSubscriber; the decision is recorded with the event.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onbeforeaddsubscriber

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackBeforeAddSubscriber
