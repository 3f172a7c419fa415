// Package onbeforeaddsubscriber is the receiver of OfficialAccount.CallbackBeforeAddSubscriber: the
// accounts of SubscribeAccountList are about to subscribe to Official_Account; the answer may
// refuse some in RefusedMembers_Account.
//
// It is shared/receiver bound to this one command: verified (SdkAppid, Sign within
// RECEIVER_MAX_SKEW, optional body signature), strictly decoded, recorded in the event log before
// it is answered, and acknowledged without effect when redelivered.
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

import "github.com/chatfollow/chatfollow/shared/webhook"

// Command is the CallbackCommand this function receives.
const Command = webhook.CmdBeforeAddSubscriber
