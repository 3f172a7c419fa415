// Package envelope is Tencent Chat's answer envelope (ActionStatus, ErrorCode, ErrorInfo and, for
// the follow APIs, ErrorDisplay), the services, and the one place where Go errors become the
// codes of package protocol.
package envelope

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/chatfollow/chatfollow/shared/protocol"
)

// Error is a failure with its wire code. Info names the field or rule that failed; it is sent to
// the caller, so it never carries internal details.
type Error struct {
	Code protocol.Code
	Info string
}

func (e *Error) Error() string { return "chat error " + strconv.Itoa(int(e.Code)) + ": " + e.Info }

// Errorf returns an *Error with a formatted Info.
func Errorf(code protocol.Code, format string, args ...any) *Error {
	return &Error{Code: code, Info: fmt.Sprintf(format, args...)}
}

// Of maps any error to the code and info a caller of service s receives. An *Error anywhere in
// the chain keeps its own code; a deadline becomes the service's timeout code; anything else is
// the service's internal error, whose details stay in the server's log.
func Of(s Service, err error) (protocol.Code, string) {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Code, e.Info
	case errors.Is(err, context.DeadlineExceeded):
		return s.TimeoutCode(), "request timed out, retry"
	default:
		return s.InternalCode(), "internal error, retry"
	}
}

// AppendOK appends the opening of a successful answer up to and including the comma before the
// operation's own fields, or the closing brace when there are none: {"ActionStatus":"OK",...
func AppendOK(dst []byte, s Service, fields bool) []byte {
	dst = append(dst, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""`...)
	if s.Display() {
		dst = append(dst, `,"ErrorDisplay":""`...)
	}
	if fields {
		return append(dst, ',')
	}
	return append(dst, '}')
}

// AppendFail appends a whole failed answer.
func AppendFail(dst []byte, s Service, code protocol.Code, info string) []byte {
	dst = append(dst, `{"ActionStatus":"FAIL","ErrorCode":`...)
	dst = strconv.AppendInt(dst, int64(code), 10)
	dst = append(dst, `,"ErrorInfo":`...)
	dst = appendString(dst, info)
	if s.Display() {
		dst = append(dst, `,"ErrorDisplay":""`...)
	}
	return append(dst, '}')
}

// appendString appends s as a JSON string; invalid UTF-8 (never expected in an Info) is replaced.
func appendString(dst []byte, s string) []byte {
	out, err := jsontext.AppendQuote(dst, strings.ToValidUTF8(s, "\uFFFD"))
	if err != nil {
		return append(dst, `""`...)
	}
	return out
}
