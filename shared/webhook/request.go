package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/chatfollow/chatfollow/shared/protocol"
)

// Target is where and how an app receives its webhooks.
type Target struct {
	URL      string // the callback URL; its own query string is kept
	SDKAppID uint64
	Token    string // when set, Sign and RequestTime are added
}

// Call is one webhook to send.
type Call struct {
	Command  string
	Body     []byte
	ClientIP string
	Platform string
}

// NewRequest builds the POST of call to t at now: the query string of wire.md section 5
// (SdkAppid, CallbackCommand, contenttype=json, ClientIP, OptPlatform, and Sign with RequestTime
// when a token is set) and the body as given.
func NewRequest(ctx context.Context, t Target, call Call, now time.Time) (*http.Request, error) {
	u, err := url.Parse(t.URL)
	if err != nil {
		return nil, fmt.Errorf("callback URL: %w", err)
	}
	q := u.Query()
	q.Set("SdkAppid", strconv.FormatUint(t.SDKAppID, 10))
	q.Set("CallbackCommand", call.Command)
	q.Set("contenttype", "json")
	q.Set("ClientIP", call.ClientIP)
	q.Set("OptPlatform", call.Platform)
	if t.Token != "" {
		rt := now.Unix()
		q.Set("RequestTime", strconv.FormatInt(rt, 10))
		q.Set("Sign", Sign(t.Token, rt))
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(call.Body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// Answer is a receiver's answer. RefusedMembers holds the accounts a before-add-subscriber
// answer refused, given as strings or as {"Subscriber_Account": ...} objects.
type Answer struct {
	ActionStatus   string          `json:"ActionStatus"`
	ErrorCode      int             `json:"ErrorCode"`
	ErrorInfo      string          `json:"ErrorInfo"`
	RefusedMembers RefusedAccounts `json:"RefusedMembers_Account"`
}

// ErrBadAnswer is a receiver's answer that is not HTTP 200 with a JSON envelope.
var ErrBadAnswer = errors.New("webhook: answer is not HTTP 200 with a JSON envelope")

// maxAnswer bounds how much of an answer is read.
const maxAnswer = 64 << 10

// ReadAnswer reads resp: HTTP 200 with a JSON object that has ActionStatus, or ErrBadAnswer.
func ReadAnswer(resp *http.Response) (Answer, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return Answer{}, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return Answer{}, fmt.Errorf("%w: HTTP %d", ErrBadAnswer, resp.StatusCode)
	}
	var a struct {
		ActionStatus   *string         `json:"ActionStatus"`
		ErrorCode      int             `json:"ErrorCode"`
		ErrorInfo      string          `json:"ErrorInfo"`
		RefusedMembers RefusedAccounts `json:"RefusedMembers_Account"`
	}
	if err := json.Unmarshal(body, &a); err != nil || a.ActionStatus == nil {
		return Answer{}, fmt.Errorf("%w: body %.100q", ErrBadAnswer, body)
	}
	return Answer{ActionStatus: *a.ActionStatus, ErrorCode: a.ErrorCode, ErrorInfo: a.ErrorInfo, RefusedMembers: a.RefusedMembers}, nil
}

// RefusedAccounts decodes an array whose items are account strings or {"Subscriber_Account": ...}
// objects, mixed if need be.
type RefusedAccounts []string

// UnmarshalJSON accepts both forms.
func (r *RefusedAccounts) UnmarshalJSON(b []byte) error {
	var items []jsontext.Value
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		var id string
		if item.Kind() == '"' {
			if err := json.Unmarshal(item, &id); err != nil {
				return err
			}
		} else {
			var obj protocol.SubscribeAccount
			if err := json.Unmarshal(item, &obj); err != nil {
				return err
			}
			id = obj.SubscriberAccount
		}
		out = append(out, id)
	}
	*r = out
	return nil
}
