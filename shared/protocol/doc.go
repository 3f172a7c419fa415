// Package protocol is Tencent Cloud Chat's wire types for the follow, account and
// official-account slice this module serves: the REST request and response bodies, the service
// and command names and their paths, the error codes, and the webhook bodies with their callback
// commands. It is data only (no server logic), and with the receiver library and the webhook
// signing helpers it is the supported public API of this module: what a Go client or an app's
// tests import.
//
// Request types keep pointer fields where the server must tell an absent member from a zero one;
// a client fills them with Go 1.26's new, e.g. FollowAddRequest{FromAccount: new("alice")}.
// Request members are omitzero, so a request encodes only what was set: the server tells an
// absent list or filter from an empty one.
// Response types carry the operation's own members only: the envelope (ActionStatus, ErrorCode,
// ErrorInfo, ErrorDisplay) is around them on the wire (docs/wire.md section 1).
package protocol
