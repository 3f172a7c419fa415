package host

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	json "github.com/go-json-experiment/json"

	"github.com/chatfollow/chatfollow/shared/metrics"
)

// lambdaHandler answers AWS Lambda invocations.
type lambdaHandler struct{ in *instance }

// lambdaEvent is enough of an event to tell its kind: payload 2.0 has version "2.0" and
// requestContext.http; payload 1.0 has httpMethod at the top.
type lambdaEvent struct {
	Version        string `json:"version"`
	HTTPMethod     string `json:"httpMethod"`
	RequestContext struct {
		HTTP struct {
			Method string `json:"method"`
		} `json:"http"`
	} `json:"requestContext"`
}

// errNotHTTP is the answer to an event that is not an API Gateway request, for a function that
// has no scheduled work.
var errNotHTTP = errors.New("unsupported event: this function answers API Gateway requests only")

// Invoke implements lambda.Handler.
func (h lambdaHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev lambdaEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("event: %w", err)
	}
	switch {
	case ev.Version == "2.0" && ev.RequestContext.HTTP.Method != "":
		var req events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(payload, &req); err != nil {
			return nil, fmt.Errorf("API Gateway payload 2.0 event: %w", err)
		}
		resp, err := h.in.serveEvent(ctx, requestV2(&req))
		if err != nil {
			return nil, err
		}
		return json.Marshal(responseV2(resp))
	case ev.HTTPMethod != "":
		var req events.APIGatewayProxyRequest
		if err := json.Unmarshal(payload, &req); err != nil {
			return nil, fmt.Errorf("API Gateway payload 1.0 event: %w", err)
		}
		resp, err := h.in.serveEvent(ctx, requestV1(&req))
		if err != nil {
			return nil, err
		}
		return json.Marshal(responseV1(resp))
	case h.in.fn.Scheduled:
		return []byte("null"), h.in.tickEvent(ctx)
	}
	return nil, errNotHTTP
}

// tickEvent runs a scheduled invocation and logs its line, as serveEvent does (command "tick",
// code 0 or 1 for a failed tick).
func (in *instance) tickEvent(ctx context.Context) error {
	o, err := in.ready(ctx)
	if err != nil || o.unit.Metrics == nil {
		return in.tick(ctx)
	}
	ctx, inv := o.unit.Metrics.StartInvocation(ctx)
	inv.Command = "tick"
	err = in.tick(ctx)
	if err != nil {
		inv.Code = 1
	}
	inv.Log(in.log)
	return err
}

// serveEvent runs the request an event describes through the function's handler. A handler
// that panics fails the invocation (the gateway answers 502) and the instance lives on, as
// net/http drops the connection of a panicking handler and serves the next one.
func (in *instance) serveEvent(ctx context.Context, g *gatewayRequest) (resp response, err error) {
	r, err := g.httpRequest(ctx)
	if err != nil {
		return response{}, err
	}
	defer in.recoverPanic(&err)
	// Nothing scrapes /metrics on Lambda or SCF: each invocation logs its facts in one JSON
	// line instead (docs/operations.md).
	if o, err := in.ready(ctx); err == nil && o.unit.Metrics != nil {
		var inv *metrics.Invocation
		ctx, inv = o.unit.Metrics.StartInvocation(r.Context())
		r = r.WithContext(ctx)
		defer inv.Log(in.log)
	}
	w := newRecorder()
	in.ServeHTTP(w, r)
	return w.response(), nil
}

// requestV1 reads a payload 1.0 event (REST APIs; HTTP APIs configured for 1.0). Its query
// parameters and headers come decoded, in multi-value form when the gateway gives it.
func requestV1(ev *events.APIGatewayProxyRequest) *gatewayRequest {
	query := ev.MultiValueQueryStringParameters
	if len(query) == 0 && len(ev.QueryStringParameters) > 0 {
		query = make(map[string][]string, len(ev.QueryStringParameters))
		for k, v := range ev.QueryStringParameters {
			query[k] = []string{v}
		}
	}
	header := make(http.Header)
	if len(ev.MultiValueHeaders) > 0 {
		for k, vs := range ev.MultiValueHeaders {
			for _, v := range vs {
				header.Add(k, v)
			}
		}
	} else {
		for k, v := range ev.Headers {
			header.Set(k, v)
		}
	}
	return &gatewayRequest{
		method:   ev.HTTPMethod,
		path:     ev.Path,
		rawQuery: encodeQuery(query),
		header:   header,
		body:     ev.Body,
		base64:   ev.IsBase64Encoded,
		sourceIP: ev.RequestContext.Identity.SourceIP,
	}
}

// requestV2 reads a payload 2.0 event (HTTP APIs, function URLs): the raw query string is
// passed on as the client sent it. On a stage other than $default the path starts with the
// stage's name, which is taken off so the function's routes match.
func requestV2(ev *events.APIGatewayV2HTTPRequest) *gatewayRequest {
	header := make(http.Header, len(ev.Headers)+1)
	for k, v := range ev.Headers {
		header.Set(k, v)
	}
	if len(ev.Cookies) > 0 {
		header.Set("Cookie", strings.Join(ev.Cookies, "; "))
	}
	path, rawPath := ev.RequestContext.HTTP.Path, ev.RawPath
	if stage := ev.RequestContext.Stage; stage != "" && stage != "$default" {
		path, rawPath = withoutStage(path, stage), withoutStage(rawPath, stage)
	}
	return &gatewayRequest{
		method:   ev.RequestContext.HTTP.Method,
		path:     path,
		rawPath:  rawPath,
		rawQuery: ev.RawQueryString,
		header:   header,
		body:     ev.Body,
		base64:   ev.IsBase64Encoded,
		sourceIP: ev.RequestContext.HTTP.SourceIP,
	}
}

// withoutStage takes a leading /<stage> off path.
func withoutStage(path, stage string) string {
	if rest, ok := strings.CutPrefix(path, "/"+stage); ok && (rest == "" || rest[0] == '/') {
		return "/" + strings.TrimPrefix(rest, "/")
	}
	return path
}

func responseV1(r response) events.APIGatewayProxyResponse {
	return events.APIGatewayProxyResponse{
		StatusCode:        r.status,
		MultiValueHeaders: r.header,
		Body:              r.body,
		IsBase64Encoded:   r.base64,
	}
}

func responseV2(r response) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{
		StatusCode:      r.status,
		Headers:         singleValued(r.header),
		Cookies:         r.header.Values("Set-Cookie"),
		Body:            r.body,
		IsBase64Encoded: r.base64,
	}
}
