// Package onbeforecreateofficialaccount is the receiver of
// OfficialAccount.CallbackBeforeCreateOfficialAccount: Operator_Account is about to create an
// official account named Name for Owner_Account; the answer allows (ErrorCode 0) or refuses
// (ErrorCode 1) it.
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// It changes no mirror: it is answered from the app's policy, allowing everything by default.
// Refusals come from RECEIVER_DENY_OWNERS (Owner_Account) and from
// receiver.Handlers.BeforeCreateOfficialAccount; the decision is recorded with the event.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onbeforecreateofficialaccount

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackBeforeCreateOfficialAccount
