package receiver

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// refusal is a delivery the receiver turns down: the HTTP status and the FAIL envelope's code
// and info. Info never carries a secret or an expected value.
type refusal struct {
	status int
	code   protocol.Code
	info   string
}

func (r *refusal) Error() string { return r.info }

func badRequest(code protocol.Code, format string, args ...any) *refusal {
	e := envelope.Errorf(code, format, args...)
	return &refusal{status: http.StatusBadRequest, code: e.Code, info: e.Info}
}

func unauthorized(code protocol.Code, info string) *refusal {
	return &refusal{status: http.StatusUnauthorized, code: code, info: info}
}

// query is the verified query string of a delivery.
type query struct {
	cmd      command
	clientIP string
	platform string
}

// once are the query parameters that must not be repeated: two values would leave it open
// which one a check used.
var once = [...]string{"SdkAppid", "CallbackCommand", "Sign", "RequestTime"}

// checkQuery verifies the query string of a delivery, in this order: it parses (60002), names
// each of once at most once (60002), SdkAppid is present (60012) and is the app (60006),
// CallbackCommand is present and known (60009) and, when only is set, is only (60009); then,
// with tokens configured, Sign and RequestTime are present (401, 60004), RequestTime is within
// the allowed skew of now in either direction (401, 70001) and Sign matches one of the tokens,
// compared in constant time (401, 70009). OptPlatform and ClientIP are taken as they are.
func (r *Receiver) checkQuery(only, rawQuery string, now time.Time) (query, *refusal) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return query{}, badRequest(protocol.CodeBadRequestLine, "the query string cannot be parsed")
	}
	for _, name := range once {
		if len(q[name]) > 1 {
			return query{}, badRequest(protocol.CodeBadRequestLine, "%s is given more than once", name)
		}
	}
	appID := q.Get("SdkAppid")
	if appID == "" {
		return query{}, badRequest(protocol.CodeMissingSDKAppID, "SdkAppid is missing")
	}
	if n, err := strconv.ParseUint(appID, 10, 64); err != nil || n != r.appID {
		return query{}, badRequest(protocol.CodeWrongSDKAppID, "SdkAppid is not this app's SDKAppID")
	}
	name := q.Get("CallbackCommand")
	if name == "" {
		return query{}, badRequest(protocol.CodeUnknownCommand, "CallbackCommand is missing")
	}
	cmd, ok := commands[name]
	if !ok {
		return query{}, badRequest(protocol.CodeUnknownCommand, "CallbackCommand %.100q is not a command receivers handle", name)
	}
	if only != "" && name != only {
		return query{}, badRequest(protocol.CodeUnknownCommand, "CallbackCommand %s is not %s, the command of this URL", name, only)
	}
	if len(r.tokens) > 0 {
		if ref := r.checkSign(q.Get("Sign"), q.Get("RequestTime"), now); ref != nil {
			return query{}, ref
		}
	}
	return query{cmd: cmd, clientIP: q.Get("ClientIP"), platform: q.Get("OptPlatform")}, nil
}

// checkSign verifies Sign = webhook.Sign(token, RequestTime) for one of the configured tokens.
// Every token is tried, each in constant time, so the time taken does not tell which matched.
func (r *Receiver) checkSign(sign, requestTime string, now time.Time) *refusal {
	if sign == "" || requestTime == "" {
		return unauthorized(protocol.CodeMissingIdentity, "Sign and RequestTime are required")
	}
	rt, err := strconv.ParseInt(requestTime, 10, 64)
	if err != nil || !within(now, time.Unix(rt, 0), r.maxSkew) {
		return unauthorized(protocol.CodeUserSigExpired, "RequestTime is not within the allowed distance from the receiver's clock")
	}
	given := []byte(strings.ToLower(sign))
	match := 0
	for _, token := range r.tokens {
		match |= subtle.ConstantTimeCompare([]byte(webhook.Sign(token, rt)), given)
	}
	if match != 1 {
		return unauthorized(protocol.CodeUserSigMismatch, "Sign does not match")
	}
	return nil
}

// within reports whether t is at most skew away from now, before or after.
func within(now, t time.Time, skew time.Duration) bool {
	d := now.Sub(t)
	return d <= skew && d >= -skew
}

// checkBodySignature verifies the Standard Webhooks signature of body (webhook-id,
// webhook-timestamp, webhook-signature headers) against any configured secret, with the
// timestamp held to the same window as RequestTime (401, 70009). It passes when no secret is
// configured.
func (r *Receiver) checkBodySignature(header http.Header, body []byte, now time.Time) *refusal {
	if len(r.bodySecrets) == 0 {
		return nil
	}
	ts, err := strconv.ParseInt(header.Get(standardwebhooks.HeaderWebhookTimestamp), 10, 64)
	if err != nil || !within(now, time.Unix(ts, 0), r.maxSkew) {
		return unauthorized(protocol.CodeUserSigMismatch, "the body signature is missing or its webhook-timestamp is outside the allowed window")
	}
	for _, wh := range r.bodySecrets {
		if wh.VerifyIgnoringTimestamp(body, header) == nil {
			return nil
		}
	}
	return unauthorized(protocol.CodeUserSigMismatch, "the body signature (webhook-signature) does not verify")
}

// decodeBody decodes body as the event of q's command and checks that its CallbackCommand is
// the query's (60009).
func decodeBody(q query, body []byte) (protocol.CallbackBody, *refusal) {
	b, err := q.cmd.decode(body, q.cmd.service)
	if err != nil {
		code, info := envelope.Of(q.cmd.service, err)
		return nil, badRequest(code, "%s", info)
	}
	if got := bodyCommand(b); got != q.cmd.name {
		return nil, badRequest(protocol.CodeUnknownCommand, "the body's CallbackCommand %.100q is not the query's %s", got, q.cmd.name)
	}
	return b, nil
}

// bodyCommand is the CallbackCommand written in a decoded body.
func bodyCommand(b protocol.CallbackBody) string {
	cmd, _ := stamp(b)
	return cmd
}

// eventTimeOf is the EventTime of a decoded body.
func eventTimeOf(b protocol.CallbackBody) int64 {
	_, t := stamp(b)
	return t
}

// stamp returns the CallbackCommand and EventTime every body carries.
func stamp(b protocol.CallbackBody) (string, int64) {
	switch b := b.(type) {
	case protocol.AfterFollowAdd:
		return b.CallbackCommand, b.EventTime
	case protocol.AfterFollowDelete:
		return b.CallbackCommand, b.EventTime
	case protocol.BeforeCreateOfficialAccount:
		return b.CallbackCommand, b.EventTime
	case protocol.AfterCreateOfficialAccount:
		return b.CallbackCommand, b.EventTime
	case protocol.AfterOfficialAccountInfoChanged:
		return b.CallbackCommand, b.EventTime
	case protocol.AfterOfficialAccountDestroyed:
		return b.CallbackCommand, b.EventTime
	case protocol.AfterOfficialAccountFull:
		return b.CallbackCommand, b.EventTime
	case protocol.Subscribers:
		return b.CallbackCommand, b.EventTime
	}
	return "", 0
}
