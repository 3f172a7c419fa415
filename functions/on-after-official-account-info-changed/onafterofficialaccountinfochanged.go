// Package onafterofficialaccountinfochanged is the receiver of
// OfficialAccount.CallbackAfterOfficialAccountInfoChanged: the base info of Official_Account
// changed; the body carries Name, Introduction, FaceUrl and Organization as they now are.
//
// Its main serves receiver.Function(Command, ...): the receiver's checks and event log are
// the same for every command (package receiver).
//
// In the mirror the official account's Name, Introduction, FaceUrl and Organization are set, unless
// a later event about the same fact was already applied. The app's own logic goes in
// receiver.Handlers.AfterOfficialAccountInfoChanged.
package onafterofficialaccountinfochanged

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterOfficialAccountInfoChanged
