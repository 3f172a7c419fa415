package webhook

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Sender posts webhooks to one target: each attempt bounded by a timeout, redirects not
// followed, at most MaxConns connections open at once.
type Sender struct {
	target  Target
	timeout time.Duration
	client  *http.Client
	body    *standardwebhooks.Webhook // signs bodies when a Standard Webhooks secret is set
	now     func() time.Time
}

// MaxConns bounds the connections one Sender holds to its receiver.
const MaxConns = 16

// NewSender returns a Sender to t. timeout bounds every attempt. hmacSecret, in Standard
// Webhooks' whsec_<base64> form, adds the webhook-id, webhook-timestamp and webhook-signature
// headers so receivers can verify the body, which Tencent's Sign does not cover.
func NewSender(t Target, timeout time.Duration, hmacSecret string, now func() time.Time) (*Sender, error) {
	s := &Sender{
		target:  t,
		timeout: timeout,
		now:     now,
		client: &http.Client{
			Transport: &http.Transport{
				Proxy:               http.ProxyFromEnvironment,
				MaxConnsPerHost:     MaxConns,
				MaxIdleConnsPerHost: MaxConns,
				IdleConnTimeout:     90 * time.Second,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	if hmacSecret != "" {
		wh, err := standardwebhooks.NewWebhook(hmacSecret)
		if err != nil {
			return nil, fmt.Errorf("CHAT_CALLBACK_HMAC_SECRET: want whsec_<base64>: %w", err)
		}
		s.body = wh
	}
	return s, nil
}

// Send makes one attempt to deliver call. id identifies the event across attempts (the
// Standard Webhooks webhook-id); header carries extra headers. An answer other than HTTP 200
// with a JSON envelope is an error wrapping ErrBadAnswer.
func (s *Sender) Send(ctx context.Context, call Call, id string, header http.Header) (Answer, error) {
	return s.SendRecorded(ctx, call, id, header, nil)
}

// SendRecorded is Send that also fills ex, when not nil, with what was sent and answered, for
// the delivery history.
func (s *Sender) SendRecorded(ctx context.Context, call Call, id string, header http.Header, ex *Exchange) (Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	now := s.now()
	req, err := NewRequest(ctx, s.target, call, now)
	if err != nil {
		return Answer{}, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if s.body != nil {
		sig, err := s.body.Sign(id, now, call.Body)
		if err != nil {
			return Answer{}, fmt.Errorf("sign body: %w", err)
		}
		req.Header.Set(standardwebhooks.HeaderWebhookID, id)
		req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
		req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)
	}
	if ex != nil {
		ex.record(req)
		start := time.Now()
		defer func() { ex.Latency = time.Since(start) }()
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return Answer{}, fmt.Errorf("post %s: %w", call.Command, err)
	}
	if ex != nil {
		ex.Status = resp.StatusCode
		resp.Body = &headReader{ReadCloser: resp.Body, head: &ex.Answer}
	}
	return ReadAnswer(resp)
}

// CloseIdle closes idle connections.
func (s *Sender) CloseIdle() { s.client.CloseIdleConnections() }
