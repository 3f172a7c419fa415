// Package onafterofficialaccountinfochanged is the receiver of
// OfficialAccount.CallbackAfterOfficialAccountInfoChanged: the base info of Official_Account
// changed; the body carries Name, Introduction, FaceUrl and Organization as they now are.
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// In the mirror the official account's Name, Introduction, FaceUrl and Organization are set, unless
// a later event about the same fact was already applied. The app's own logic goes in
// receiver.Handlers.AfterOfficialAccountInfoChanged.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onafterofficialaccountinfochanged

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterOfficialAccountInfoChanged
